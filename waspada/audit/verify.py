"""Checking the audit trail: every hash recomputed, every link followed, the head compared.

What each finding means:

- an entry whose recomputed hash differs from its stored hash was edited after it was written;
- an entry whose ``prev_hash`` is not the hash of the entry before it has lost its
  predecessor: entries were deleted (or inserted) between the two;
- a head checkpoint that points past the last entry means the newest entries were deleted.

Ids are not expected to be consecutive (a PostgreSQL sequence skips the ids of rolled-back
transactions), so gaps alone are not reported: the chain is what counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from waspada.audit.canonical import GENESIS_HASH
from waspada.audit.models import AuditEntry, AuditHead

CHUNK_SIZE = 2000


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    problems: list[str] = field(default_factory=list)
    head_id: int | None = None
    head_hash: str | None = None


def verify_chain(*, anchors: Mapping[int, str] | None = None, max_problems: int = 1000) -> VerifyResult:
    """Walk the whole trail in id order, streaming, and report every break found.

    ``anchors`` are ``{entry id: entry hash}`` pairs noted outside the database earlier
    (the head hash that ``verify`` prints): each must still be in the chain unchanged, which
    is what exposes a chain rewritten from start to end together with its head.

    The head is read *before* the walk: an entry appended while the walk runs is newer than
    that head and is simply checked as part of the chain, not mistaken for tampering.
    Problems beyond ``max_problems`` are counted, not listed, so a wholly rewritten trail of
    a million entries does not produce a million lines.
    """
    head = AuditHead.objects.filter(pk=1).values_list("entry_id", "entry_hash").first()
    problems: list[str] = []
    extra = 0

    def report(message: str) -> None:
        nonlocal extra
        if len(problems) < max_problems:
            problems.append(message)
        else:
            extra += 1

    anchors = dict(anchors or {})
    checked = 0
    expected_prev = GENESIS_HASH
    previous: AuditEntry | None = None
    head_seen = False
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=CHUNK_SIZE):
        checked += 1
        if entry.compute_hash() != entry.entry_hash:
            report(
                _("Entri #%(id)s (%(action)s) telah diubah: hash tidak cocok.")
                % {"id": entry.pk, "action": entry.action}
            )
        if entry.prev_hash != expected_prev:
            if previous is None:
                report(
                    _(
                        "Entri #%(id)s (%(action)s) bukan awal rantai, padahal tidak ada entri "
                        "sebelumnya: entri sebelum #%(id)s telah dihapus."
                    )
                    % {"id": entry.pk, "action": entry.action}
                )
            else:
                report(
                    _(
                        "Rantai terputus antara entri #%(prev_id)s (%(prev_action)s) dan "
                        "#%(id)s (%(action)s): ada entri yang dihapus atau disisipkan di antaranya, "
                        "atau hash entri #%(prev_id)s diganti."
                    )
                    % {
                        "prev_id": previous.pk,
                        "prev_action": previous.action,
                        "id": entry.pk,
                        "action": entry.action,
                    }
                )
        if head is not None and entry.pk == head[0]:
            head_seen = True
            if entry.entry_hash != head[1]:
                report(
                    _("Entri #%(id)s (%(action)s) tidak cocok dengan hash kepala yang tercatat.")
                    % {"id": entry.pk, "action": entry.action}
                )
        noted = anchors.pop(entry.pk, None)
        if noted is not None and noted.lower() != entry.entry_hash:
            report(
                _("Entri #%(id)s (%(action)s) tidak cocok dengan hash yang dicatat di luar basis data.")
                % {"id": entry.pk, "action": entry.action}
            )
        # Follow the stored hash: an edited entry is then reported once, by its own hash.
        expected_prev = entry.entry_hash
        previous = entry

    if head is None:
        if previous is not None:
            report(_("Penanda kepala jejak audit hilang, padahal ada %(count)s entri.") % {"count": checked})
    elif not head_seen:
        if previous is None:
            report(
                _("Semua entri telah dihapus: penanda kepala menunjuk entri #%(head_id)s.")
                % {"head_id": head[0]}
            )
        elif head[0] > previous.pk:
            report(
                _(
                    "Entri terakhir telah dihapus: penanda kepala menunjuk entri #%(head_id)s, "
                    "tetapi entri terakhir yang ada adalah #%(last_id)s (%(action)s)."
                )
                % {"head_id": head[0], "last_id": previous.pk, "action": previous.action}
            )
        else:
            report(_("Entri #%(head_id)s yang ditunjuk penanda kepala telah dihapus.") % {"head_id": head[0]})
    for missing in sorted(anchors):
        report(_("Entri #%(id)s yang hash-nya dicatat di luar basis data tidak ada lagi.") % {"id": missing})
    if extra:
        problems.append(_("… dan %(count)s masalah lain.") % {"count": extra})

    return VerifyResult(
        ok=not problems,
        checked=checked,
        problems=problems,
        head_id=previous.pk if previous is not None else None,
        head_hash=previous.entry_hash if previous is not None else None,
    )
