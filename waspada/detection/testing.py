"""Building report histories for detection tests and the demo-like browser test."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from waspada.detection.series import week_start
from waspada.reports.models import Report, ReportStatus


def history(
    *, reporter: Any, region_code: str, isu: str, weekly: Sequence[int], current: date, prefix: str = "H"
) -> list[Report]:
    """Verified reports already in the database (as if imported): ``weekly[i]`` reports in the
    week ``len(weekly) - i`` weeks before the week of ``current``, on its Wednesday at noon.
    Written directly, not through the actions: the series then need ``rebuild_series()``."""
    now = timezone.now()
    tz = timezone.get_current_timezone()
    rows = []
    this_week = week_start(current)
    for i, n in enumerate(weekly):
        weeks_back = len(weekly) - i
        when = datetime.combine(this_week - timedelta(weeks=weeks_back, days=-2), time(12), tzinfo=tz)
        for j in range(n):
            rows.append(
                Report(
                    reference=f"{prefix}-{isu[:6]}-{region_code}-{i}-{j}",
                    reporter=reporter,
                    athg="gangguan",
                    isu=isu,
                    alert_level="waspada",
                    title="Laporan lama",
                    what="Riwayat untuk deteksi",
                    region_id=region_code,
                    occurred_at=when,
                    reported_at=when,
                    status=ReportStatus.TERVERIFIKASI,
                    verified_at=now,
                )
            )
    return Report.objects.bulk_create(rows)
