"""The dashboard's numbers: reports by alert level, isu and kecamatan over the period, and the
weekly trend by level, for the reports a person may see.

The person's picture parts (rule 13: the areas of their TKD and Forkopimda seats; everything for
a superuser and for the wall) are sums over the reports rollup (``reports/rollups.py``: counts
per day x region x isu x level x status x classification, kept equal to the reports in every
writer's transaction) whenever the filters are on its keys (``rollup_areas``): no text search, no
ATHG, forum or disposition filter. Otherwise, and for the few reports outside the picture areas
that the person may open, plain ``GROUP BY`` queries over ``filters, then visible_to`` (the same
queryset the lists read), served on PostgreSQL by the covering period index (situation migration
0003). The withheld counts (rule 13) are still counted from the reports. The answer is kept in the
cache until the next audit entry (``dashboard_counts``). One pass with ``GROUPING SETS`` was tried
and measured slower for a nationwide superuser (docs/situation.md).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr, TruncDate, TruncWeek
from django.utils import timezone

from waspada.forums.access import audit_stamp
from waspada.lib.dates import as_date
from waspada.reports.visibility import (
    picture_areas,
    picture_parts,
    sees_whole_picture,
    withheld_by_classification,
)
from waspada.situation.filters import Filters, search_text

KECAMATAN_CODE = 8  # "64.01.06": the first 8 characters of a village's code
# A kept answer is exact until the next audit entry, with one exception: two writes whose audit
# numbers commit out of order (the later number first) leave the stamp unchanged when the earlier
# one commits. The expiry bounds how long such a rare answer can be one change behind.
CACHE_SECONDS = 60


@dataclass
class DashboardCounts:
    by_level: dict[str, int] = field(default_factory=dict)
    by_isu: dict[str, int] = field(default_factory=dict)
    by_kecamatan: dict[str, int] = field(default_factory=dict)
    weekly: dict[date, dict[str, int]] = field(default_factory=dict)  # week's Monday -> level -> n
    # Reports of the period counted above that the person may not open, by classification (rule 13)
    withheld: dict[str, int] = field(default_factory=dict)

    @property
    def withheld_total(self) -> int:
        return sum(self.withheld.values())


def _reports(filters: Filters, person: Any) -> Any:

    # filters first, then visible_to, then the text search (docs/situation.md)
    return search_text(filters.visible_reports(person), filters.q)


def dashboard_counts(filters: Filters, trend: Filters, person: Any) -> DashboardCounts:
    """``filters`` choose the period counted by level, isu and kecamatan; ``trend`` is the same
    filters over the trend's whole weeks. ``person`` None: the assessed picture of the filters'
    region with no person (rule 13; the command-room wall), every report there counted.

    Kept in the cache under the newest audit entry (its number and chain hash), the viewer and the filters:
    every change that can move these numbers writes an audit entry in its own transaction (the
    live stamp relies on the same), so a kept answer is exactly the answer until the next change.
    Superusers see every report and share one entry; anyone else has their own. Not kept when a
    filter depends on the clock itself (overdue dispositions become overdue with no write).
    """
    if filters.disposition == "terlambat":
        return _direct(filters, trend, person)
    if person is None:  # the assessed picture of ``filters.region`` itself (the wall: no person)
        viewer = "picture"
    else:
        viewer = "all" if person.is_superuser and person.is_active else f"p{person.pk}"
    stamp = audit_stamp()  # read once per request (the seats are kept under it too)
    span = f"{filters.querystring()}|{trend.querystring()}"
    key = f"situation:counts:{viewer}:{stamp}:{hashlib.sha256(span.encode()).hexdigest()[:32]}"
    counts = cache.get(key)
    if counts is None:
        counts = _direct(filters, trend, person)
        cache.set(key, counts, CACHE_SECONDS)
    return counts


def _parts(filters: Filters, person: Any, *, rest: bool = True) -> tuple[list[Any], bool]:
    """The reports to count, in disjoint parts whose counts add up: the person's picture (rule 13
    of ``reports/visibility.py``: every report of the areas of their TKD and Forkopimda seats,
    whatever its classification, with no permission condition) and last the few rows outside it
    they may open, by their indexes (``picture_parts``). A region filter inside their picture is
    one part; any other is written for its region alone (``Filters.visible_reports``).

    Also says whether the parts are split (picture areas and a rest outside them); with
    ``rest=False`` a split's rest is left out (``_count_rest`` counts it apart)."""
    from waspada.reports.models import Report

    base = filters.apply_reports(Report.objects.all(), search=False)
    if person is None:  # no person: every report of the filters (the wall passes its region)
        return [search_text(base, filters.q)], False
    if filters.region is not None and sees_whole_picture(person, filters.region.code):
        return [search_text(base, filters.q)], False
    if not picture_areas(person):
        parts = picture_parts(base, person)  # one part: what the person may open
        if filters.region is not None:
            return [_reports(filters, person)], False
        return [search_text(part, filters.q) for part in parts], len(parts) > 1
    parts = picture_parts(base, person, rest=rest)
    return [search_text(part, filters.q) for part in parts], True


def withheld_reports(filters: Filters, person: Any) -> dict[str, int]:
    """Rule 13: the reports of the person's picture under ``filters`` they may not open, by
    classification (the dashboard, the report list and the map say how many)."""
    from waspada.reports.models import Report

    if person is None:
        return {}
    base = search_text(filters.apply_reports(Report.objects.all(), search=False), filters.q)
    return withheld_by_classification(base, person)


def _add(into: dict[Any, int], rows: Any) -> None:
    for key, n in rows:
        into[key] = into.get(key, 0) + n


def _direct(filters: Filters, trend: Filters, person: Any, *, rollup: bool = True) -> DashboardCounts:
    """Counted afresh: the picture parts from the reports rollup when the filters allow it
    (``rollup_areas``), else from the reports; the rest outside them from the reports."""
    counts = DashboardCounts()
    areas = rollup_areas(filters, trend, person) if rollup else None
    if areas is not None:
        _count_rollup(counts, filters, trend, areas)
        if areas != [None] and person is not None:  # a picture of areas: the rest outside them
            _count_rest(counts, filters, trend, person)
        counts.withheld = withheld_reports(filters, person)
        return counts
    # Split, the parts are the person's picture areas, and the rest outside them (a handful of
    # reports: their own, their forums', what is shared with them) is counted for the period and
    # for the trend at once, below, in one query grouped by day: its condition is written once.
    parts, split = _parts(filters, person, rest=False)
    for part in parts:
        _count_period(counts, part.order_by(), "region_id", Count("pk"))
    trend_parts, _split = _parts(trend, person, rest=False)
    for part in trend_parts:
        _add_weekly(counts, _weekly(part))
    if split:
        _count_rest(counts, filters, trend, person)
    counts.withheld = withheld_reports(filters, person)
    return counts


def rollup_areas(filters: Filters, trend: Filters, person: Any) -> list[str | None] | None:
    """The picture parts of ``_parts`` as areas of the reports rollup (None in the list: no
    area condition beyond the filters), or None when they must be counted from the reports:
    a filter the rollup has no key for (text, ATHG, forum, disposition), a person with no
    picture area (their parts are what they may open: rules 1 to 5), or a time zone other
    than the one the rollup's days are in."""
    if any(f.q or f.athg or f.forum or f.disposition for f in (filters, trend)):
        return None
    if str(timezone.get_current_timezone()) != str(timezone.get_default_timezone()):
        return None
    if person is None:
        return [None]
    if person.is_active and person.is_superuser:  # every report (report_parts' one part)
        return [None]
    if filters.region is not None and sees_whole_picture(person, filters.region.code):
        if trend.region is None or trend.region.code != filters.region.code:
            return None
        return [None]
    areas = picture_areas(person)
    return list(areas) if areas else None


def _rollup_rows(filters: Filters, area: str | None) -> Any:
    """The rollup's buckets that ``filters`` and ``area`` select (0 buckets left out)."""
    from waspada.reports.models import ReportRollup

    rows = ReportRollup.objects.filter(n__gt=0)
    for name in ("isu", "alert_level", "status"):
        if getattr(filters, name):
            rows = rows.filter(**{name: getattr(filters, name)})
    for code in (filters.region.code if filters.region is not None else None, area):
        if code is not None:
            rows = rows.filter(Q(region=code) | Q(region__startswith=code + "."))
    if filters.since is not None:
        rows = rows.filter(day__gte=filters.since)
    if filters.until is not None:
        rows = rows.filter(day__lte=filters.until)
    return rows.order_by()


def _count_period(counts: DashboardCounts, rows: Any, region: str, amount: Any) -> None:
    """The period's counts by level, isu and kecamatan of ``rows`` (reports counted, or rollup
    buckets summed: ``amount``; ``region`` the field holding the region code)."""
    _add(counts.by_level, rows.values_list("alert_level").annotate(total=amount))
    _add(counts.by_isu, rows.values_list("isu").annotate(total=amount))
    _add(
        counts.by_kecamatan,
        rows.annotate(kec=Substr(region, 1, KECAMATAN_CODE)).values_list("kec").annotate(total=amount),
    )


def _count_rollup(counts: DashboardCounts, filters: Filters, trend: Filters, areas: list[str | None]) -> None:
    """The picture parts (``areas``) counted from the reports rollup: sums of its buckets, the
    same numbers as the reports' GROUP BY (reports/rollups.py keeps them equal)."""
    for area in areas:
        _count_period(counts, _rollup_rows(filters, area), "region", Sum("n"))
        weekly: dict[tuple[date, str], int] = {}
        for day, level, n in (
            _rollup_rows(trend, area).values_list("day", "alert_level").annotate(total=Sum("n"))
        ):
            monday = day - timedelta(days=day.weekday())
            weekly[(monday, level)] = weekly.get((monday, level), 0) + n
        _add_weekly(counts, [(monday, level, n) for (monday, level), n in weekly.items()])


def _weekly(part: Any) -> Any:
    return (
        part.order_by()
        .annotate(week=TruncWeek("reported_at", tzinfo=timezone.get_current_timezone()))
        .values_list("week", "alert_level")
        .annotate(n=Count("pk"))
    )


def _add_weekly(counts: DashboardCounts, rows: Any) -> None:
    for week, level, n in rows:
        levels = counts.weekly.setdefault(as_date(week), {})
        levels[level] = levels.get(level, 0) + n


def _count_rest(counts: DashboardCounts, filters: Filters, trend: Filters, person: Any) -> None:
    """The rest outside the analyst's areas, for the period and the trend in one query: the two
    differ only in their dates, so the rest of both dates together is grouped by local day,
    level, isu and kecamatan, and each row is added where its day falls."""
    since = None if filters.since is None or trend.since is None else min(filters.since, trend.since)
    until = None if filters.until is None or trend.until is None else max(filters.until, trend.until)
    both = filters.with_period(since, until)
    rest = _parts(both, person)[0][-1]
    zone = timezone.get_current_timezone()
    rows = (
        rest.order_by()
        .annotate(
            day=TruncDate("reported_at", tzinfo=zone),
            kec=Substr("region_id", 1, KECAMATAN_CODE),
        )
        .values_list("day", "alert_level", "isu", "kec")
        .annotate(n=Count("pk"))
    )
    for day, level, isu, kec, n in rows:
        if _within(day, filters):
            _add(counts.by_level, [(level, n)])
            _add(counts.by_isu, [(isu, n)])
            _add(counts.by_kecamatan, [(kec, n)])
        if _within(day, trend):
            monday = day - timedelta(days=day.weekday())
            _add_weekly(counts, [(monday, level, n)])


def _within(day: date, filters: Filters) -> bool:
    return (filters.since is None or filters.since <= day) and (filters.until is None or day <= filters.until)
