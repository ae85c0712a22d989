"""Known zeros: a series is observed from the installation's first day, not from its first report.

A regency that went live twenty weeks ago and never had a land dispute in Kec. Long Ikis has
twenty known weeks of zero there. Its first outbreak is judged against them by each detector's
own rules; before, the series began with the outbreak and nothing could alarm.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from waspada.detection import engine
from waspada.detection.detect import run_detection
from waspada.detection.models import Signal
from waspada.detection.series import observed_from, rebuild_series, week_start
from waspada.detection.testing import history
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit


def test_known_weeks_start_at_the_first_watched_week_not_the_first_report() -> None:
    series = [0.0] * 10 + [4.0]
    assert engine.known_weeks(series).tolist() == [4.0]  # nothing says since when: first report
    assert engine.known_weeks(series, 3).tolist() == [0.0] * 7 + [4.0]
    # A report older than the first watched week is kept (imported history predates it).
    assert engine.known_weeks([0.0, 2.0, 0.0, 4.0], 3).tolist() == [2.0, 0.0, 4.0]


def test_ears_alarms_on_a_first_outbreak_after_twenty_known_zeros() -> None:
    # C1: mean 0 and sd 0 over the 7 weeks before, sd floored at 0.5: C1 = (4 − 0)/0.5 = 8 > 5.3,
    # threshold 0 + 5.3·0.5 = 2.65; C2 the same, 8 > 6.5; C3 = (8 − 1) + 0 + 0 = 7 ≤ 11.5.
    # Surge (4-week mean 0 < 1) and CUSUM (4·log 2 < 5) stay quiet.
    series = np.array([0.0] * 20 + [4.0])
    found = {d.detector: d for d in engine.weekly_alarms(series)}
    assert set(found) == {"ears_c1", "ears_c2"}
    c1 = found["ears_c1"]
    assert (c1.observed, c1.expected, c1.score) == (4.0, 0.0, 8.0)
    assert c1.threshold == pytest.approx(2.65)
    assert engine.weekly_alarms(series[-1:]) == []  # the same week as a series' first: silence


def test_the_matrix_path_equals_the_loop_with_a_first_watched_week() -> None:
    rng = np.random.default_rng(5)
    matrix = rng.poisson(0.3, size=(300, 120)).astype(float)
    matrix[:100, :90] = 0  # regions whose first report comes late
    matrix[:50, -1] = rng.integers(3, 7, size=50)  # their first outbreak
    for first_week in (0, 40, 100, 119):
        expected = [engine.weekly_alarms(engine.known_weeks(row, first_week)) for row in matrix]
        assert engine.weekly_alarms_many(matrix, first_week) == expected
    late = engine.weekly_alarms_many(matrix, 0)[:50]
    assert sum(1 for found in late if found) >= 40  # the first outbreaks now alarm


pytestmark_db = pytest.mark.django_db(transaction=True)


def first_outbreak(reporter, analyst, n: int = 4) -> list:
    reports = []
    for i in range(n):
        report = submit(
            reporter,
            isu="agraria_warga",
            title=f"Sengketa lahan pertama {i}",
            occurred_at=timezone.now() - timedelta(minutes=30 + i),
        ).report
        verify_report(report=report, by=analyst)
        reports.append(report)
    return reports


@pytestmark_db
def test_a_regency_live_for_twenty_weeks_is_told_of_its_first_land_dispute_outbreak(
    desa_reporter, kesbangpol_analyst, settings
) -> None:
    today = timezone.localdate()
    settings.WASPADA_DETECTION_OBSERVED_FROM = (week_start(today) - timedelta(weeks=20)).isoformat()
    reports = first_outbreak(desa_reporter, kesbangpol_analyst)
    run_detection(today)
    signal = Signal.objects.get(region_id="64.01.06", isu="agraria_warga", detector="ears_c1")
    assert (signal.observed, signal.expected) == (4, 0)
    assert signal.threshold == pytest.approx(2.65)  # 0 + 5.3 × 0.5
    assert set(signal.reports.values_list("pk", flat=True)) == {r.pk for r in reports}
    assert not Signal.objects.filter(detector__in=["surge", "farrington", "nb_cusum"]).exists()


@pytestmark_db
def test_a_regency_live_since_this_week_has_no_weeks_to_compare_with(
    desa_reporter, kesbangpol_analyst, settings
) -> None:
    settings.WASPADA_DETECTION_OBSERVED_FROM = None
    first_outbreak(desa_reporter, kesbangpol_analyst)
    # The first audit entry (the personas, the reports) is today's: observed from this week.
    assert observed_from() is not None and week_start(observed_from()) == week_start(timezone.localdate())
    run_detection(timezone.localdate())
    assert not Signal.objects.exists()


@pytestmark_db
def test_watching_starts_at_the_earliest_of_the_setting_the_first_audit_entry_and_imported_history(
    desa_reporter, settings
) -> None:
    today = timezone.localdate()
    settings.WASPADA_DETECTION_OBSERVED_FROM = None
    history(
        reporter=desa_reporter,
        region_code=LONG_IKIS_VILLAGE,
        isu="agraria_warga",
        weekly=[1] + [0] * 29,
        current=today,
    )
    rebuild_series()
    imported = week_start(today) - timedelta(weeks=30)
    assert observed_from() == imported  # imported history, older than any audit entry
    settings.WASPADA_DETECTION_OBSERVED_FROM = (imported - timedelta(weeks=10)).isoformat()
    assert observed_from() == imported - timedelta(weeks=10)
    settings.WASPADA_DETECTION_OBSERVED_FROM = (today - timedelta(days=1)).isoformat()
    assert observed_from() == imported  # a later stated day does not hide the older history
    settings.WASPADA_DETECTION_OBSERVED_FROM = "sejak dulu"  # not a date: ignored, not a crash
    assert observed_from() == imported
