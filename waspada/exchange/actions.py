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
from waspada.exchange.models import Alert, AlertProposal, CapStatus, MsgType, ProposalStatus, Scope
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


def _check_new(
    *, by: Person, region: Region | None, isu: str, data: AlertInput, signal: Signal | None, now: datetime
) -> AlertInput:
    """The checks of a new alert (right, every field, the signal); the cleaned input, or a
    ValidationError with an Indonesian message per field."""
    from waspada.detection.models import Signal, SignalStatus

    _require_right(by, region)
    errors: dict[str, list[str]] = {}
    if region is None:
        errors["region"] = [_("Wilayah wajib dipilih.")]
    if not isu:
        errors["isu"] = [_("Pilih isu peringatan.")]
    elif isu not in Isu.values:
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
    return clean


def needs_second_key(status: str, scope: str) -> bool:
    """An Actual message for the Public needs a second person's approval before it is published
    (docs/exchange.md, "Two keys"); Restricted, Private, Exercise and Test messages do not."""
    return status == CapStatus.ACTUAL and scope == Scope.PUBLIC


def preview_alert(
    *, by: Person, region: Region | None, isu: str, data: AlertInput, signal: Signal | None = None
) -> Alert:
    """The alert as it would be published, unsaved (for the preview of its CAP document and feed
    entry); the same checks as ``issue_alert``, nothing written."""
    now = _stamp(timezone.now())
    clean = _check_new(by=by, region=region, isu=isu, data=data, signal=signal, now=now)
    assert region is not None and clean.expires_at is not None
    return Alert(
        identifier="pratinjau",
        sender=settings.WASPADA_CAP_SENDER,
        sent=now,
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
        issued_by=by,
    )


def issue_alert(
    *,
    by: Person,
    region: Region | None,
    isu: str,
    data: AlertInput,
    signal: Signal | None = None,
    request: HttpRequest | None = None,
) -> Alert | AlertProposal:
    """Issue a new alert (CAP msgType Alert) for a region, an isu and a level.

    Steps: check the issuer's right over the region; check every field (Indonesian message per
    field); a signal, if given, must be one the issuer may read and already confirmed. An Actual,
    Public alert becomes an ``AlertProposal`` waiting for a second person (``approve_alert``);
    any other is published at once. Each writes its row and audit entry in one transaction.
    """
    now = _stamp(timezone.now())
    clean = _check_new(by=by, region=region, isu=isu, data=data, signal=signal, now=now)
    assert region is not None and clean.expires_at is not None
    fields: dict[str, Any] = {
        "scope": clean.scope,
        "region": region,
        "isu": isu,
        "level": clean.level,
        "headline": clean.headline,
        "description": clean.description,
        "instruction": clean.instruction,
        "expires_at": _stamp(clean.expires_at),
        "signal": signal,
    }
    with transaction.atomic():
        if needs_second_key(clean.status, clean.scope):
            return _propose(by=by, request=request, previous=None, cap_status=clean.status, **fields)
        return _publish(
            by=by,
            action="alert.issued",
            request=request,
            now=now,
            previous=None,
            status=clean.status,
            msg_type=MsgType.ALERT,
            **fields,
        )


# -- the second key ---------------------------------------------------------------------------


def _deciding_seat_roles(person: Person, region_code: str) -> set[str]:
    """The roles ``person`` holds in the TKD that decides ``region_code`` (the innermost active
    TKD whose jurisdiction holds it), as ``Access.decides`` finds that TKD."""
    from waspada.forums.access import access_of
    from waspada.regions.names import code_within

    access = access_of(person)
    if not access.active:
        return set()
    roles = set()
    for seat in access.tkd_seats():
        if not code_within(region_code, seat.area):
            continue
        inner = [other for other in access.inner_tkd_areas(seat.area) if code_within(region_code, other)]
        if not inner:
            roles.add(seat.role)
    return roles


def can_approve_alert(person: Person, region: Region) -> bool:
    """The second key: a seat with one of ``WASPADA_ALERT_APPROVER_ROLES`` (by default ketua and
    pimpinan: the head of Kesbangpol, who chairs the TKD) in the TKD that decides the region.
    Superusers hold every right. Whether this person also proposed it is asked by the action."""
    if not person.is_authenticated or not person.is_active:
        return False
    if person.is_superuser:
        return True
    approvers = set(settings.WASPADA_ALERT_APPROVER_ROLES)
    return bool(approvers & _deciding_seat_roles(person, region.code))


def approvers_of(region: Region) -> list[Person]:
    """Everyone who may approve a proposal for ``region`` (told when one waits)."""
    from waspada.forums.models import ForumKind, Membership

    members = Membership.objects.filter(
        ended_at__isnull=True,
        forum__kind=ForumKind.TKD,
        forum__is_active=True,
        role__in=list(settings.WASPADA_ALERT_APPROVER_ROLES),
        person__is_active=True,
    ).select_related("person")
    people = {m.person_id: m.person for m in members}
    return [p for p in people.values() if can_approve_alert(p, region)]


def _proposal_summary(proposal: AlertProposal) -> dict[str, Any]:
    return {
        "status": proposal.status,
        "cap_status": proposal.cap_status,
        "scope": proposal.scope,
        "region": proposal.region_id,
        "isu": proposal.isu,
        "level": proposal.level,
        "headline": proposal.headline,
        "expires_at": proposal.expires_at,
        "previous": proposal.previous.identifier if proposal.previous else None,
        "signal": proposal.signal_id,
    }


def _propose(*, by: Person, request: HttpRequest | None, **fields: Any) -> AlertProposal:
    from django.urls import reverse

    from waspada.notify.events import emit

    proposal = AlertProposal.objects.create(proposed_by=by, **fields)
    record(
        action="alert.proposed", actor=by, obj=proposal, changes=_proposal_summary(proposal), request=request
    )
    others = [p for p in approvers_of(proposal.region) if p.pk != by.pk]
    if others:
        emit(
            "alert.proposed",
            level=proposal.level,
            title=_("Peringatan publik menunggu persetujuan: %(headline)s") % {"headline": proposal.headline},
            body=_("Diusulkan oleh %(name)s untuk %(region)s.")
            % {"name": by.get_full_name() or by.get_username(), "region": proposal.region.name},
            persons=others,
            url=reverse("exchange:proposal", args=[proposal.pk]),
        )
    return proposal


def _waiting_for_decision(proposal: AlertProposal, by: Person) -> AlertProposal:
    """Lock the proposal and check that ``by`` may decide it: still waiting, not their own, and
    they hold the approve right over its region."""
    # Lock the proposal's row only: its ``previous`` may be null, and PostgreSQL refuses FOR UPDATE
    # on the nullable side of an outer join.
    locked = (
        AlertProposal.objects.select_for_update(of=("self",))
        .select_related("region", "previous")
        .get(pk=proposal.pk)
    )
    if not can_approve_alert(by, locked.region):
        raise PermissionError(
            _(
                "Hanya ketua atau pimpinan Tim Kewaspadaan Dini wilayah ini yang dapat menyetujui "
                "peringatan publik."
            )
        )
    if locked.proposed_by_id == by.pk:
        raise PermissionError(_("Pengusul tidak dapat menyetujui atau menolak usulannya sendiri."))
    if locked.status != ProposalStatus.MENUNGGU:
        raise ValidationError({"proposal": [_("Usulan ini sudah diputuskan.")]})
    return locked


def approve_alert(*, proposal: AlertProposal, by: Person, request: HttpRequest | None = None) -> Alert:
    """The second key: ``by`` (not the proposer, holding the approve right over the region)
    publishes the proposed alert or update. The proposal, the message and both audit entries
    are written in one transaction."""
    now = _stamp(timezone.now())
    with transaction.atomic():
        locked = _waiting_for_decision(proposal, by)
        if locked.expires_at <= now:
            raise ValidationError(
                {"proposal": [_("Batas berlaku usulan ini sudah lewat; tolak dan ajukan yang baru.")]}
            )
        previous = _latest_for_change(locked.previous) if locked.previous is not None else None
        alert = _publish(
            by=by,
            issued_by=locked.proposed_by,
            action="alert.updated" if previous else "alert.issued",
            request=request,
            now=now,
            previous=previous,
            status=locked.cap_status,
            msg_type=MsgType.UPDATE if previous else MsgType.ALERT,
            scope=locked.scope,
            region=locked.region,
            isu=locked.isu,
            level=locked.level,
            headline=locked.headline,
            description=locked.description,
            instruction=locked.instruction,
            expires_at=locked.expires_at,
            signal=locked.signal,
        )
        locked.status = ProposalStatus.DISETUJUI
        locked.decided_by = by
        locked.decided_at = now
        locked.alert = alert
        locked.save(update_fields=["status", "decided_by", "decided_at", "alert"])
        record(
            action="alert.approved",
            actor=by,
            obj=locked,
            changes={"status": locked.status, "alert": alert.identifier},
            request=request,
        )
        return alert


def reject_alert(
    *, proposal: AlertProposal, by: Person, reason: str, request: HttpRequest | None = None
) -> AlertProposal:
    """``by`` (not the proposer, holding the approve right) turns the proposal down with a
    reason; nothing is published."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Alasan penolakan wajib diisi.")]})
    if len(reason) > DESCRIPTION_MAX:
        raise ValidationError(
            {"reason": [_("Alasan paling panjang %(n)d karakter.") % {"n": DESCRIPTION_MAX}]}
        )
    with transaction.atomic():
        locked = _waiting_for_decision(proposal, by)
        locked.status = ProposalStatus.DITOLAK
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        record(
            action="alert.rejected",
            actor=by,
            obj=locked,
            changes={"status": locked.status, "reason": reason},
            request=request,
        )
        return locked


def _publish(
    *,
    by: Person,
    action: str,
    request: HttpRequest | None,
    now: datetime,
    previous: Alert | None,
    issued_by: Person | None = None,
    **fields: Any,
) -> Alert:
    """Write one CAP message and its audit entry (in the caller's transaction). A message that
    replaces another is sent at least a second after it, so the chain's order never ties."""
    alert = Alert.objects.create(
        identifier=Alert.new_identifier(),
        sender=settings.WASPADA_CAP_SENDER,
        sent=now if previous is None else max(now, previous.sent + timedelta(seconds=1)),
        previous=previous,
        issued_by=issued_by or by,
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


def update_alert(
    *, alert: Alert, by: Person, data: AlertInput, request: HttpRequest | None = None
) -> Alert | AlertProposal:
    """Publish an Update of ``alert`` (the latest message of its chain): same region and isu, new
    text, level, scope or expiry. The update references every earlier message of the chain. An
    Actual, Public update waits for a second person, as a new alert does."""
    _require_right(by, alert.region)
    now = _stamp(timezone.now())
    errors, clean = _check(data, isu=alert.isu, now=now)
    if errors:
        raise ValidationError(errors)
    assert clean.expires_at is not None
    with transaction.atomic():
        previous = _latest_for_change(alert)
        fields: dict[str, Any] = {
            "scope": clean.scope,
            "region": previous.region,
            "isu": previous.isu,
            "level": clean.level,
            "headline": clean.headline,
            "description": clean.description,
            "instruction": clean.instruction,
            "expires_at": _stamp(clean.expires_at),
            "signal": previous.signal,
        }
        if needs_second_key(clean.status, clean.scope):
            return _propose(by=by, request=request, previous=previous, cap_status=clean.status, **fields)
        return _publish(
            by=by,
            action="alert.updated",
            request=request,
            now=now,
            previous=previous,
            status=clean.status,
            msg_type=MsgType.UPDATE,
            **fields,
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
