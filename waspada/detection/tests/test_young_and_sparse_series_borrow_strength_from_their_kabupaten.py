"""Borrowed strength in production (engine.borrowed_alarms_many, wired into run_detection).

A regency live for ten weeks cannot run EARS (15 weeks) or Farrington (79), but its kecamatan
can be compared with one another: the same isu in the other kecamatan of the kabupaten.
"""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from waspada.detection import engine
from waspada.detection.detect import run_detection
from waspada.detection.detectors.borrowed import predictive
from waspada.detection.models import Signal
from waspada.detection.series import rebuild_series, week_start
from waspada.detection.testing import history
from waspada.regions.models import Region
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit


def four_alike(current: float) -> np.ndarray:
    """Four kecamatan of one kabupaten, one isu, 10 known weeks of one report a week each, then
    this week: ``current`` reports in the first, none in the others."""
    matrix = np.ones((4, 11))
    matrix[:, -1] = 0
    matrix[0, -1] = current
    return matrix


REGION = np.arange(4)
GROUP = np.zeros(4, dtype=int)


def test_four_kecamatan_alike_judge_this_week_against_a_poisson_of_one() -> None:
    # Exposure shares (10 + 1)/(4·11) = 1/4 each; the group's 40 reports in 10 weeks: E = 1 a
    # week; every ratio 1: s² = 0, v = max(0, 0 − 1/10) = 0: Poisson(1).
    # P(Y ≥ 5) = 1 − e⁻¹(1 + 1 + 1/2 + 1/6 + 1/24) = 0.00366 < 0.005; threshold (99.5 %) 4.
    found = engine.borrowed_alarms_many(four_alike(5), REGION, GROUP, first_week=0)
    assert list(found) == [0]
    five = found[0]
    assert (five.detector, five.observed, five.expected, five.threshold) == ("borrowed", 5.0, 1.0, 4.0)
    assert five.p_value == pytest.approx(1 - math.exp(-1) * (1 + 1 + 1 / 2 + 1 / 6 + 1 / 24))
    assert engine.borrowed_alarms_many(four_alike(4), REGION, GROUP, first_week=0) == {}


def test_a_quiet_kecamatan_among_busy_ones_alarms_on_three_reports() -> None:
    # Two kecamatan without a report in 10 weeks and two with 2 a week (the isu is all they
    # report): shares 1/44, 1/44, 21/44, 21/44 (one added to each); the group's 40 reports:
    # E·T = 40/44, 40/44, 840/44, 840/44; m = 40/40 = 1; ratios 0, 0, 1.048, 1.048;
    # s² = (2·(40/44)·1 + 2·(840/44)·0.048²)/40 = 0.0476 < m/Ē = 1/10: v = 0, Poisson with
    # the quiet one's E = (40/44)/10 = 1/11 a week. P(Y ≥ 3) = 1 − e^(−1/11)(1 + 1/11 + 1/242).
    matrix = np.zeros((4, 11))
    matrix[2:, :-1] = 2
    matrix[0, -1] = 3
    found = engine.borrowed_alarms_many(matrix, REGION, GROUP, first_week=0)
    assert list(found) == [0]
    mu = 1 / 11
    assert found[0].expected == pytest.approx(mu)
    assert found[0].note.startswith("poisson")
    assert found[0].p_value == pytest.approx(1 - math.exp(-mu) * (1 + mu + mu * mu / 2))  # 0.00012
    # The same three reports in a busy kecamatan (about 2 a week: E = 840/440) are ordinary.
    matrix[0, -1], matrix[2, -1] = 0, 3
    assert engine.borrowed_alarms_many(matrix, REGION, GROUP, first_week=0) == {}


def test_the_matrix_path_gives_the_scalar_models_predictive() -> None:
    # 30 kabupaten of 6 kecamatan, two isu each: a kecamatan's share of all its reports differs
    # from its share of one isu's, so the groups vary beyond Poisson.
    rng = np.random.default_rng(11)
    parents, size, isus = 30, 6, 2
    rows = parents * isus * size
    matrix = rng.poisson(rng.gamma(0.5, 0.6, rows)[:, None], (rows, 30)).astype(float)
    matrix[:, -1] = rng.integers(3, 9, rows)
    parent, isu, member = np.unravel_index(np.arange(rows), (parents, isus, size))
    region = parent * size + member
    group = parent * isus + isu
    found = engine.borrowed_alarms_many(matrix, region, group, first_week=5)
    # Some alarm, some with extra variation between regions (negative binomial), so the
    # comparison below is not empty.
    assert any(d.note.startswith("nb") for d in found.values())
    weeks = engine.borrowed_reference_weeks(25)
    for row, detection in found.items():
        members = np.flatnonzero(group == group[row])
        reference = matrix[members, -1 - weeks : -1].sum(axis=1)
        both = [np.flatnonzero(region == region[m]) for m in members]  # its rows of every isu
        every_isu = np.array([matrix[r, -1 - weeks : -1].sum() for r in both])
        share = (every_isu + 1) / (every_isu + 1).sum()
        exposure = share * reference.sum() / weeks
        model = predictive(reference, exposure, weeks, int(np.flatnonzero(members == row)[0]))
        assert detection.expected == pytest.approx(model.mean)
        assert detection.p_value == pytest.approx(model.tail(detection.observed))


def test_it_judges_only_what_farrington_cannot_and_needs_something_to_borrow() -> None:
    old = np.zeros((4, 100))  # 100 known weeks, one report every tenth week in each kecamatan
    old[:, ::10] = 1
    old[0, -4:] = [0, 0, 1, 4]  # 5 in the last 4 weeks: Farrington's limit54 holds: its call
    assert engine.borrowed_alarms_many(old, REGION, GROUP, first_week=0) == {}
    old[0, -4:] = [0, 0, 0, 4]  # 4 in the last 4 weeks: too sparse for Farrington: borrowed
    assert list(engine.borrowed_alarms_many(old, REGION, GROUP, first_week=0)) == [0]
    assert engine.borrowed_alarms_many(four_alike(5)[:2], REGION[:2], GROUP[:2], 0) == {}  # 2 regions
    silent = np.zeros((4, 11))
    silent[0, -1] = 9
    assert engine.borrowed_alarms_many(silent, REGION, GROUP, first_week=0) == {}  # nothing reported
    # Four known weeks before the current one are the minimum; three are not enough.
    assert list(engine.borrowed_alarms_many(four_alike(5)[:, -5:], REGION, GROUP, first_week=0)) == [0]
    assert engine.borrowed_alarms_many(four_alike(5)[:, -4:], REGION, GROUP, first_week=0) == {}


pytestmark_db = pytest.mark.django_db(transaction=True)


@pytestmark_db
def test_a_regency_live_for_ten_weeks_is_told_of_an_unusual_week_in_one_kecamatan(
    desa_reporter, kesbangpol_analyst, settings
) -> None:
    today = timezone.localdate()
    settings.WASPADA_DETECTION_OBSERVED_FROM = (week_start(today) - timedelta(weeks=10)).isoformat()
    # Land disputes in three other kecamatan of Paser, about one a week between them.
    for code in ("64.01.01", "64.01.02", "64.01.03"):
        history(
            reporter=desa_reporter,
            region_code=code,
            isu="agraria_warga",
            weekly=[0, 1, 0] * 3 + [1],
            current=today,
        )
    rebuild_series()
    for i in range(4):
        report = submit(
            desa_reporter,
            isu="agraria_warga",
            title=f"Sengketa lahan {i}",
            occurred_at=timezone.now() - timedelta(minutes=30 + i),
        ).report
        verify_report(report=report, by=kesbangpol_analyst)
    # A run within Long Ikis alone has nothing to compare it with (it read no other kecamatan).
    run_detection(today, within=Region.objects.get(code="64.01.06"))
    assert not Signal.objects.filter(detector="borrowed").exists()
    run_detection(today)
    signal = Signal.objects.get(region_id="64.01.06", isu="agraria_warga", detector="borrowed")
    assert signal.observed == 4 and signal.expected < 0.2 and signal.p_value < 0.005
    assert signal.reports.count() == 4
    assert "biasanya kurang dari 1" in signal.explanation
    # Eleven known weeks: EARS (15) and Farrington (79) could not have said it.
    assert not Signal.objects.filter(detector__in=["ears_c1", "farrington"]).exists()
