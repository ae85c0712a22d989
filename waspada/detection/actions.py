"""Reviewing a signal: confirm it, or dismiss it with a reason. Audited, one transaction each."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.audit.actions import record
from waspada.detection.models import Signal, SignalStatus

if TYPE_CHECKING:
    from waspada.people.models import Person

DECISIONS = {"konfirmasi": SignalStatus.DIKONFIRMASI, "abaikan": SignalStatus.DIABAIKAN}


def review_signal(
    *, signal: Signal, by: Person, decision: str, reason: str = "", request: HttpRequest | None = None
) -> Signal:
    """Confirm (``decision="konfirmasi"``) or dismiss (``"abaikan"``, reason required) a new signal.

    Only a person who sees the signal (the TKD's senior roles of its jurisdiction) may review it;
    a signal is reviewed once. Raises ``PermissionError`` or ``ValidationError`` (Indonesian, per
    field) and then changes nothing.
    """
    if not Signal.objects.visible_to(by).filter(pk=signal.pk).exists():
        raise PermissionError(_("Anda tidak berwenang meninjau sinyal ini."))
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
        locked.status = status
        locked.review_reason = reason
        locked.reviewed_by = by
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at", "updated_at"])
        record(
            action="signal.confirmed" if status == SignalStatus.DIKONFIRMASI else "signal.dismissed",
            actor=by,
            obj=locked,
            changes={"status": [SignalStatus.BARU, status], "reason": reason},
            request=request,
        )
    return locked
