"""Where the detectors follow R ``surveillance``, Noufaily et al. and SaTScan: hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pytest

from waspada.detection.detectors.cusum import baseline_means, baseline_moments, nb_cusum
from waspada.detection.detectors.farrington import (
    NOUFAILY_R,
    PRODUCTION,
    baseline,
    farrington_flexible,
)
from waspada.detection.detectors.farrington2w import farrington_two_weeks
from waspada.detection.detectors.scan import space_time_permutation_scan


def test_farrington_reference_weeks_end_27_weeks_back() -> None:
    # Nothing but 50 reports in week t−26 (left out, with the 25 weeks after it and the current
    # week): every reference week is 0, the baseline exactly 0 with phi 1.
    series = np.zeros(300)
    series[-27] = 50.0  # index −27 is week t−26
    left_out = baseline(series)
    assert left_out is not None and (left_out.expected, left_out.phi) == (0.0, 1.0)
    # The same 50 in week t−27 is a reference week: the fit sees it (its seasonal block is no
    # longer all zero, so the quasi-Poisson dispersion exceeds 1).
    series[-27], series[-28] = 0.0, 50.0
    counted = baseline(series)
    assert counted is not None and counted.phi > 1.0


def test_farrington_needs_52_reference_weeks_before_the_27_it_leaves_out() -> None:
    # 79 weeks: the reference weeks are 0 … t−27 = 51, exactly 52 of them; with 78 there are 51.
    assert baseline(np.full(79, 1.0)) is not None
    assert baseline(np.full(78, 1.0)) is None


def test_the_trend_is_kept_only_when_significant_in_production_and_always_as_r_advises() -> None:
    # Flat at 4 but for three weeks early on (7, 1, 7): the fitted weekly trend is −0.00007 with
    # a p-value of 0.88. Production (5 % test) drops it; pThresholdTrend = 1 keeps it.
    series = np.full(300, 4.0)
    series[40:43] = [7.0, 1.0, 7.0]
    production = baseline(series, PRODUCTION)
    advised = baseline(series, NOUFAILY_R)
    assert PRODUCTION.trend_alpha == 0.05 and NOUFAILY_R.trend_alpha == 1.0
    assert production is not None and not production.trend_used
    assert advised is not None and advised.trend_used
    assert advised.slope == pytest.approx(-6.94e-5, rel=0.01)


def test_farrington_alarms_on_a_first_outbreak_against_a_zero_baseline() -> None:
    # 100 quiet weeks, then 2, 3: the reference weeks are all zero, so mu0 = 0, threshold 0;
    # 5 cases in the last 4 weeks meet limit54, and 3 > 0 alarms (p-value 0: never by chance).
    series = [0.0] * 100 + [2.0, 3.0]
    one = farrington_flexible(series)
    assert one is not None and one.alarm
    assert (one.expected, one.threshold, one.p_value) == (0.0, 0.0, 0.0)
    two = farrington_two_weeks(series)
    assert two is not None and two.alarm and two.observed == 5.0
    # Four cases are below limit54: no alarm, whatever the baseline.
    few = farrington_flexible([0.0] * 100 + [1.0, 3.0])
    assert few is not None and not few.alarm


def test_cusum_dispersion_comes_from_the_same_52_weeks_as_its_mean() -> None:
    # 61 weeks, t = 60: the mean's window is t−56 … t−5 = weeks 4 … 55, alternating 0 and 2
    # (mean 1, sample variance 52/51, phi 52/51). Week 56 (= t−4, a guard week) holds 10: it
    # is in neither window.
    series = np.zeros(61)
    series[4:56] = [0.0, 2.0] * 26
    series[56] = 10.0
    means, phi = baseline_means(series)
    assert means[-1] == pytest.approx(1.0)
    assert phi == pytest.approx(52 / 51)
    _, phis = baseline_moments(series)
    assert phis[-1] == pytest.approx(52 / 51) and np.isnan(phis[55])


def test_running_cusum_carries_a_rise_older_than_twelve_weeks() -> None:
    # Baseline 1 a week for 56 weeks (phi 1: Poisson). Then 14 weeks of 2: with the mean still 1
    # for the first 4 of them (the window lags 5 weeks) each such week adds 2·log 2 − 1 = 0.386.
    # Later weeks' means rise (the window takes in the 2s), so the steps shrink. The running
    # CUSUM sums from week 56 on; the windowed one only over the last 12 weeks.
    series = np.array([1.0] * 56 + [2.0] * 14)
    windowed = nb_cusum(series)
    running = nb_cusum(series, running=True)
    assert windowed is not None and running is not None
    means, _ = baseline_means(series)
    steps = [2 * math.log(2) - means[w] for w in range(56, 70)]
    assert running.score == pytest.approx(sum(steps))
    assert windowed.score == pytest.approx(sum(steps[2:]))
    assert running.weeks == 14 and windowed.weeks == 12


def test_scan_lists_no_one_case_cluster() -> None:
    # Three villages 1 km apart, one far away; 11 cases in 20 days. Village 3 has a single case,
    # today: mu = 1·1/11, LLR = log 11 + 10·log(10/(11 − 1/11)) = 1.528, the largest of any
    # cylinder. Village 0 has 4 cases, 2 of them yesterday; the last 2 days hold 3 cases:
    # mu = 4·3/11, LLR = 2·log(2/mu) + 9·log(9/(11 − mu)) = 0.346.
    lat = [0.0, 0.009, 0.018, 1.0]
    lon = [0.0, 0.0, 0.0, 0.0]
    loc = [0, 1, 2, 0, 1, 2, 1, 2, 0, 0, 3]
    day = [0, 2, 4, 6, 8, 10, 12, 14, 18, 18, 19]
    kwargs = {"n_days": 20, "max_radius_km": 0.5, "max_days": 3, "replicates": 99, "seed": 7}
    one_case = space_time_permutation_scan(lat, lon, loc, day, min_cases=1, **kwargs)
    assert one_case[0].locations == (3,) and one_case[0].observed == 1
    assert one_case[0].llr == pytest.approx(math.log(11) + 10 * math.log(10 / (11 - 1 / 11)))
    for fast in (True, False):
        clusters = space_time_permutation_scan(lat, lon, loc, day, fast=fast, **kwargs)
        assert all(c.observed >= 2 for c in clusters)
        top = clusters[0]
        assert (top.locations, top.days, top.observed) == ((0,), 2, 2)
        mu = 4 * 3 / 11
        assert top.expected == pytest.approx(mu)
        assert top.llr == pytest.approx(2 * math.log(2 / mu) + 9 * math.log(9 / (11 - mu)))
        # Replicates obey the same rule: their one-case maxima no longer beat it.
        assert top.p_value < 1.0
