"""The dashboard's numbers: reports by alert level, isu and kecamatan over the period, and the
weekly trend by level, for the reports a person may see.

Four plain ``GROUP BY`` queries over ``filters, then visible_to`` (the same queryset the lists
read), served on PostgreSQL by the covering period index (situation migration 0003): counting a
month of a million-report installation reads the index, not the table. The answer is kept in the
cache until the next audit entry (``dashboard_counts``). One pass with ``GROUPING SETS`` was tried
and measured slower for a nationwide superuser (docs/situation.md).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import Substr, TruncDate, TruncWeek
from django.utils import timezone

from waspada.forums.access import audit_stamp
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


def _as_date(week: Any) -> date:
    return week.date() if isinstance(week, datetime) else week


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


def _direct(filters: Filters, trend: Filters, person: Any) -> DashboardCounts:
    counts = DashboardCounts()
    # Split, the parts are the person's picture areas, and the rest outside them (a handful of
    # reports: their own, their forums', what is shared with them) is counted for the period and
    # for the trend at once, below, in one query grouped by day: its condition is written once.
    parts, split = _parts(filters, person, rest=False)
    for part in parts:
        reports = part.order_by()
        _add(counts.by_level, reports.values_list("alert_level").annotate(n=Count("pk")))
        _add(counts.by_isu, reports.values_list("isu").annotate(n=Count("pk")))
        _add(
            counts.by_kecamatan,
            reports.annotate(kec=Substr("region_id", 1, KECAMATAN_CODE))
            .values_list("kec")
            .annotate(n=Count("pk")),
        )
    trend_parts, _split = _parts(trend, person, rest=False)
    for part in trend_parts:
        _add_weekly(counts, _weekly(part))
    if split:
        _count_rest(counts, filters, trend, person)
    counts.withheld = withheld_reports(filters, person)
    return counts


def _weekly(part: Any) -> Any:
    return (
        part.order_by()
        .annotate(week=TruncWeek("reported_at", tzinfo=timezone.get_current_timezone()))
        .values_list("week", "alert_level")
        .annotate(n=Count("pk"))
    )


def _add_weekly(counts: DashboardCounts, rows: Any) -> None:
    for week, level, n in rows:
        levels = counts.weekly.setdefault(_as_date(week), {})
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
