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

from waspada.audit.models import AuditEntry
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
    newest = AuditEntry.objects.order_by("-pk").values_list("pk", "entry_hash").first()
    viewer = "all" if person.is_superuser and person.is_active else f"p{person.pk}"
    stamp = f"{newest[0]}-{newest[1][:16]}" if newest else "0"
    span = f"{filters.querystring()}|{trend.querystring()}"
    key = f"situation:counts:{viewer}:{stamp}:{hashlib.sha256(span.encode()).hexdigest()[:32]}"
    counts = cache.get(key)
    if counts is None:
        counts = _direct(filters, trend, person)
        cache.set(key, counts, CACHE_SECONDS)
    return counts


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
