"""Which actions a disposition offers, to whom: the one place for its state machine and rights.

The disposition page shows exactly ``available_actions(disposition, person)``, and every action
in ``response/actions.py`` refuses through ``require(...)`` what that list would not offer, so
the page, the API and the chat commands cannot disagree.

States (``DispositionStatus``) and what each allows:

- menunggu (waiting): acknowledge, hand back to the TKD; the chair assigns it; the TKD redirects
  or withdraws it. Nothing is recorded or closed before the forum has acknowledged it.
- diterima / ditangani (acknowledged, being handled): record an action, pause the clock (a
  "perlu tindakan" one, while it runs) or run it again, close with an outcome, hand back; the
  chair assigns it; the TKD redirects or withdraws it.
- selesai (closed): reopen with a reason.
- dikembalikan (handed back): the TKD redirects or withdraws it.
- ditarik (withdrawn): nothing.

Rights: the forum's current members and the TKD's senior roles do the forum's work; only the
TKD's senior roles redirect and withdraw; only the forum's chair (ketua) assigns it to a member.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from waspada.forums.access import Seat, access_of
from waspada.forums.models import Role
from waspada.reports.taxonomy import Classification
from waspada.response.models import Disposition, DispositionKind, DispositionStatus

if TYPE_CHECKING:
    from waspada.people.models import Person


class Action(StrEnum):
    """An action on a disposition; the value is the verb of the page's form and of the API."""

    TERIMA = "terima"
    TINDAKAN = "tindakan"
    JEDA = "jeda"
    LANJUT = "lanjut"
    SELESAI = "selesai"
    BUKA = "buka"
    KEMBALIKAN = "kembalikan"
    TUGASKAN = "tugaskan"
    ALIHKAN = "alihkan"
    TARIK = "tarik"


# Actions that undo or hand away the forum's work: styled apart and confirmed on the page.
DESTRUCTIVE = frozenset({Action.KEMBALIKAN, Action.ALIHKAN, Action.TARIK})
FORUM_WORK = frozenset(
    {
        Action.TERIMA,
        Action.TINDAKAN,
        Action.JEDA,
        Action.LANJUT,
        Action.SELESAI,
        Action.BUKA,
        Action.KEMBALIKAN,
    }
)
TKD_WORK = frozenset({Action.ALIHKAN, Action.TARIK})

_ACKNOWLEDGED = (DispositionStatus.DITERIMA, DispositionStatus.DITANGANI)


def allowed_by_state(disposition: Disposition) -> list[Action]:
    """The actions the disposition's state allows, whoever asks, in the order the page shows them."""
    status = disposition.status
    if status == DispositionStatus.MENUNGGU:
        return [Action.TERIMA, Action.TUGASKAN, Action.KEMBALIKAN, Action.ALIHKAN, Action.TARIK]
    if status in _ACKNOWLEDGED:
        allowed = [Action.TINDAKAN, Action.SELESAI]
        if disposition.paused_at is not None:
            allowed.append(Action.LANJUT)
        elif disposition.kind == DispositionKind.TINDAKAN:
            allowed.append(Action.JEDA)
        return [*allowed, Action.TUGASKAN, Action.KEMBALIKAN, Action.ALIHKAN, Action.TARIK]
    if status == DispositionStatus.SELESAI:
        return [Action.BUKA]
    if status == DispositionStatus.DIKEMBALIKAN:
        return [Action.ALIHKAN, Action.TARIK]
    return []


def _forum_seat(person: Person, disposition: Disposition) -> Seat | None:
    return next((seat for seat in access_of(person).seats if seat.forum_id == disposition.forum_id), None)


def is_member(person: Person, disposition: Disposition) -> bool:
    """A current seat in the disposition's forum that may work on this report: for a ``rahasia``
    report, a senior role (rule 9 of reports/visibility.py)."""
    seat = _forum_seat(person, disposition)
    if seat is None:
        return False
    return seat.senior or disposition.report.classification != Classification.RAHASIA


def is_chair(person: Person, disposition: Disposition) -> bool:
    seat = _forum_seat(person, disposition)
    return seat is not None and seat.role == Role.KETUA and is_member(person, disposition)


def manages(person: Person, disposition: Disposition) -> bool:
    """The senior roles of the report's deciding TKD manage its dispositions (rule 9)."""
    return access_of(person).decides(disposition.report.region_id)


def allowed_for(person: Person, disposition: Disposition) -> frozenset[Action]:
    """The actions ``person`` has the right to take on this disposition, whatever its state."""
    if not person.is_authenticated or not person.is_active:
        return frozenset()
    rights: set[Action] = set()
    triage = manages(person, disposition)
    if triage or is_member(person, disposition):
        rights |= FORUM_WORK
    if triage:
        rights |= TKD_WORK
    if is_chair(person, disposition):
        rights.add(Action.TUGASKAN)
    return frozenset(rights)


def available_actions(disposition: Disposition, person: Person) -> list[Action]:
    """What the page offers ``person``: allowed by the state and by their rights."""
    rights = allowed_for(person, disposition)
    return [action for action in allowed_by_state(disposition) if action in rights]


def require_right(person: Person, disposition: Disposition, action: Action) -> None:
    """Refuse (``PermissionError``, in Indonesian) a person without the right to ``action``."""
    if action in allowed_for(person, disposition):
        return
    if action == Action.TUGASKAN:
        raise PermissionError(_("Hanya ketua forum penerima yang dapat menugaskan disposisi ini."))
    if action in TKD_WORK:
        raise PermissionError(
            _("Hanya analis dan pimpinan Tim Kewaspadaan Dini yang dapat mengatur disposisi.")
        )
    raise PermissionError(_("Anda bukan anggota forum yang menerima disposisi ini."))


def require_state(disposition: Disposition, action: Action) -> None:
    """Refuse (``ValidationError`` on ``status``) an action the disposition's state does not allow.

    Call it on the row locked inside the action's transaction, so the state is the current one.
    """
    if action in allowed_by_state(disposition):
        return
    status = disposition.status
    if status == DispositionStatus.MENUNGGU:
        message = _("Terima disposisi ini dulu.")
    elif status == DispositionStatus.SELESAI:
        message = _("Disposisi ini sudah ditutup; buka kembali dulu.")
    elif status == DispositionStatus.DITARIK:
        message = _("Disposisi ini sudah ditarik.")
    elif status == DispositionStatus.DIKEMBALIKAN:
        message = _("Disposisi ini sudah dikembalikan ke TKD.")
    elif action == Action.JEDA and disposition.paused_at is not None:
        message = _("Jam disposisi ini sudah dijeda.")
    elif action == Action.JEDA:
        message = _("Tembusan tidak memiliki batas waktu untuk dijeda.")
    elif action == Action.LANJUT:
        message = _("Jam disposisi ini tidak sedang dijeda.")
    else:
        message = _("Disposisi ini belum ditutup.")
    raise ValidationError({"status": [message]})
