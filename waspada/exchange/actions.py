"""Every write of the exchange app: alerts issued, updated and cancelled, and the audit entry of
each export. Each action validates, writes in one transaction and records its audit entry there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.audit.actions import record
from waspada.exchange.models import Alert, CapStatus, MsgType, Scope
from waspada.regions.models import Region
from waspada.reports.taxonomy import AlertLevel, Isu
from waspada.reports.visibility import can_triage, may_decide_region

if TYPE_CHECKING:
    from waspada.detection.models import Signal
    from waspada.people.models import Person

# Alerts about ethnic or religious tension: Restricted by default, never Public. A public alarm
# about friction between named communities can itself inflame it (docs/exchange.md).
SENSITIVE_ISUS = frozenset({Isu.SARA_ETNIS, Isu.AGAMA})
MAX_VALIDITY = timedelta(days=30)
HEADLINE_MAX = 160
DESCRIPTION_MAX = 4000
INSTRUCTION_MAX = 2000


def default_scope(isu: str) -> str:
    return Scope.RESTRICTED if isu in SENSITIVE_ISUS else Scope.PUBLIC


def can_issue_alert(person: Person, region: Region | None = None) -> bool:
    """Kesbangpol's TKD senior roles (ketua, sekretaris, analis, pimpinan) issue alerts for regions
    in their TKD's jurisdiction, as they set a region's status by hand (situation/actions.py)."""
    if not can_triage(person):
        return False
    if region is None:
        return True
    return may_decide_region(person, region.code)


def _require_right(person: Person, region: Region | None) -> None:
    if not can_issue_alert(person, region):
        raise PermissionError(
            _("Hanya analis dan pimpinan Tim Kewaspadaan Dini wilayah ini yang dapat menerbitkan peringatan.")
        )


@dataclass
class AlertInput:
    """What a person writes; strings as typed (the action cleans and checks them)."""

    headline: str = ""
    description: str = ""
    instruction: str = ""
    level: str = ""
    scope: str = ""  # empty: the default for the isu
    expires_at: datetime | None = None
    status: str = CapStatus.ACTUAL


def _check(data: AlertInput, *, isu: str, now: datetime) -> tuple[dict[str, list[str]], AlertInput]:
    errors: dict[str, list[str]] = {}
    clean = AlertInput(
        headline=(data.headline or "").strip(),
        description=(data.description or "").strip(),
        instruction=(data.instruction or "").strip(),
        level=(data.level or "").strip(),
        scope=(data.scope or "").strip() or default_scope(isu),
        expires_at=data.expires_at,
        status=(data.status or CapStatus.ACTUAL).strip(),
    )
    if not clean.headline:
        errors["headline"] = [_("Judul wajib diisi.")]
    elif len(clean.headline) > HEADLINE_MAX:
        errors["headline"] = [_("Judul paling panjang %(n)d karakter.") % {"n": HEADLINE_MAX}]
    if not clean.description:
        errors["description"] = [_("Uraian wajib diisi.")]
    elif len(clean.description) > DESCRIPTION_MAX:
        errors["description"] = [_("Uraian paling panjang %(n)d karakter.") % {"n": DESCRIPTION_MAX}]
    if len(clean.instruction) > INSTRUCTION_MAX:
        errors["instruction"] = [_("Petunjuk paling panjang %(n)d karakter.") % {"n": INSTRUCTION_MAX}]
    if clean.level not in AlertLevel.values:
        errors["level"] = [_("Pilih tingkat kewaspadaan: normal, waspada, siaga atau awas.")]
    if clean.scope not in Scope.values:
        errors["scope"] = [_("Pilihan cakupan tidak dikenal: %(value)s.") % {"value": clean.scope[:40]}]
    elif clean.scope == Scope.PUBLIC and isu in SENSITIVE_ISUS:
        errors["scope"] = [
            _("Peringatan tentang ketegangan antaretnis atau agama tidak boleh bersifat Publik.")
        ]
    if clean.status not in CapStatus.values:
        errors["status"] = [_("Pilihan status tidak dikenal: %(value)s.") % {"value": clean.status[:40]}]
    if clean.expires_at is None:
        errors["expires_at"] = [_("Batas berlaku wajib diisi.")]
    elif clean.expires_at <= now:
        errors["expires_at"] = [_("Batas berlaku harus di masa depan.")]
    elif clean.expires_at - now > MAX_VALIDITY:
        errors["expires_at"] = [_("Batas berlaku paling lama 30 hari dari sekarang.")]
    return errors, clean


def _stamp(moment: datetime) -> datetime:
    # CAP times carry whole seconds: keep the stored time equal to the published one.
    return moment.replace(microsecond=0)


def issue_alert(
    *,
    by: Person,
    region: Region | None,
    isu: str,
    data: AlertInput,
    signal: Signal | None = None,
    request: HttpRequest | None = None,
) -> Alert:
    """Issue a new alert (CAP msgType Alert) for a region, an isu and a level.

    Steps: check the issuer's right over the region; check every field (Indonesian message per
    field); a signal, if given, must be one the issuer may read and already confirmed; write the
    row and its audit entry in one transaction.
    """
    from waspada.detection.models import Signal, SignalStatus

    _require_right(by, region)
    now = _stamp(timezone.now())
    errors: dict[str, list[str]] = {}
    if region is None:
        errors["region"] = [_("Wilayah wajib dipilih.")]
    if isu not in Isu.values:
        errors["isu"] = [_("Pilihan isu tidak dikenal: %(value)s.") % {"value": (isu or "")[:40]}]
    field_errors, clean = _check(data, isu=isu, now=now)
    errors.update(field_errors)
    if signal is not None:
        if not Signal.objects.visible_to(by).filter(pk=signal.pk).exists():
            errors["signal"] = [_("Sinyal tidak ditemukan.")]
        elif signal.status != SignalStatus.DIKONFIRMASI:
            errors["signal"] = [_("Sinyal harus dikonfirmasi dulu sebelum menjadi peringatan.")]
    if errors:
        raise ValidationError(errors)
    assert region is not None and clean.expires_at is not None
    with transaction.atomic():
        return _publish(
            by=by,
            action="alert.issued",
            request=request,
            now=now,
            previous=None,
            status=clean.status,
            msg_type=MsgType.ALERT,
            scope=clean.scope,
            region=region,
            isu=isu,
            level=clean.level,
            headline=clean.headline,
            description=clean.description,
            instruction=clean.instruction,
            expires_at=_stamp(clean.expires_at),
            signal=signal,
        )


def _publish(
    *,
    by: Person,
    action: str,
    request: HttpRequest | None,
    now: datetime,
    previous: Alert | None,
    **fields: Any,
) -> Alert:
    """Write one CAP message and its audit entry (in the caller's transaction). A message that
    replaces another is sent at least a second after it, so the chain's order never ties."""
    alert = Alert.objects.create(
        identifier=Alert.new_identifier(),
        sender=settings.WASPADA_CAP_SENDER,
        sent=now if previous is None else max(now, previous.sent + timedelta(seconds=1)),
        previous=previous,
        issued_by=by,
        **fields,
    )
    record(action=action, actor=by, obj=alert, changes=_summary(alert), request=request)
    return alert


def _summary(alert: Alert) -> dict[str, Any]:
    return {
        "identifier": alert.identifier,
        "msg_type": alert.msg_type,
        "scope": alert.scope,
        "region": alert.region_id,
        "isu": alert.isu,
        "level": alert.level,
        "headline": alert.headline,
        "expires_at": alert.expires_at,
        "previous": alert.previous.identifier if alert.previous else None,
        "signal": alert.signal_id,
    }


def _latest_for_change(alert: Alert) -> Alert:
    """Lock ``alert`` and check that it is the latest live message of its chain (the caller has
    checked the right to change it)."""
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.msg_type == MsgType.CANCEL:
        raise ValidationError({"alert": [_("Peringatan ini sudah dibatalkan.")]})
    if Alert.objects.filter(previous=locked).exists():
        raise ValidationError({"alert": [_("Peringatan ini sudah diperbarui; ubah versi terbarunya.")]})
    return locked


def update_alert(*, alert: Alert, by: Person, data: AlertInput, request: HttpRequest | None = None) -> Alert:
    """Publish an Update of ``alert`` (the latest message of its chain): same region and isu, new
    text, level, scope or expiry. The update references every earlier message of the chain."""
    _require_right(by, alert.region)
    now = _stamp(timezone.now())
    errors, clean = _check(data, isu=alert.isu, now=now)
    if errors:
        raise ValidationError(errors)
    assert clean.expires_at is not None
    with transaction.atomic():
        previous = _latest_for_change(alert)
        return _publish(
            by=by,
            action="alert.updated",
            request=request,
            now=now,
            previous=previous,
            status=clean.status,
            msg_type=MsgType.UPDATE,
            scope=clean.scope,
            region=previous.region,
            isu=previous.isu,
            level=clean.level,
            headline=clean.headline,
            description=clean.description,
            instruction=clean.instruction,
            expires_at=_stamp(clean.expires_at),
            signal=previous.signal,
        )


def cancel_alert(*, alert: Alert, by: Person, reason: str, request: HttpRequest | None = None) -> Alert:
    """Publish a Cancel of ``alert`` (the latest message of its chain) with the reason as its
    description. The cancellation keeps the alert's scope, so it reaches the same readers."""
    _require_right(by, alert.region)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Alasan pembatalan wajib diisi.")]})
    if len(reason) > DESCRIPTION_MAX:
        raise ValidationError(
            {"reason": [_("Alasan paling panjang %(n)d karakter.") % {"n": DESCRIPTION_MAX}]}
        )
    now = _stamp(timezone.now())
    with transaction.atomic():
        previous = _latest_for_change(alert)
        return _publish(
            by=by,
            action="alert.cancelled",
            request=request,
            now=now,
            previous=previous,
            status=previous.status,
            msg_type=MsgType.CANCEL,
            scope=previous.scope,
            region=previous.region,
            isu=previous.isu,
            level=previous.level,
            headline=(_("DIBATALKAN: %(headline)s") % {"headline": previous.headline})[:HEADLINE_MAX],
            description=reason,
            instruction="",
            expires_at=max(previous.expires_at, now + timedelta(minutes=1)),
            signal=previous.signal,
        )


def record_export(
    *, by: Person, target: str, fmt: str, query: str, rows: int, request: HttpRequest | None = None
) -> None:
    """One audit entry per export: who took which rows (the filter as a query string) in which format."""
    with transaction.atomic():
        record(
            action="exchange.exported",
            actor=by,
            object_type=f"exchange.{target}",
            object_id=fmt,
            changes={"target": target, "format": fmt, "filter": query, "rows": rows},
            request=request,
        )
