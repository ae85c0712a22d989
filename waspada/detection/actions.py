"""Reviewing a signal: confirm it (optionally raising its region's status), or dismiss it with a
reason. Audited, one transaction each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.audit.actions import record
from waspada.detection.models import Signal, SignalStatus
from waspada.regions.models import Level
from waspada.reports.taxonomy import ALERT_RANK, AlertLevel
from waspada.situation.actions import can_override_status, set_status_override
from waspada.situation.status import region_statuses

if TYPE_CHECKING:
    from waspada.people.models import Person

DECISIONS = {"konfirmasi": SignalStatus.DIKONFIRMASI, "abaikan": SignalStatus.DIABAIKAN}
RAISABLE_LEVELS = (Level.KECAMATAN, Level.DESA)  # the regions a status is set for by hand


@dataclass(frozen=True)
class RaiseStatus:
    """Raise the signal's region to ``status`` until ``expires_at``, for ``reason``."""

    status: str
    reason: str
    expires_at: datetime | None


def current_status(signal: Signal, person: Person) -> str | None:
    """The region's status now, as the situation picture shows it to ``person``; None when its
    status cannot be set by hand (a kabupaten, or a region outside the installation)."""
    if signal.region.level not in RAISABLE_LEVELS:
        return None
    entry = region_statuses(person).get(signal.region_id)
    return entry.status if entry is not None else None


def levels_at_or_above(status: str) -> list[tuple[str, str]]:
    return [
        (value, str(label)) for value, label in AlertLevel.choices if ALERT_RANK[value] >= ALERT_RANK[status]
    ]


def review_signal(
    *,
    signal: Signal,
    by: Person,
    decision: str,
    reason: str = "",
    raise_status: RaiseStatus | None = None,
    request: HttpRequest | None = None,
) -> Signal:
    """Confirm (``decision="konfirmasi"``) or dismiss (``"abaikan"``, reason required) a new signal.

    Only a person who sees the signal (the TKD's senior roles of its jurisdiction) may review it;
    a signal is reviewed once. A confirmation may also raise the region's status
    (``raise_status``: a level at or above the current one, a reason, an expiry) through
    ``situation.actions.set_status_override``, in the same transaction: both happen or neither.
    Raises ``PermissionError`` or ``ValidationError`` (Indonesian, per field) and then changes
    nothing.
    """
    signal = signal.event or signal  # a detection that joined an event is reviewed with it
    members = list(signal.members.values_list("pk", flat=True))
    allowed = Signal.objects.restrict(by, "triage").filter(pk__in=[signal.pk, *members]).count()
    if allowed != len(members) + 1:
        raise PermissionError(_("Anda tidak berwenang meninjau sinyal ini."))
    if raise_status is not None:
        _check_raise(signal, by, decision, raise_status)
    status = DECISIONS.get(decision)
    if status is None:
        raise ValidationError({"decision": [_("Pilih konfirmasi atau abaikan.")]})
    reason = (reason or "").strip()
    if status == SignalStatus.DIABAIKAN and not reason:
        raise ValidationError({"reason": [_("Alasan wajib diisi untuk mengabaikan sinyal.")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("Alasan terlalu panjang (paling banyak 2000 karakter).")]})
    with transaction.atomic():
        locked = Signal.objects.select_for_update().get(pk=signal.pk)
        if locked.status != SignalStatus.BARU:
            raise ValidationError({"decision": [_("Sinyal ini sudah ditinjau.")]})
        now = timezone.now()
        locked.status = status
        locked.review_reason = reason
        locked.reviewed_by = by
        locked.reviewed_at = now
        locked.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at", "updated_at"])
        joined = list(
            Signal.objects.select_for_update().filter(event=locked, status=SignalStatus.BARU).order_by("pk")
        )
        for member in joined:
            member.status = status
            member.review_reason = reason
            member.reviewed_by = by
            member.reviewed_at = now
            member.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at", "updated_at"])
        changes: dict[str, object] = {
            "status": [SignalStatus.BARU, status],
            "reason": reason,
            "detections": [m.pk for m in joined],
        }
        if raise_status is not None:
            override = set_status_override(
                region=locked.region,
                status=raise_status.status,
                reason=raise_status.reason,
                expires_at=raise_status.expires_at,
                by=by,
                request=request,
            )
            changes["region_status"] = {"override": override.pk, "status": override.status}
        action = "signal.confirmed" if status == SignalStatus.DIKONFIRMASI else "signal.dismissed"
        record(action=action, actor=by, obj=locked, changes=changes, request=request)
        for member in joined:
            record(
                action=action,
                actor=by,
                obj=member,
                changes={"status": [SignalStatus.BARU, status], "reason": reason, "event": locked.pk},
                request=request,
            )
    return locked


MAX_BULK = 200


def review_signals(
    *,
    pks: list[int],
    by: Person,
    decision: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> list[Signal]:
    """Review several signals with one decision and one reason, all or none: each is checked on
    its own (``review_signal``: the reviewer must be allowed to review that signal, in its
    jurisdiction) and audited on its own; the first refusal changes nothing."""
    if not pks:
        raise ValidationError({"signals": [_("Pilih paling sedikit satu sinyal.")]})
    if len(pks) > MAX_BULK:
        raise ValidationError({"signals": [_("Paling banyak %(n)s sinyal sekaligus.") % {"n": MAX_BULK}]})
    reviewed = []
    with transaction.atomic():
        for pk in dict.fromkeys(pks):
            signal = Signal.objects.filter(pk=pk).select_related("region").first()
            if signal is None or not Signal.objects.visible_to(by).filter(pk=pk).exists():
                raise PermissionError(_("Anda tidak berwenang meninjau sinyal ini."))
            reviewed.append(
                review_signal(signal=signal, by=by, decision=decision, reason=reason, request=request)
            )
    return reviewed


def _check_raise(signal: Signal, by: Person, decision: str, wanted: RaiseStatus) -> None:
    if not can_override_status(by, signal.region):
        raise PermissionError(
            _("Hanya analis dan pimpinan Tim Kewaspadaan Dini yang dapat menetapkan status.")
        )
    if decision != "konfirmasi":
        raise ValidationError({"raise_status": [_("Status hanya dinaikkan bersama konfirmasi sinyal.")]})
    current = current_status(signal, by)
    if current is None:
        raise ValidationError(
            {
                "raise_status": [
                    _("Status wilayah ini tidak dapat ditetapkan dari sinyal (bukan kecamatan/desa).")
                ]
            }
        )
    if wanted.status not in AlertLevel.values:
        raise ValidationError(
            {"status": [_("Pilihan tidak dikenal: %(value)s.") % {"value": wanted.status[:40]}]}
        )
    if ALERT_RANK[wanted.status] < ALERT_RANK[current]:
        raise ValidationError(
            {
                "status": [
                    _("Status baru tidak boleh lebih rendah dari status sekarang (%(current)s).")
                    % {"current": AlertLevel(current).label}
                ]
            }
        )
