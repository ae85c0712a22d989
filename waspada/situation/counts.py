"""The dashboard's numbers: reports by alert level, isu and kecamatan over the period, and the
weekly trend by level, for the reports a person may see.

PostgreSQL: one pass over the reports of the period and the trend's weeks together, grouped
four ways at once (``GROUPING SETS``), served by the covering period index (migration 0003), so a
month of a million-report installation is counted in one index-only scan instead of four scans
of the table. SQLite (no grouping sets): four plain ``GROUP BY`` queries. Both read the same
queryset (filters, then ``visible_to``), so they count the same rows; a test holds them equal
for each persona.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.db.models import Count
from django.db.models.functions import Substr, TruncWeek
from django.utils import timezone

from waspada.situation.filters import Filters, search_text

KECAMATAN_CODE = 8  # "64.01.06": the first 8 characters of a village's code


@dataclass
class DashboardCounts:
    by_level: dict[str, int] = field(default_factory=dict)
    by_isu: dict[str, int] = field(default_factory=dict)
    by_kecamatan: dict[str, int] = field(default_factory=dict)
    weekly: dict[date, dict[str, int]] = field(default_factory=dict)  # week's Monday -> level -> n


def _reports(filters: Filters, person: Any) -> Any:
    from waspada.reports.models import Report

    # filters first, then visible_to, then the text search (docs/situation.md)
    return search_text(
        filters.apply_reports(Report.objects.all(), search=False).visible_to(person), filters.q
    )


def _as_date(week: Any) -> date:
    return week.date() if isinstance(week, datetime) else week


def dashboard_counts(filters: Filters, trend: Filters, person: Any) -> DashboardCounts:
    """``filters`` choose the period counted by level, isu and kecamatan; ``trend`` is the same
    filters over the trend's whole weeks."""
    if connection.vendor == "postgresql":
        return _in_one_pass(filters, trend, person)
    return _direct(filters, trend, person)


def _direct(filters: Filters, trend: Filters, person: Any) -> DashboardCounts:
    reports = _reports(filters, person).order_by()
    counts = DashboardCounts()
    counts.by_level = dict(reports.values_list("alert_level").annotate(n=Count("pk")))
    counts.by_isu = dict(reports.values_list("isu").annotate(n=Count("pk")))
    counts.by_kecamatan = dict(
        reports.annotate(kec=Substr("region_id", 1, KECAMATAN_CODE))
        .values_list("kec")
        .annotate(n=Count("pk"))
    )
    weekly = (
        _reports(trend, person)
        .order_by()
        .annotate(week=TruncWeek("reported_at", tzinfo=timezone.get_current_timezone()))
        .values_list("week", "alert_level")
        .annotate(n=Count("pk"))
    )
    for week, level, n in weekly:
        counts.weekly.setdefault(_as_date(week), {})[level] = n
    return counts


def _earliest(a: date | None, b: date | None) -> date | None:
    return None if a is None or b is None else min(a, b)


def _latest(a: date | None, b: date | None) -> date | None:
    return None if a is None or b is None else max(a, b)


def _in_one_pass(filters: Filters, trend: Filters, person: Any) -> DashboardCounts:
    both = filters.with_period(_earliest(filters.since, trend.since), _latest(filters.until, trend.until))
    inner, params = (
        _reports(both, person)
        .order_by()
        .values("reported_at", "alert_level", "isu", "region_id")
        .query.sql_with_params()
    )
    start, end = filters.bounds()
    trend_start, trend_end = trend.bounds()
    zone = timezone.get_current_timezone_name()
    # Each row: its trend week (NULL outside the trend), whether it is in the period, and the
    # three things counted; then four groupings of the same rows. Only our own constant SQL and
    # Django's compiled queryset are put together; every value travels as a parameter.
    sql = f"""
        SELECT GROUPING(week, in_period, alert_level, isu, kec),
               week, in_period, alert_level, isu, kec, COUNT(*)
        FROM (
            SELECT
                CASE WHEN (%s::timestamptz IS NULL OR r.reported_at >= %s)
                      AND (%s::timestamptz IS NULL OR r.reported_at < %s)
                     THEN DATE_TRUNC('week', r.reported_at AT TIME ZONE %s) END AS week,
                ((%s::timestamptz IS NULL OR r.reported_at >= %s)
                 AND (%s::timestamptz IS NULL OR r.reported_at < %s)) AS in_period,
                r.alert_level, r.isu, SUBSTRING(r.region_id, 1, {KECAMATAN_CODE}) AS kec
            FROM ({inner}) AS r
        ) AS t
        GROUP BY GROUPING SETS (
            (week, alert_level), (in_period, alert_level), (in_period, isu), (in_period, kec)
        )
    """  # noqa: S608
    values = [trend_start, trend_start, trend_end, trend_end, zone, start, start, end, end, *params]
    counts = DashboardCounts()
    # GROUPING() is a bit mask over (week, in_period, alert_level, isu, kec), 1 = not grouped by
    by_week, by_level, by_isu, by_kec = 0b00111, 0b10011, 0b10101, 0b10110
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        for mask, week, in_period, level, isu, kec, n in cursor.fetchall():
            if mask == by_week and week is not None:
                counts.weekly.setdefault(_as_date(week), {})[level] = n
            elif not in_period:
                continue
            elif mask == by_level:
                counts.by_level[level] = n
            elif mask == by_isu:
                counts.by_isu[isu] = n
            elif mask == by_kec:
                counts.by_kecamatan[kec] = n
    return counts
