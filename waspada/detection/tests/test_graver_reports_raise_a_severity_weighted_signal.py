"""Severity-weighted series: reports count by their alert level, and the surge rule runs on them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from waspada.detection.detect import run_detection
from waspada.detection.models import CountBucket, Period, SeriesKind, Signal
from waspada.detection.series import SEVERITY_WEIGHT, rebuild_series, refresh_series, week_start
from waspada.detection.testing import history
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_weights_double_with_each_alert_level() -> None:
    assert SEVERITY_WEIGHT == {"normal": 1, "waspada": 2, "siaga": 4, "awas": 8}


def _file(reporter, analyst, level: str, n: int = 1) -> None:
    for i in range(n):
        report = submit(
            reporter,
            isu="agraria_warga",
            alert_level=level,
            title=f"Sengketa lahan {level} {i}",
            occurred_at=timezone.now() - timedelta(minutes=10 + i),
        ).report
        verify_report(report=report, by=analyst)


def test_the_weighted_bucket_follows_verified_reports_incrementally(
    desa_reporter, kesbangpol_analyst
) -> None:
    refresh_series()
    _file(desa_reporter, kesbangpol_analyst, "awas")
    _file(desa_reporter, kesbangpol_analyst, "normal")
    refresh_series()
    week = CountBucket.objects.filter(
        region_id="64.01.06",
        isu="agraria_warga",
        period=Period.MINGGU,
        start=week_start(timezone.localdate()),
    )
    assert list(week.values_list("count", "weighted")) == [(2, 8 + 1)]
    # The incremental path and a rebuild agree.
    rebuild_series()
    assert list(week.values_list("count", "weighted")) == [(2, 9)]


def test_three_awas_reports_where_three_waspada_are_usual_raise_only_the_weighted_surge(
    desa_reporter, kesbangpol_analyst
) -> None:
    today = timezone.localdate()
    # 20 weeks of three reports at waspada (weight 6 a week).
    history(
        reporter=desa_reporter,
        region_code=LONG_IKIS_VILLAGE,
        isu="agraria_warga",
        weekly=[3] * 20,
        current=today,
    )
    rebuild_series()
    _file(desa_reporter, kesbangpol_analyst, "awas", n=3)

    run_detection(today)

    signals = Signal.objects.filter(region_id="64.01.06", isu="agraria_warga")
    weighted = signals.get(series=SeriesKind.BERBOBOT)
    assert weighted.detector == "surge"
    assert (weighted.observed, weighted.expected, weighted.threshold) == (24, 6, 12)
    assert weighted.explanation == (
        "Bobot keparahan laporan sengketa lahan antarwarga di Kec. Long Ikis minggu ini 24 (3 laporan), "
        "biasanya 6; di atas ambang 12."
    )
    assert weighted.reports.count() == 3
    # The same three reports are not more numerous than usual: no plain-count surge.
    assert not signals.filter(series=SeriesKind.JUMLAH, detector="surge").exists()
