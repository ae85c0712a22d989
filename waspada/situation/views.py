"""Pages of the situation picture: dashboard, map, region status, lists and search, live stamp.

Every read goes through ``visible_to(person)``; the pages need a forum seat (or a superuser).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waspada.audit.models import AuditEntry
from waspada.forums.access import kept_stamp
from waspada.forums.models import Forum
from waspada.lib.requests import person_of
from waspada.regions.models import Level, Region, within_q
from waspada.regions.names import code_within
from waspada.reports.models import Incident, ReportStatus
from waspada.reports.sharing import shared_place, summary_only_ids
from waspada.reports.taxonomy import ALERT_RANK, AlertLevel, Athg, Classification, Isu
from waspada.reports.visibility import (
    exact_location_rule,
    opens_whole_picture,
    picture_areas,
    picture_dispositions,
    picture_incidents,
)
from waspada.response.models import Disposition
from waspada.security.headers import POLICY
from waspada.security.sessions import not_activity
from waspada.situation import actions, charts, mapsvg
from waspada.situation.access import may_see_situation
from waspada.situation.counts import CACHE_SECONDS, dashboard_counts, withheld_reports
from waspada.situation.filters import INCIDENT_STATUSES, Filters, search_text
from waspada.situation.models import SavedSearch, StatusOverride
from waspada.situation.paging import COUNT_LIMIT, PAGE_SIZE, keyset_page
from waspada.situation.status import region_statuses
from waspada.situation.table import TIME_FIELD, Table, columns_of, numbered_page

MAP_MARKER_LIMIT = 2000
DEFAULT_DAYS = 30
TREND_WEEKS = 12
KECAMATAN_BARS = 15  # the busiest; an installation rolling up a province has hundreds


def seat_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in, and a current forum seat (or a superuser): an account with no forum sees nothing."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_see_situation(person_of(request)):
            message = _("Gambaran situasi hanya untuk anggota forum.")
            return render(request, "reports/forbidden.html", {"message": message}, status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _home() -> Region:
    # 404 rather than 500 on an installation whose home region is not imported yet
    return get_object_or_404(Region, code=settings.WASPADA_HOME_REGION)


def _with_default_period(filters: Filters) -> Filters:
    if filters.since or filters.until:
        return filters
    today = timezone.localdate()
    return filters.with_period(today - timedelta(days=DEFAULT_DAYS - 1), today)


def _choices(person: Any) -> dict[str, Any]:
    return {
        "isus": Isu.choices,
        "athgs": Athg.choices,
        "levels": AlertLevel.choices,
        "report_statuses": ReportStatus.choices,
        "incident_statuses": INCIDENT_STATUSES,
        "kecamatans": Region.objects.within(_home()).filter(level=Level.KECAMATAN).only("code", "name"),
        # The forums of the person's line of command, not every forum of a province installation.
        "forums": Forum.objects.visible_to(person).active().order_by("code").only("code", "name"),
    }


def _list_url(filters: Filters, **overrides: Any) -> str:
    return reverse("situation:reports") + "?" + filters.querystring(**overrides)


@seat_required
def dashboard(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    filters = _with_default_period(Filters.from_query(request.GET))
    # the weekly trend: the 12 weeks up to the period's end, other filters kept
    end = filters.until or timezone.localdate()
    first_week = end - timedelta(days=end.weekday() + 7 * (TREND_WEEKS - 1))
    counts = dashboard_counts(filters, filters.with_period(first_week, end), person)

    by_level = counts.by_level
    level_bars = [
        charts.Bar(str(label), by_level.get(value, 0), _list_url(filters, alert_level=value), f"lv-{value}")
        for value, label in reversed(AlertLevel.choices)
    ]
    by_isu = sorted(counts.by_isu.items(), key=lambda item: (-item[1], item[0]))
    isu_labels = dict(Isu.choices)
    isu_bars = [charts.Bar(str(isu_labels.get(i, i)), n, _list_url(filters, isu=i)) for i, n in by_isu]
    by_kec = sorted(counts.by_kecamatan.items(), key=lambda item: (-item[1], item[0]))[:KECAMATAN_BARS]
    names = dict(Region.objects.filter(code__in=[k for k, _n in by_kec]).values_list("code", "name"))
    kec_bars = [charts.Bar(names.get(k, k), n, _list_url(filters, region=k)) for k, n in by_kec]

    per_week = counts.weekly
    columns = []
    for index in range(TREND_WEEKS):
        start = first_week + timedelta(weeks=index)
        week_counts = per_week.get(start, {})
        columns.append(
            charts.Column(
                label=start.strftime("%d/%m"),
                title=_("Minggu mulai %(day)s") % {"day": start.strftime("%d-%m-%Y")},
                href=_list_url(
                    filters, since=start.isoformat(), until=(start + timedelta(days=6)).isoformat()
                ),
                parts=[(f"lv-{value}", week_counts.get(value, 0)) for value in AlertLevel.values],
            )
        )

    dispositions = picture_dispositions(Disposition.objects.all(), person)
    open_by_forum = dict(dispositions.open().order_by().values_list("forum__code").annotate(n=Count("pk")))
    overdue_by_forum = dict(dispositions.late().order_by().values_list("forum__code").annotate(n=Count("pk")))
    forum_names = dict(Forum.objects.filter(code__in=list(open_by_forum)).values_list("code", "name"))
    # Rule 13 counts every open disposition of the picture; the inbox the count links to lists
    # only those the person may see (rule 9). A leader is told how many of them they may open.
    if opens_whole_picture(person):
        opens_by_forum = open_by_forum
    else:
        opens_by_forum = dict(
            Disposition.objects.visible_to(person)
            .open()
            .filter(forum__code__in=list(open_by_forum))
            .order_by()
            .values_list("forum__code")
            .annotate(n=Count("pk"))
        )
    forum_rows = [
        {
            "code": code,
            "name": forum_names.get(code, code),
            "open": open_by_forum[code],
            "opens": opens_by_forum.get(code, 0),
            "overdue": overdue_by_forum.get(code, 0),
            "open_url": reverse("response:inbox") + "?" + urlencode({"forum": code}),
            "overdue_url": _list_url(Filters(), forum=code, disposition="terlambat"),
        }
        for code in sorted(open_by_forum, key=lambda c: (-overdue_by_forum.get(c, 0), -open_by_forum[c], c))
    ]

    home = _home()
    statuses = region_statuses(person, home)
    # Region statuses are per region (the last 14 days), not per isu or period: the hotspots and
    # the small map follow the filter's region only, and the page says so.
    scope = filters.region if filters.region is not None and home.contains(filters.region) else home
    hotspots = sorted(
        (
            entry
            for entry in statuses.values()
            if entry.status != AlertLevel.NORMAL and code_within(entry.code, scope.code)
        ),
        key=lambda e: (-e.rank, -e.incidents, e.level, e.code),
    )[:8]
    latest = _latest_incidents(person)
    total = sum(by_level.values())
    context = {
        "filters": filters,
        "total": total,
        **_picture_note(person, counts.withheld),
        "total_url": _list_url(filters),
        "level_chart": charts.bar_chart(level_bars, label=_("Laporan per tingkat kewaspadaan")),
        "isu_chart": charts.bar_chart(isu_bars, label=_("Laporan per isu")),
        "kec_chart": charts.bar_chart(kec_bars, label=_("Laporan per kecamatan")),
        "trend_chart": charts.column_chart(columns, label=_("Tren mingguan laporan")),
        "forum_rows": forum_rows,
        "hotspots": hotspots,
        "latest": latest,
        "status_scope": scope,
        "status_map": _status_map(scope, statuses),
        **_live_context(),
        **_choices(person),
    }
    return render(request, "situation/dashboard.html", context)


LATEST_INCIDENTS = 8


def _status_map(scope: Region, statuses: dict[str, Any]) -> str:
    """The dashboard's small map: the kecamatan of ``scope`` (the home region, or the filter's
    region; a village's kecamatan) coloured by status (no markers, no tiles; the map page has both)."""
    home = scope.parent if scope.level >= Level.DESA and scope.parent is not None else scope
    shapes = [
        mapsvg.Shape(
            code=region.code,
            name=region.name,
            status=statuses[region.code].status if region.code in statuses else AlertLevel.NORMAL,
            geometry=region.boundary or {},
            href=reverse("situation:region", args=[region.code]),
        )
        for region in Region.objects.within(home).filter(level=Level.KECAMATAN, boundary__isnull=False)
    ]
    return mapsvg.draw(shapes, [], [], label=_("Peta status wilayah %(name)s") % {"name": home.name})


@dataclass
class Latest:
    """A notable incident of the person's picture; ``opens``: whether they may open it (if not,
    it is named by isu, level and place only: rule 13)."""

    incident: Incident
    opens: bool


def _latest_incidents(person: Any) -> list[Latest]:
    """The newest incidents of the person's picture (rule 13). Which ones, and which of them the
    person may open, is kept like the counts until the next audited change (``kept_stamp``):
    then the page reads them by their ids, without the permission check's condition."""
    newest_first = ("-occurred_at", "-pk")
    key = f"situation:latest:{kept_stamp(person)}"
    kept = cache.get(key)
    if kept is not None:
        rows = Incident.objects.filter(pk__in=[pk for pk, _opens in kept]).select_related("region")
        opens = dict(kept)
        return [Latest(row, opens[row.pk]) for row in rows.order_by(*newest_first)]
    active = Incident.objects.filter(merged_into__isnull=True).select_related("region")
    areas = picture_areas(person)
    if not areas:
        latest = list(picture_incidents(active, person).order_by(*newest_first)[:LATEST_INCIDENTS])
    else:
        # In parts, like the counts: the newest of each picture area with no condition (every
        # incident there is in the picture), and the newest the person may open outside them.
        # Outside them only the keys are read: the few that make the list are fetched after.
        outside = Incident.objects.filter(merged_into__isnull=True)
        candidates: list[tuple[Any, int, Incident | None]] = []
        for area in areas:
            for row in active.filter(within_q(area)).order_by(*newest_first)[:LATEST_INCIDENTS]:
                candidates.append((row.occurred_at, row.pk, row))
            outside = outside.exclude(within_q(area))
        keys = picture_incidents(outside, person).order_by(*newest_first).values_list("occurred_at", "pk")
        candidates += [(at, pk, None) for at, pk in keys[:LATEST_INCIDENTS]]
        chosen = sorted(candidates, key=lambda c: (c[0], c[1]), reverse=True)[:LATEST_INCIDENTS]
        missing = [pk for _at, pk, row in chosen if row is None]
        fetched = active.in_bulk(missing) if missing else {}
        latest = [row if row is not None else fetched[pk] for _at, pk, row in chosen]
    if opens_whole_picture(person):
        opened = {incident.pk for incident in latest}
    else:
        opened = set(
            Incident.objects.visible_to(person)
            .filter(pk__in=[incident.pk for incident in latest])
            .values_list("pk", flat=True)
        )
    cache.set(key, [(incident.pk, incident.pk in opened) for incident in latest], CACHE_SECONDS)
    return [Latest(incident, incident.pk in opened) for incident in latest]


def _picture_note(person: Any, withheld: dict[str, int]) -> dict[str, Any]:
    """What the page says about whose picture it is (rule 13): the assessed picture of the
    person's jurisdiction, with how many of its reports they may not open; or a picture counted
    from only what they may open."""
    labels = dict(Classification.choices)
    return {
        "assessed": bool(picture_areas(person)) or person.is_superuser,
        "withheld_total": sum(withheld.values()),
        "withheld_parts": [
            (labels[value], withheld[value]) for value in Classification.values if withheld.get(value)
        ],
    }


def _live_context() -> dict[str, Any]:
    return {"live_url": reverse("situation:live"), "poll_seconds": settings.WASPADA_LIVE_POLL_SECONDS}


@seat_required
def live(request: HttpRequest) -> JsonResponse:
    """A tiny answer for open pages to poll: the newest audit entry's number.

    Every change that can move the picture (a report filed, verified, rejected, a level or a
    status set, a disposition's step) writes an audit entry in its own transaction, so the
    number changes exactly when a page may be out of date; the page then fetches itself again,
    through the same scoped querysets. It says nothing about what changed.
    """
    not_activity(request)  # a page polling is not the person acting: the idle clock runs on
    latest = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = JsonResponse({"stamp": str(latest)})
    response["Cache-Control"] = "no-store"
    return response


def _saved(person: Any, target: str) -> Any:
    return SavedSearch.objects.filter(person=person, target=target)


def _listing(request: HttpRequest, target: str, filters: Filters, rows: Any) -> dict[str, Any]:
    """The page of ``rows`` in the table's order, with what the template needs to draw it: the
    table's headers and links, and the query string the pager, the saved search and the exports
    carry (filters, columns, order: an export holds what the table shows)."""
    table = Table.from_query(request.GET, target)
    base = filters.params()
    query = urlencode({**base, **table.params()})
    if table.is_default_order:
        page: Any = keyset_page(rows, TIME_FIELD[target], request.GET.get("after", ""))
        next_href = f"?{query}{'&' if query else ''}after={page.next_cursor}" if page.next_cursor else ""
        first_href = "" if page.is_first else f"?{query}"
    else:
        page = numbered_page(table.order(rows), request.GET.get("halaman", ""), PAGE_SIZE, COUNT_LIMIT)
        next_href = f"?{query}&halaman={page.number + 1}" if page.has_next else ""
        first_href = "" if page.number == 1 else f"?{query}"
    every = columns_of(target)
    return {
        "filters": filters,
        "table": table,
        "headers": table.headers(base),
        "all_columns": [(column, column in table.shown) for column in every],
        "filter_params": sorted(base.items()),
        "page": page,
        "next_href": next_href,
        "first_href": first_href,
        "target": target,
        "query": query,
        "filter_query": urlencode(base),
        "cards_href": "?" + urlencode({**base, **table.params(tampilan="kartu")}),
        "table_href": "?" + urlencode({**base, **table.params(tampilan="")}),
    }


@seat_required
def report_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    filters = Filters.from_query(request.GET)
    rows = search_text(filters.visible_reports(person), filters.q).select_related("region", "reporter_forum")
    return render(
        request,
        "situation/list.html",
        {
            **_listing(request, "laporan", filters, rows),
            "saved": _saved(person, "laporan"),
            "statuses": ReportStatus.choices,
            # rule 13: the reports of the picture under these filters that the person may not open
            **_picture_note(person, withheld_reports(filters, person)),
            **_live_context(),
            **_choices(person),
        },
    )


@seat_required
def incident_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    filters = Filters.from_query(request.GET, for_incidents=True)
    rows = filters.apply_incidents(Incident.objects.visible_to(person).select_related("region"))
    listing = _listing(request, "insiden", filters, rows)
    page = listing["page"]
    # An incident another regency's TKD shared is named by its kecamatan only (rule 11).
    summary_only = summary_only_ids(person, [(row.pk, row.region_id) for row in page.rows])
    for row in page.rows:
        row.shown_place = shared_place(row) if row.pk in summary_only else row.region
    return render(
        request,
        "situation/list.html",
        {
            **listing,
            "saved": _saved(person, "insiden"),
            "statuses": INCIDENT_STATUSES,
            **_live_context(),
            **_choices(person),
        },
    )


@seat_required
@require_POST
def save_search(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    target = request.POST.get("target", "laporan")
    query = request.POST.get("query", "")
    # keep only what the filters understand: a saved search is re-read like any query string
    from django.http import QueryDict

    given = QueryDict(query)
    table = Table.from_query(given, "insiden" if target == "insiden" else "laporan")
    filters = Filters.from_query(given, for_incidents=target == "insiden")
    cleaned = urlencode({**filters.params(), **table.params()})  # the columns and order too
    url_name = "situation:incidents" if target == "insiden" else "situation:reports"
    try:
        actions.save_search(
            person=person, name=request.POST.get("name", ""), target=target, query=cleaned, request=request
        )
        messages.success(request, _("Pencarian disimpan."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(reverse(url_name) + "?" + cleaned)


@seat_required
@require_POST
def delete_search(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_of(request)
    search = get_object_or_404(SavedSearch, pk=pk, person=person)
    target = search.target
    actions.delete_search(search=search, person=person, request=request)
    messages.success(request, _("Pencarian dihapus."))
    return redirect("situation:incidents" if target == "insiden" else "situation:reports")


def _map_csp(tile_url: str) -> str | None:
    if not tile_url:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(tile_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    policy = {**POLICY, "img-src": [*POLICY["img-src"], origin]}
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


@seat_required
def map_view(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    home = _home()
    filters = _with_default_period(Filters.from_query(request.GET))
    area = filters.region if filters.region and home.contains(filters.region) else home
    if area.level >= Level.DESA and area.parent is not None:
        area = area.parent
    layer = request.GET.get("layer") or ("desa" if area.level == Level.KECAMATAN else "kecamatan")
    shape_level = Level.DESA if layer == "desa" else Level.KECAMATAN
    statuses = region_statuses(person, home)
    regions = Region.objects.within(area).filter(boundary__isnull=False)

    def shape(region: Region) -> mapsvg.Shape:
        entry = statuses.get(region.code)
        return mapsvg.Shape(
            code=region.code,
            name=region.name,
            status=entry.status if entry else AlertLevel.NORMAL,
            geometry=region.boundary or {},
            href=reverse("situation:region", args=[region.code]),
        )

    shapes = [shape(r) for r in regions.filter(level=shape_level)]
    outlines = [shape(r) for r in regions.filter(level=Level.KECAMATAN)] if shape_level == Level.DESA else []

    marker_filters = filters if filters.region else Filters(**{**filters.__dict__, "region": area})
    # exact points are for the TKD (and each reporter's own reports); others see the village
    sees_exact = exact_location_rule(person)
    centroids = dict(
        (code, (lon, lat))
        for code, lon, lat in Region.objects.within(area).values_list("code", "longitude", "latitude")
        if lon is not None and lat is not None
    )
    markers = []
    reports = search_text(marker_filters.visible_reports(person), filters.q).order_by("-reported_at")[
        :MAP_MARKER_LIMIT
    ]
    for report in reports.only(
        "reference", "title", "alert_level", "region_id", "latitude", "longitude", "reporter_id"
    ):
        point = None
        if (
            report.latitude is not None
            and report.longitude is not None
            and sees_exact(report.region_id, report.reporter_id)
        ):
            point = (report.longitude, report.latitude)
        point = point or centroids.get(report.region_id)
        if point:
            markers.append(
                mapsvg.Marker(
                    point[0],
                    point[1],
                    report.alert_level,
                    f"{report.reference} {report.title}",
                    reverse("reports:detail", args=[report.reference]),
                    report.region_id,
                )
            )
    tile_url = settings.WASPADA_MAP_TILE_URL
    svg = mapsvg.draw(
        shapes,
        outlines,
        markers,
        label=_("Peta status wilayah %(name)s") % {"name": area.name},
        tile_url=tile_url,
        cluster_href=lambda code: _list_url(marker_filters, region=code or area.code),
        # issue 19: the web map names each kecamatan (a village layer would be unreadable)
        labels=shape_level == Level.KECAMATAN,
    )
    listed = sorted(
        (e for e in statuses.values() if e.level == shape_level and e.code.startswith(area.code + ".")),
        key=lambda e: (-e.rank, -e.incidents, e.name),
    )
    response = render(
        request,
        "situation/map.html",
        {
            "filters": filters,
            "area": area,
            "layer": layer,
            "svg": svg,
            "marker_count": len(markers),
            "marker_limit": MAP_MARKER_LIMIT,
            "listed": listed,
            **_picture_note(person, withheld_reports(marker_filters, person)),
            **_live_context(),
            **_choices(person),
        },
    )
    csp = _map_csp(tile_url)
    if csp:
        response["Content-Security-Policy"] = csp
    return response


@seat_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    person = person_of(request)
    home = _home()
    if code == home.code and request.method != "POST":
        # Statuses are the kecamatan's and villages': the regency's own page is the map, with
        # every kecamatan's status listed beside it.
        return redirect("situation:map")
    region = get_object_or_404(
        Region.objects.within(home).filter(level__in=(Level.KECAMATAN, Level.DESA)), code=code
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "lift":
                override = get_object_or_404(StatusOverride.objects.in_force(), region=region)
                actions.lift_status_override(
                    override=override, reason=request.POST.get("reason", ""), by=person, request=request
                )
                messages.success(request, _("Penetapan status dicabut."))
            else:
                raw = request.POST.get("expires_at", "")
                expires = parse_datetime(raw) if raw else None
                if expires is not None and timezone.is_naive(expires):
                    expires = timezone.make_aware(expires)
                if raw and expires is None:
                    raise ValidationError(
                        {"expires_at": [_("Batas berlaku tidak valid: %(value)s.") % {"value": raw[:40]}]}
                    )
                actions.set_status_override(
                    region=region,
                    status=request.POST.get("status", ""),
                    reason=request.POST.get("reason", ""),
                    expires_at=expires,
                    by=person,
                    request=request,
                )
                messages.success(request, _("Status wilayah ditetapkan."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionError as exc:
            return render(request, "reports/forbidden.html", {"message": str(exc)}, status=403)
        return redirect("situation:region", code=region.code)
    statuses = region_statuses(person, home)
    entry = statuses[region.code]
    children = sorted(
        (e for e in statuses.values() if e.code.startswith(region.code + ".")),
        key=lambda e: (-e.rank, e.name),
    )
    return render(
        request,
        "situation/region.html",
        {
            "region": region,
            "entry": entry,
            "children": children,
            "can_override": actions.can_override_status(person),
            "levels": AlertLevel.choices,
            "list_url": _list_url(Filters(), region=region.code),
            "incidents_url": reverse("situation:incidents") + "?" + urlencode({"region": region.code}),
            "default_expiry": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "rank": ALERT_RANK,
        },
    )
