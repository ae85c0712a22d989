"""The province's roll-up page, ``/situasi/provinsi/`` (rules in ``situation/province.py``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.lib.requests import person_of
from waspada.regions.models import Level, Region
from waspada.reports.taxonomy import AlertLevel, Isu
from waspada.situation import mapsvg
from waspada.situation.filters import Filters
from waspada.situation.province import Rollup, build_rollup, rollup_provinces

DEFAULT_DAYS = 30


def period_filters(query: dict[str, str] | object) -> Filters:
    """The chosen period (``since``, ``until``), by default the last 30 days up to today."""
    chosen = Filters.from_query(query)  # type: ignore[arg-type]
    period = Filters(since=chosen.since, until=chosen.until)
    period.errors = {k: v for k, v in chosen.errors.items() if k in ("since", "until")}
    today = timezone.localdate()
    if period.until is None:
        period.until = today
    if period.since is None or period.since > period.until:
        period.since = period.until - timedelta(days=DEFAULT_DAYS - 1)
    return period


def province_for(person: object, code: str) -> Region:
    """The province ``code`` (or the reader's first) if its roll-up is theirs; Http404 otherwise."""
    allowed = rollup_provinces(person)  # type: ignore[arg-type]
    code = code or (allowed[0] if allowed else "")
    if code not in allowed:
        raise Http404
    return get_object_or_404(Region, code=code, level=Level.PROVINSI)


def _map(rollup: Rollup) -> object:
    with_boundary = {r.code for r in rollup.rows if r.has_boundary}
    if not with_boundary:
        return ""
    geometry: dict[str, dict[str, Any]] = {
        code: boundary
        for code, boundary in Region.objects.filter(code__in=with_boundary).values_list("code", "boundary")
        if boundary
    }
    shapes = [
        mapsvg.Shape(
            code=row.code,
            name=row.name,
            status=row.status,
            geometry=geometry[row.code],
            href=f"#kab-{row.code}",
        )
        for row in rollup.rows
        if geometry.get(row.code)
    ]
    return mapsvg.draw(shapes, [], [], label=_("Peta kabupaten/kota menurut status"))


@login_required
def rollup(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if not rollup_provinces(person):
        message = _("Rekap provinsi hanya untuk Tim Kewaspadaan Dini dan Forkopimda provinsi.")
        return render(request, "reports/forbidden.html", {"message": message}, status=403)
    province = province_for(person, request.GET.get("provinsi", ""))
    filters = period_filters(request.GET)
    result = build_rollup(person, province, filters)
    isu_labels = dict(Isu.choices)
    reports_url = reverse("situation:reports")
    rows = [
        {
            "row": row,
            "isus": [row.by_isu.get(isu, 0) for isu in result.isus],
            "levels": [(row.by_level.get(level, 0), label) for level, label in AlertLevel.choices],
            "reports_url": reports_url + "?" + filters.querystring(region=row.code),
        }
        for row in result.rows
    ]
    return render(
        request,
        "situation/province.html",
        {
            "rollup": result,
            "rows": rows,
            "filters": filters,
            "isu_columns": [(isu, isu_labels.get(isu, isu)) for isu in result.isus],
            "level_columns": AlertLevel.choices,
            "total_isus": [result.totals.by_isu.get(isu, 0) for isu in result.isus],
            "total_levels": [
                (result.totals.by_level.get(level, 0), label) for level, label in AlertLevel.choices
            ],
            "any_override": any(row.overrides for row in result.rows),
            "svg": _map(result),
            "unmapped": [row for row in result.rows if not row.has_boundary],
            "provinces": rollup_provinces(person),
        },
    )
