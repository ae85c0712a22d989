"""Count series per region × isu × day/week, kept up to date from the audit trail.

Every change to a report (submitted, verified, rejected, merged …) writes an audit entry in the
same transaction. ``refresh_series`` reads the entries after its cursor, finds the reports they
touch, and recomputes exactly the buckets those reports fall in (by ``occurred_at``, for the
report's desa, kecamatan and kabupaten, its isu, its day and its week) from the reports table.
A late report, verified weeks after it happened, therefore corrects the past week it belongs
to, and a report rejected after verification leaves its buckets again. Recomputing (rather than
adding one) makes a repeated or interrupted refresh harmless.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.detection.models import CountBucket, HistoryCount, Period, SeriesCursor
from waspada.regions.models import Level, Region, within_q
from waspada.reports.models import Report, ReportStatus
from waspada.reports.taxonomy import ALERT_RANK, AlertLevel

logger = logging.getLogger(__name__)

REPORT_TYPE = "reports.report"
# Severity weights of the weighted series: each alert level counts twice the one below it, so
# one report at awas weighs as much as eight ordinary ones (a doubling per level, like the
# surge rule's "twice the usual").
SEVERITY_WEIGHT: dict[str, int] = {level: 2 ** ALERT_RANK[level] for level in AlertLevel}
# On top of its level, a report weighs by its casualties where it knows them, with the weights of
# the Global Terrorism Index (Institute for Economics and Peace): 3 per death and 0.5 per injury
# (an incident itself weighs 1 there, as a normal report does here); and 1 per 100 people
# displaced (our choice: the GTI has no displacement; a hundred people driven from their homes
# weigh as much as one more ordinary report). An unknown count adds nothing: the level still
# carries what the reporter judged.
CASUALTY_WEIGHT: dict[str, float] = {
    "casualties_dead": 3.0,
    "casualties_injured": 0.5,
    "casualties_displaced": 0.01,
}
WEIGHTS: dict[str, object] = {"level": SEVERITY_WEIGHT, "casualties": CASUALTY_WEIGHT}
WEIGHT_FIELDS = ("alert_level", *CASUALTY_WEIGHT)


def report_weight(
    alert_level: str, dead: int | None = None, injured: int | None = None, displaced: int | None = None
) -> float:
    """A report's severity weight: its level's weight plus its known casualties' (see above).

    An awas report with 2 dead, 5 injured and 300 displaced weighs 8 + 6 + 2.5 + 3 = 19.5."""
    weight = float(SEVERITY_WEIGHT[alert_level])
    for name, count in zip(CASUALTY_WEIGHT, (dead, injured, displaced), strict=True):
        if count:
            weight += CASUALTY_WEIGHT[name] * count
    return weight


BucketKey = tuple[str, str, str, date]  # region code, isu, period, start


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _area_codes(code: str) -> list[str]:
    """The desa, kecamatan and kabupaten codes a report at ``code`` counts for."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(2, len(parts) + 1)]


def keys_for(report: Report) -> list[BucketKey]:
    return keys_at(report.region_id, report.isu, local_day(report.occurred_at))


def keys_at(region_code: str, isu: str, day: date) -> list[BucketKey]:
    """The day and week buckets of the region, its kecamatan and kabupaten, that ``day`` falls in."""
    keys: list[BucketKey] = []
    for code in _area_codes(region_code):
        keys.append((code, isu, str(Period.HARI), day))
        keys.append((code, isu, str(Period.MINGGU), week_start(day)))
    return keys


def _within(code: str) -> Q:
    return within_q(code)


def recompute(keys: Iterable[BucketKey]) -> int:
    """Recompute the given buckets from the verified reports and the imported history
    (``HistoryCount``: each past incident counts as one verified report of its day, region and
    level); returns how many were written."""
    written = 0
    tz = timezone.get_current_timezone()
    for code, isu, period, start in sorted(set(keys)):
        length = 1 if period == Period.HARI else 7
        begin = datetime.combine(start, datetime.min.time(), tzinfo=tz)
        end = begin + timedelta(days=length)
        rows = list(
            Report.objects.filter(_within(code), isu=isu, status=ReportStatus.TERVERIFIKASI)
            .filter(occurred_at__gte=begin, occurred_at__lt=end)
            .values_list(*WEIGHT_FIELDS)
        )
        history = list(
            HistoryCount.objects.filter(
                _within(code), isu=isu, day__gte=start, day__lt=start + timedelta(days=length)
            ).values_list("alert_level", "count")
        )
        if rows or history:
            CountBucket.objects.update_or_create(
                region_id=code,
                isu=isu,
                period=period,
                start=start,
                defaults={
                    "count": len(rows) + sum(n for _, n in history),
                    "weighted": sum(report_weight(*row) for row in rows)
                    + sum(SEVERITY_WEIGHT[level] * n for level, n in history),
                },
            )
        else:
            CountBucket.objects.filter(region_id=code, isu=isu, period=period, start=start).delete()
        written += 1
    return written


def refresh_series() -> int:
    """Bring the buckets up to date with the audit trail; returns the number of buckets recomputed.

    Steps: lock the cursor row; read report entries after it; recompute those reports' buckets;
    move the cursor to the newest entry read. One transaction: a failure changes nothing.
    """
    with transaction.atomic():
        cursor, _ = SeriesCursor.objects.get_or_create(name="reports")
        cursor = SeriesCursor.objects.select_for_update().get(pk=cursor.pk)
        entries = list(
            AuditEntry.objects.filter(id__gt=cursor.last_audit_id, object_type=REPORT_TYPE)
            .order_by("id")
            .values_list("id", "object_id")
        )
        newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        report_ids = {int(object_id) for _, object_id in entries if object_id.isdigit()}
        keys: list[BucketKey] = []
        for report in Report.objects.filter(pk__in=report_ids).only("region_id", "isu", "occurred_at"):
            keys += keys_for(report)
        written = recompute(keys)
        cursor.last_audit_id = max(newest, cursor.last_audit_id)
        cursor.save(update_fields=["last_audit_id", "updated_at"])
    return written


def rebuild_series() -> int:
    """Recompute every bucket from scratch, reports and imported history (to check the
    incremental path, or after loading data without the actions)."""
    counts: dict[BucketKey, list[float]] = defaultdict(lambda: [0, 0.0])
    reports = Report.objects.filter(status=ReportStatus.TERVERIFIKASI).only(
        "region_id", "isu", "occurred_at", *WEIGHT_FIELDS
    )
    for report in reports:
        weight = report_weight(
            report.alert_level, report.casualties_dead, report.casualties_injured, report.casualties_displaced
        )
        for key in keys_for(report):
            counts[key][0] += 1
            counts[key][1] += weight
    for code, isu, day, level, n in HistoryCount.objects.values_list(
        "region_id", "isu", "day", "alert_level", "count"
    ):
        for key in keys_at(code, isu, day):
            counts[key][0] += n
            counts[key][1] += SEVERITY_WEIGHT[level] * n
    with transaction.atomic():
        CountBucket.objects.all().delete()
        CountBucket.objects.bulk_create(
            CountBucket(region_id=k[0], isu=k[1], period=k[2], start=k[3], count=int(v[0]), weighted=v[1])
            for k, v in counts.items()
        )
        cursor, _ = SeriesCursor.objects.get_or_create(name="reports")
        cursor.last_audit_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        cursor.save(update_fields=["last_audit_id", "updated_at"])
    return len(counts)


def weekly_series(
    code: str, isu: str, current_week: date, weeks: int, *, weighted: bool = False
) -> list[float]:
    """Counts (or severity-weighted counts) of the ``weeks`` weeks ending with ``current_week``
    (oldest first), zeros filled in."""
    first = current_week - timedelta(weeks=weeks - 1)
    values = [0.0] * weeks
    rows = CountBucket.objects.filter(
        region_id=code, isu=isu, period=Period.MINGGU, start__gte=first, start__lte=current_week
    ).values_list("start", "weighted" if weighted else "count")
    for start, count in rows:
        values[(start - first).days // 7] = float(count)
    return values


def observed_from() -> date | None:
    """The first day this installation observes its regions: the earliest of

    * ``settings.WASPADA_DETECTION_OBSERVED_FROM`` (a date or ISO text, when an operator states
      since when the reports are complete, e.g. the go-live day of a regency's installation);
    * the installation's first audit entry (its first recorded act: the day it went into use);
    * the earliest week with a verified report (imported history counts from its first week).

    Every kecamatan and kabupaten series is observed from that day: the weeks between it and a
    region's first report are known zeros, not unknown weeks. None when none of them exists.
    """
    days: list[date] = []
    explicit = getattr(settings, "WASPADA_DETECTION_OBSERVED_FROM", None)
    if isinstance(explicit, date):
        days.append(explicit)
    elif explicit:
        try:
            days.append(date.fromisoformat(str(explicit)))
        except ValueError:
            logger.warning("WASPADA_DETECTION_OBSERVED_FROM is not a date (YYYY-MM-DD): %r", explicit)
    first_entry = AuditEntry.objects.aggregate(first=Min("occurred_at"))["first"]
    if first_entry is not None:
        days.append(local_day(first_entry))
    first_week = CountBucket.objects.filter(period=Period.MINGGU).aggregate(first=Min("start"))["first"]
    if first_week is not None:
        days.append(first_week)
    return min(days) if days else None


def regions_at(level: int, within: Region | None) -> Q:
    q = Q(region__level=level)
    if within is not None:
        q &= within_q(within.code)
    return q


__all__ = [
    "Level",
    "observed_from",
    "rebuild_series",
    "recompute",
    "refresh_series",
    "report_weight",
    "weekly_series",
]
