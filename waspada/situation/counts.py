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
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import Substr, TruncWeek
from django.utils import timezone

from waspada.forums.access import audit_stamp
from waspada.reports.visibility import report_parts
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


def _reports(filters: Filters, person: Any) -> Any:

    # filters first, then visible_to, then the text search (docs/situation.md)
    return search_text(filters.visible_reports(person), filters.q)


def _as_date(week: Any) -> date:
    return week.date() if isinstance(week, datetime) else week


def dashboard_counts(filters: Filters, trend: Filters, person: Any) -> DashboardCounts:
    """``filters`` choose the period counted by level, isu and kecamatan; ``trend`` is the same
    filters over the trend's whole weeks.

    Kept in the cache under the newest audit entry (its number and chain hash), the viewer and the filters:
    every change that can move these numbers writes an audit entry in its own transaction (the
    live stamp relies on the same), so a kept answer is exactly the answer until the next change.
    Superusers see every report and share one entry; anyone else has their own. Not kept when a
    filter depends on the clock itself (overdue dispositions become overdue with no write).
    """
    if filters.disposition == "terlambat":
        return _direct(filters, trend, person)
    viewer = "all" if person.is_superuser and person.is_active else f"p{person.pk}"
    stamp = audit_stamp()  # read once per request (the seats are kept under it too)
    span = f"{filters.querystring()}|{trend.querystring()}"
    key = f"situation:counts:{viewer}:{stamp}:{hashlib.sha256(span.encode()).hexdigest()[:32]}"
    counts = cache.get(key)
    if counts is None:
        counts = _direct(filters, trend, person)
        cache.set(key, counts, CACHE_SECONDS)
    return counts


def _parts(filters: Filters, person: Any) -> list[Any]:
    """The reports to count, in disjoint parts whose counts add up (``report_parts``: the
    analyst's own area without a permission condition, the few rows outside it by their
    indexes). A region filter is already written for its region alone (``Filters.visible_reports``)."""
    from waspada.reports.models import Report

    if filters.region is not None:
        return [_reports(filters, person)]
    base = filters.apply_reports(Report.objects.all(), search=False)
    return [search_text(part, filters.q) for part in report_parts(base, person)]


def _add(into: dict[Any, int], rows: Any) -> None:
    for key, n in rows:
        into[key] = into.get(key, 0) + n


def _direct(filters: Filters, trend: Filters, person: Any) -> DashboardCounts:
    counts = DashboardCounts()
    parts = _parts(filters, person)
    for index, part in enumerate(parts):
        reports = part.order_by()
        if len(parts) > 1 and index == len(parts) - 1:
            # the rest outside the analyst's areas (``report_parts``): a handful of reports (their
            # own, their forums', what is shared with them), so one query grouped by all three
            for level, isu, kec, n in (
                reports.annotate(kec=Substr("region_id", 1, KECAMATAN_CODE))
                .values_list("alert_level", "isu", "kec")
                .annotate(n=Count("pk"))
            ):
                _add(counts.by_level, [(level, n)])
                _add(counts.by_isu, [(isu, n)])
                _add(counts.by_kecamatan, [(kec, n)])
            continue
        _add(counts.by_level, reports.values_list("alert_level").annotate(n=Count("pk")))
        _add(counts.by_isu, reports.values_list("isu").annotate(n=Count("pk")))
        _add(
            counts.by_kecamatan,
            reports.annotate(kec=Substr("region_id", 1, KECAMATAN_CODE))
            .values_list("kec")
            .annotate(n=Count("pk")),
        )
    for part in _parts(trend, person):
        weekly = (
            part.order_by()
            .annotate(week=TruncWeek("reported_at", tzinfo=timezone.get_current_timezone()))
            .values_list("week", "alert_level")
            .annotate(n=Count("pk"))
        )
        for week, level, n in weekly:
            levels = counts.weekly.setdefault(_as_date(week), {})
            levels[level] = levels.get(level, 0) + n
    return counts
