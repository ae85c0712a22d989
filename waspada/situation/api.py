"""REST endpoints of the situation picture, for programs that follow it: the live stamp and the
region statuses Kesbangpol sets by hand (list, set, lift). Every write calls situation/actions.py.

As the pages: a current forum seat (or a superuser) is needed to read; setting and lifting are
for the TKD's senior roles (``actions.can_override_status``), refused with a 403 otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from waspada.audit.models import AuditEntry
from waspada.forums.models import Membership
from waspada.lib.api_schema import LONG_TEXT, REGION_CODE, Day, Id, InSchema, When, text_field
from waspada.lib.taxonomy import AlertLevel
from waspada.people.models import Person
from waspada.regions.models import Level, Region, within_q
from waspada.reports.api import ErrorOut
from waspada.security.sessions import not_activity
from waspada.situation import actions
from waspada.situation.models import StatusOverride

router = Router(tags=["situasi"])


def _me(request: HttpRequest) -> Person:
    person: Person = request.auth  # type: ignore[attr-defined]
    return person


def _seated(request: HttpRequest) -> Person:
    """The caller, if they may see the situation picture (a current forum seat, or a superuser)."""
    person = _me(request)
    if not person.is_superuser and not Membership.objects.current().filter(person=person).exists():
        raise PermissionError(_("Gambaran situasi hanya untuk anggota forum."))
    return person


def _require_override_right(person: Person) -> None:
    """Checked before the region is looked up, so that a person without the right learns nothing."""
    if not actions.can_override_status(person):
        raise PermissionError(
            _("Hanya analis dan pimpinan Tim Kewaspadaan Dini yang dapat menetapkan status.")
        )


class StampOut(Schema):
    stamp: str = Field(
        ..., description="Nomor catatan audit terbaru; berubah tiap kali gambaran bisa berubah"
    )
    poll_seconds: int = Field(..., description="Selang tanya yang disarankan, dalam detik")


@router.get(
    "/langsung",
    response={200: StampOut, 403: ErrorOut},
    summary="Cap pembaruan langsung (live stamp)",
)
def live_stamp(request: HttpRequest) -> dict[str, Any]:
    """The same stamp as /situasi/langsung.json: poll it, and fetch again what you follow when it
    changes. It says nothing about what changed."""
    _seated(request)
    not_activity(request)  # polling does not restart a session's idle clock
    latest = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return {"stamp": str(latest), "poll_seconds": settings.WASPADA_LIVE_POLL_SECONDS}


class OverrideOut(Schema):
    id: int
    region_code: str
    region_name: str
    status: str
    reason: str
    expires_at: datetime
    set_by: str
    set_at: datetime
    lifted_at: datetime | None
    lifted_by: str | None
    lift_reason: str


def override_out(override: StatusOverride) -> dict[str, Any]:
    return {
        "id": override.pk,
        "region_code": override.region_id,
        "region_name": override.region.name,
        "status": override.status,
        "reason": override.reason,
        "expires_at": override.expires_at,
        "set_by": override.set_by.display_name,
        "set_at": override.set_at,
        "lifted_at": override.lifted_at,
        "lifted_by": override.lifted_by.display_name if override.lifted_by else None,
        "lift_reason": override.lift_reason,
    }


def _overrides() -> Any:
    return StatusOverride.objects.select_related("region", "set_by", "lifted_by")


@router.get(
    "/penetapan-status",
    response={200: list[OverrideOut], 403: ErrorOut, 422: ErrorOut},
    summary="Status wilayah yang ditetapkan Kesbangpol dan masih berlaku",
)
def list_overrides(
    request: HttpRequest,
    region: str | None = Query(
        None, max_length=REGION_CODE, description="Kode wilayah; termasuk di bawahnya"
    ),
) -> list[dict[str, Any]]:
    """Statuses set by hand that are in force now (not lifted, not expired), newest first;
    ``region`` keeps those of that region and the regions below it."""
    _seated(request)
    rows = _overrides().in_force()
    if region:
        rows = rows.filter(within_q(region))
    return [override_out(r) for r in rows]


class OverrideIn(InSchema):
    region_code: str = text_field(
        max_length=REGION_CODE,
        required=True,
        description="Kode Kemendagri kecamatan atau desa/kelurahan di wilayah instalasi",
    )
    status: AlertLevel = Field(..., description="normal, waspada, siaga atau awas")
    reason: str = text_field(max_length=1000, required=True, description="Alasan penetapan (wajib)")
    expires_at: When = Field(
        ..., description="Berlaku sampai (paling lama 90 hari dari sekarang), dengan zona waktu"
    )


@router.post(
    "/penetapan-status",
    response={201: OverrideOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Tetapkan status wilayah (analis dan pimpinan TKD)",
)
def set_override(request: HttpRequest, payload: OverrideIn) -> tuple[int, dict[str, Any]]:
    """Replaces the computed status of a kecamatan or desa until ``expires_at``; a live one of the
    same region is lifted first. Recorded in the audit trail (``region_status.set``)."""
    person = _seated(request)
    _require_override_right(person)
    home = get_object_or_404(Region, code=settings.WASPADA_HOME_REGION)
    region = get_object_or_404(
        Region.objects.within(home).filter(level__in=(Level.KECAMATAN, Level.DESA)).defer("boundary"),
        code=payload.region_code,
    )
    expires = payload.expires_at
    if expires.tzinfo is None:
        raise ValidationError({"expires_at": [_("Sertakan zona waktu, mis. 2026-12-01T09:00:00+08:00.")]})
    made = actions.set_status_override(
        region=region,
        status=payload.status,
        reason=payload.reason,
        expires_at=expires,
        by=person,
        request=request,
    )
    return 201, override_out(_overrides().get(pk=made.pk))


class LiftIn(InSchema):
    reason: str = text_field(max_length=LONG_TEXT, required=True, description="Alasan pencabutan (wajib)")


@router.post(
    "/penetapan-status/{override_id}/cabut",
    response={200: OverrideOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Cabut penetapan status wilayah (analis dan pimpinan TKD)",
)
def lift_override(request: HttpRequest, override_id: Id, payload: LiftIn) -> dict[str, Any]:
    """Ends a status set by hand before its expiry; the rule decides again. Recorded in the audit
    trail (``region_status.lifted``)."""
    person = _seated(request)
    _require_override_right(person)
    override = get_object_or_404(_overrides().in_force(), pk=override_id)
    actions.lift_status_override(override=override, reason=payload.reason, by=person, request=request)
    return override_out(_overrides().get(pk=override.pk))


# The province's roll-up (situation/province.py), as the page /situasi/provinsi/ shows it.


class RegencyOut(Schema):
    code: str
    name: str
    status: str = Field(
        ..., description="Status terburuk kecamatan/desanya (aturan status, penetapan termasuk)"
    )
    regions_above_normal: int
    has_boundary: bool
    has_own_tkd: bool
    reports: int = Field(..., description="Laporan dalam periode yang boleh dilihat pemanggil")
    by_isu: dict[str, int]
    by_level: dict[str, int]
    open_dispositions: int
    late_dispositions: int = Field(..., description="Terlambat menurut satu-satunya arti terlambat")
    signals: int


class RollupOut(Schema):
    province_code: str
    province_name: str
    since: str
    until: str
    regencies: list[RegencyOut]
    province_signals: int
    sees_signals: bool
    withheld: list[str] = Field(..., description="Bagian gambaran yang tidak terlihat oleh pemanggil")


@router.get(
    "/provinsi",
    response={200: RollupOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Rekap provinsi per kabupaten/kota (TKD dan Forkopimda provinsi)",
)
def province_rollup(
    request: HttpRequest,
    provinsi: str = Query("", max_length=REGION_CODE, description="Kode provinsi; kosong: provinsi Anda"),
    since: Day | None = Query(None, description="Sejak tanggal (TTTT-BB-HH); kosong: 30 hari terakhir"),  # noqa: B008
    until: Day | None = Query(None, description="Sampai tanggal (TTTT-BB-HH); kosong: hari ini"),  # noqa: B008
) -> dict[str, Any]:
    """The same roll-up as /situasi/provinsi/: one entry per regency of the province, counted over
    the period (default: the last 30 days) from what the caller may see."""
    from waspada.situation.province import build_rollup, rollup_provinces
    from waspada.situation.province_views import period_filters, province_for

    person = _me(request)
    if not rollup_provinces(person):
        raise PermissionError(_("Rekap provinsi hanya untuk Tim Kewaspadaan Dini dan Forkopimda provinsi."))
    province = province_for(person, provinsi)
    filters = period_filters(
        {"since": since.isoformat() if since else "", "until": until.isoformat() if until else ""}
    )
    if filters.errors:
        raise ValidationError({k: [v] for k, v in filters.errors.items()})
    result = build_rollup(person, province, filters)
    return {
        "province_code": province.code,
        "province_name": province.name,
        "since": result.since.isoformat(),
        "until": result.until.isoformat(),
        "regencies": [
            {
                "code": row.code,
                "name": row.name,
                "status": row.status,
                "regions_above_normal": row.regions_above_normal,
                "has_boundary": row.has_boundary,
                "has_own_tkd": row.has_own_tkd,
                "reports": row.reports,
                "by_isu": row.by_isu,
                "by_level": row.by_level,
                "open_dispositions": row.open_dispositions,
                "late_dispositions": row.late_dispositions,
                "signals": row.signal_count,
            }
            for row in result.rows
        ],
        "province_signals": result.province_signal_count,
        "sees_signals": result.sees_signals,
        "withheld": result.withheld,
    }
