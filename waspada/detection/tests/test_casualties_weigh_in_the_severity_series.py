"""The severity-weighted series counts casualties, not only alert levels (hand-computed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from waspada.detection.detect import run_detection
from waspada.detection.models import CountBucket, Period, SeriesKind, Signal
from waspada.detection.series import (
    CASUALTY_WEIGHT,
    rebuild_series,
    refresh_series,
    report_weight,
    week_start,
)
from waspada.detection.testing import history
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit


def test_a_report_weighs_its_level_plus_3_per_death_half_per_injury_and_1_per_100_displaced() -> None:
    assert CASUALTY_WEIGHT == {
        "casualties_dead": 3.0,
        "casualties_injured": 0.5,
        "casualties_displaced": 0.01,
    }
    assert report_weight("awas", 2, 5, 300) == 8 + 6 + 2.5 + 3  # 19.5
    assert report_weight("normal", 0, 0, 0) == 1
    # Not known adds nothing: the level alone carries the reporter's judgement.
    assert report_weight("siaga", None, None, None) == 4
    assert report_weight("waspada", 1, None, 50) == 2 + 3 + 0.5


def _file(reporter, analyst, n: int = 1, **casualties) -> None:
    for i in range(n):
        report = submit(
            reporter,
            isu="agraria_warga",
            alert_level="waspada",
            title=f"Sengketa lahan {i}",
            occurred_at=timezone.now() - timedelta(minutes=10 + i),
            **casualties,
        ).report
        verify_report(report=report, by=analyst)


@pytest.mark.django_db(transaction=True)
def test_the_bucket_adds_the_casualty_weights_incrementally_and_on_rebuild(
    desa_reporter, kesbangpol_analyst
) -> None:
    refresh_series()
    _file(
        desa_reporter, kesbangpol_analyst, casualties_dead=2, casualties_injured=2, casualties_displaced=100
    )
    _file(desa_reporter, kesbangpol_analyst)
    refresh_series()
    week = CountBucket.objects.filter(
        region_id="64.01.06",
        isu="agraria_warga",
        period=Period.MINGGU,
        start=week_start(timezone.localdate()),
    )
    assert list(week.values_list("count", "weighted")) == [(2, (2 + 6 + 1 + 1) + 2)]
    rebuild_series()
    assert list(week.values_list("count", "weighted")) == [(2, 12)]


def _usual_weeks(desa_reporter) -> None:
    # 20 weeks of three reports at waspada: a weighted week of 6, the surge threshold 12.
    history(
        reporter=desa_reporter,
        region_code=LONG_IKIS_VILLAGE,
        isu="agraria_warga",
        weekly=[3] * 20,
        current=timezone.localdate(),
    )
    rebuild_series()


@pytest.mark.django_db(transaction=True)
def test_three_usual_reports_one_with_two_dead_raise_the_weighted_surge(
    desa_reporter, kesbangpol_analyst
) -> None:
    _usual_weeks(desa_reporter)
    _file(
        desa_reporter, kesbangpol_analyst, casualties_dead=2, casualties_injured=2, casualties_displaced=100
    )
    _file(desa_reporter, kesbangpol_analyst, n=2)

    run_detection(timezone.localdate())

    weighted = Signal.objects.get(region_id="64.01.06", series=SeriesKind.BERBOBOT)
    # 10 (waspada 2 + 2 dead 6 + 2 injured 1 + 100 displaced 1) + 2 + 2 = 14 ≥ 2 × 6.
    assert (weighted.detector, weighted.observed, weighted.expected, weighted.threshold) == (
        "surge",
        14,
        6,
        12,
    )
    assert weighted.explanation == (
        "Bobot keparahan laporan sengketa lahan antarwarga di Kec. Long Ikis minggu ini 14 (3 laporan), "
        "biasanya 6; di atas ambang 12."
    )
    assert weighted.details["weights"]["casualties"]["casualties_dead"] == 3.0
    # The count is as usual (3), so no plain-count surge; the death is a signal of its own.
    assert not Signal.objects.filter(series=SeriesKind.JUMLAH, detector="surge").exists()
    assert Signal.objects.filter(detector="kematian").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_week_with_casualties_not_known_raises_no_weighted_surge(
    desa_reporter, kesbangpol_analyst
) -> None:
    _usual_weeks(desa_reporter)
    _file(desa_reporter, kesbangpol_analyst, n=3)

    run_detection(timezone.localdate())

    assert not Signal.objects.filter(series=SeriesKind.BERBOBOT).exists()
