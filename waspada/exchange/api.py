"""REST endpoints of the exchange app: streamed exports, the alert index and CAP documents for
API users (bearer token or session), each through the same scoped querysets as the pages."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Schema

from waspada.exchange import cap, exports
from waspada.exchange.models import Alert
from waspada.forums.models import Membership
from waspada.lib.api_schema import FORUM_CODE, REGION_CODE, Day
from waspada.lib.taxonomy import AlertLevel, Athg, Isu
from waspada.reports.api import ErrorOut
from waspada.situation.filters import Filters

exports_router = Router(tags=["ekspor"])
alerts_router = Router(tags=["peringatan"])
_TARGETS = {"reports": "laporan", "incidents": "insiden"}


def _me(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@exports_router.get(
    "/{target}",
    response={200: None, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Ekspor laporan atau insiden yang boleh Anda lihat (csv, xlsx, geojson, hxl), dialirkan",
)
def export(
    request: HttpRequest,
    target: Literal["reports", "incidents"],
    format: Literal["csv", "xlsx", "geojson", "hxl"] = "csv",
    isu: Isu | Literal[""] = "",
    athg: Athg | Literal[""] = "",
    alert_level: AlertLevel | Literal[""] = "",
    status: str = Query("", max_length=20, description="Status laporan, atau status insiden untuk insiden"),
    region: str = Query("", max_length=REGION_CODE, description="Kode wilayah"),
    forum: str = Query("", max_length=FORUM_CODE, description="Kode forum"),
    disposition: str = Query("", max_length=20, description="Keadaan disposisi"),
    since: Day | None = Query(None, description="Sejak tanggal (TTTT-BB-HH)"),  # noqa: B008
    until: Day | None = Query(None, description="Sampai tanggal (TTTT-BB-HH), tidak sebelum since"),  # noqa: B008
    q: str = Query("", max_length=200, description="Kata yang dicari"),
) -> StreamingHttpResponse:
    from waspada.exchange.views import export_response

    if target not in _TARGETS:
        raise Http404
    if format not in exports.FORMATS:
        raise ValidationError(
            {"format": [f"Format tidak dikenal: {format[:20]}; pilih csv, xlsx, geojson atau hxl."]}
        )
    person = _me(request)
    if not person.is_superuser and not Membership.objects.current().filter(person=person).exists():
        raise PermissionError("Ekspor hanya untuk anggota forum.")
    filters = Filters.from_query(
        {
            "isu": isu,
            "athg": athg,
            "alert_level": alert_level,
            "status": status,
            "region": region,
            "forum": forum,
            "disposition": disposition,
            "since": since.isoformat() if since else "",
            "until": until.isoformat() if until else "",
            "q": q,
        },
        for_incidents=target == "incidents",
    )
    if filters.errors:
        raise ValidationError({name: [message] for name, message in filters.errors.items()})
    return export_response(request, person, _TARGETS[target], format, filters)


class AlertOut(Schema):
    identifier: str
    msg_type: str
    scope: str
    status: str
    sent: Any
    expires_at: Any
    region_code: str
    isu: str
    level: str
    headline: str
    references: str | None
    cap_url: str


def _alert_out(request: HttpRequest, alert: Alert) -> dict[str, Any]:
    return {
        "identifier": alert.identifier,
        "msg_type": alert.msg_type,
        "scope": alert.scope,
        "status": alert.status,
        "sent": alert.sent,
        "expires_at": alert.expires_at,
        "region_code": alert.region_id,
        "isu": alert.isu,
        "level": alert.level,
        "headline": alert.headline,
        "references": alert.previous.identifier if alert.previous else None,
        "cap_url": request.build_absolute_uri(reverse("api:alert_cap", args=[alert.identifier])),
    }


@alerts_router.get("/", response={200: list[AlertOut]}, summary="Peringatan yang berlaku dan boleh Anda baca")
def list_alerts(request: HttpRequest) -> list[dict[str, Any]]:
    alerts = Alert.objects.in_feed_for(_me(request)).select_related("previous").order_by("-sent", "-pk")
    return [_alert_out(request, alert) for alert in alerts[:500]]


@alerts_router.get(
    "/atom",
    response={200: None},
    url_name="alert_atom",
    summary="Indeks Atom peringatan yang berlaku (Publik dan Terbatas Anda)",
)
def atom(request: HttpRequest) -> HttpResponse:
    alerts = Alert.objects.in_feed_for(_me(request)).order_by("-sent", "-pk")
    body = cap.atom_feed(
        alerts,
        feed_url=request.build_absolute_uri(reverse("api:alert_atom")),
        title="Peringatan dini (Publik dan Terbatas)",
        document_url=lambda a: request.build_absolute_uri(reverse("api:alert_cap", args=[a.identifier])),
    )
    response = HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@alerts_router.get(
    "/{identifier}/cap", response={200: None, 404: ErrorOut}, url_name="alert_cap", summary="Dokumen CAP 1.2"
)
def cap_document(request: HttpRequest, identifier: str) -> HttpResponse:
    if "\x00" in identifier:
        raise Http404
    alert = get_object_or_404(
        Alert.objects.visible_to(_me(request)).select_related("region"), identifier=identifier
    )
    web = request.build_absolute_uri(reverse("exchange:alert", args=[alert.identifier]))
    response = HttpResponse(
        cap.cap_document(alert, web=web), content_type="application/cap+xml; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    return response
