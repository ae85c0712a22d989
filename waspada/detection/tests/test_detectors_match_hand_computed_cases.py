"""Every detector against cases worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from waspada.detection.detectors import ears, rules
from waspada.detection.detectors.cusum import cusum_path, log_likelihood_ratio
from waspada.detection.detectors.farrington import (
    FarringtonParams,
    baseline,
    farrington_flexible,
    nb_tail,
    nb_upper_quantile,
    seasonal_levels,
)
from waspada.detection.detectors.farrington2w import farrington_two_weeks
from waspada.detection.detectors.scan import distances_km, space_time_permutation_scan


def test_surge_flags_a_week_at_four_and_a_half_times_the_four_week_average() -> None:
    # past four weeks 2, 1, 3, 2: mean 2; production threshold 4.5 × 2 = 9; this week 9 → surge.
    result = rules.surge([2, 1, 3, 2, 9])
    assert result.alarm
    assert result.expected == 2.0
    assert result.threshold == 9.0
    assert result.score == pytest.approx(3.5)  # +350 %


def test_surge_stays_quiet_below_its_threshold_or_where_nothing_usually_happens() -> None:
    assert not rules.surge([2, 1, 3, 2, 8]).alarm  # 8 < 9
    # ACLED's own rule (+100 %: threshold 2 × 2 = 4) would flag 4; production's does not.
    assert not rules.surge([2, 1, 3, 2, 4]).alarm
    assert rules.surge([2, 1, 3, 2, 4], ratio=rules.ACLED_SURGE_RATIO).alarm
    # mean 0.5 < one event a week: ACLED does not show it, however large the percentage.
    assert not rules.surge([0, 1, 0, 1, 5]).alarm


def test_change_level_compares_the_last_four_weeks_with_the_previous_year() -> None:
    history = [2.0] * 52  # weekly mean 2
    level, result = rules.change_level([*history, 7, 7, 7, 7])  # recent mean 7: +250 % > +225 %
    assert level == rules.ChangeLevel.LARGE_INCREASE
    assert result.alarm
    assert result.observed == 28 and result.expected == 8
    assert result.threshold == pytest.approx(8 * 3.25)  # 26
    level, _ = rules.change_level([*[10.0] * 52, 11, 12, 11, 11])  # 11.25 vs 10: +12.5 %
    assert level == rules.ChangeLevel.MODERATE_INCREASE
    level, _ = rules.change_level([*[10.0] * 52, 7, 7, 7, 7])  # −30 %
    assert level == rules.ChangeLevel.LARGE_DECREASE


def test_a_large_increase_below_the_production_threshold_is_not_an_alarm() -> None:
    # recent mean 6.25 vs 2: +212.5 %, ACLED's "large increase" but not above +225 %.
    level, result = rules.change_level([*[2.0] * 52, 6, 6, 6, 7])
    assert level == rules.ChangeLevel.LARGE_INCREASE
    assert not result.alarm
    # +50 % is a large increase on ACLED's map and an alarm at ACLED's +25 %, not production's.
    _, acled = rules.change_level([*[2.0] * 52, 3, 3, 3, 3], alarm_above=rules.ACLED_LARGE_INCREASE)
    assert acled.alarm
    assert not rules.change_level([*[2.0] * 52, 3, 3, 3, 3])[1].alarm


def test_change_level_ignores_tiny_baselines() -> None:
    # history mean 0.5, recent total 4 ≤ 5: limited change even though +100 %.
    level, result = rules.change_level([*[0.0, 1.0] * 26, 1, 1, 1, 1])
    assert level == rules.ChangeLevel.LIMITED_CHANGE
    assert not result.alarm


def test_ears_c1_uses_the_seven_periods_before_today() -> None:
    # baseline 1,2,3,1,2,3,2: mean 2, sample sd sqrt(4/6) = 0.8165; today 7 → C1 = 6.124 > 5.3.
    result = ears.c1([1, 2, 3, 1, 2, 3, 2, 7])
    assert result.expected == pytest.approx(2.0)
    assert result.score == pytest.approx(5 / math.sqrt(4 / 6))
    assert result.alarm
    assert result.threshold == pytest.approx(2 + 5.3 * math.sqrt(4 / 6))  # 6.33
    # today 5 → C1 = 3.674: CDC's z = 3 alarms, production's 5.3 does not.
    assert not ears.c1([1, 2, 3, 1, 2, 3, 2, 5]).alarm
    assert ears.c1([1, 2, 3, 1, 2, 3, 2, 5], z=ears.CDC_Z).alarm


def test_ears_minimum_sigma_keeps_one_report_after_silence_from_alarming() -> None:
    # seven zeros: sd 0, floored at 0.5; one report → C1 = 2, two → 4 (no alarm at 5.3),
    # three → 6 (alarm).
    assert ears.c1([0] * 7 + [1]).score == pytest.approx(2.0)
    assert not ears.c1([0] * 7 + [1]).alarm
    assert not ears.c1([0] * 7 + [2]).alarm
    assert ears.c1([0] * 7 + [3]).alarm


def test_ears_c2_leaves_a_two_period_guard_band() -> None:
    # baseline = first seven (all 2, sd floored at 0.5); the two guard values (9, 9) are ignored.
    result = ears.c2([2, 2, 2, 2, 2, 2, 2, 9, 9, 6])
    assert result.expected == 2.0
    assert result.score == pytest.approx(8.0)  # (6 − 2) / 0.5 > 6.5
    assert result.alarm
    # today 4: C2 = 4, above CDC's 3, below production's 6.5.
    assert not ears.c2([2, 2, 2, 2, 2, 2, 2, 9, 9, 4]).alarm
    assert ears.c2([2, 2, 2, 2, 2, 2, 2, 9, 9, 4], z=ears.CDC_Z).alarm


def test_ears_c3_sums_the_excess_of_the_last_three_c2_values() -> None:
    # Series of 12 constant 2s then the last three are 2.4, 2.6, 2.8 (sd floor 0.5, means 2):
    # C2 = 0.8, 1.2, 1.6 → excesses 0, 0.2, 0.6 → C3 = 0.8 (no alarm).
    series = [2.0] * 9 + [2.4, 2.6, 2.8]
    result = ears.c3(series)
    assert result.score == pytest.approx(0.8)
    assert not result.alarm
    # with 4, 4, 4 the C2 values are 4 (baselines still all 2s) → 3 × 3 = 9: above CDC's 2,
    # below production's 11.5; with 5, 5, 5 they are 6 → 3 × 5 = 15 > 11.5.
    assert ears.c3([2.0] * 9 + [4, 4, 4]).score == pytest.approx(9.0)
    assert not ears.c3([2.0] * 9 + [4, 4, 4]).alarm
    assert ears.c3([2.0] * 9 + [4, 4, 4], threshold=ears.CDC_C3).alarm
    assert ears.c3([2.0] * 9 + [5, 5, 5]).score == pytest.approx(15.0)
    assert ears.c3([2.0] * 9 + [5, 5, 5]).alarm


def test_negative_binomial_quantile_and_tail_use_variance_phi_mu() -> None:
    # mean 4, phi 2 → size 4, prob 1/2: variance 8.
    assert stats.nbinom.var(4, 0.5) == pytest.approx(8.0)
    assert nb_upper_quantile(4.0, 2.0, 0.005) == stats.nbinom.ppf(0.995, 4, 0.5)
    # phi = 1 falls back to Poisson: P(Y ≥ 3 | 1) = 1 − e^-1 (1 + 1 + 1/2).
    assert nb_tail(3, 1.0, 1.0) == pytest.approx(1 - math.exp(-1) * 2.5)


def test_farrington_seasonal_factor_has_a_seven_week_window_and_nine_blocks_of_five() -> None:
    t = 520
    levels = seasonal_levels(t, t - 52 * 5 - 3, t - 26, 3, 10)
    weeks = np.arange(t - 52 * 5 - 3, t - 26 + 1)
    # The window around the same week one year back: t−55 … t−49.
    assert set(levels[(weeks >= t - 55) & (weeks <= t - 49)]) == {0}
    assert levels[weeks == t - 56][0] == 9  # the block just before a window
    assert levels[weeks == t - 48][0] == 1  # the block just after a window
    assert np.bincount(levels[(weeks > t - 104 + 3) & (weeks < t - 55)]).tolist() == [0] + [5] * 9


def test_farrington_on_a_flat_poisson_series_expects_its_mean_and_alarms_on_a_spike() -> None:
    rng = np.random.default_rng(1)
    series = rng.poisson(5.0, 300).astype(float)
    base_mean = series[300 - 1 - 52 * 5 - 3 : 300 - 26].mean()
    quiet = farrington_flexible([*series[:-1], 5.0])
    assert quiet is not None and not quiet.alarm
    # No trend, no real season: the fit is close to the plain mean of the reference weeks.
    assert quiet.expected == pytest.approx(base_mean, rel=0.15)
    spike = farrington_flexible([*series[:-1], 25.0])
    assert spike is not None and spike.alarm
    assert spike.p_value is not None and spike.p_value < 1e-5


def test_farrington_downweights_a_past_outbreak() -> None:
    series = np.full(300, 4.0)
    series[150:153] = 60.0  # a large past outbreak inside the reference weeks
    result = farrington_flexible(series)
    assert result is not None
    # Unweighted, those three weeks would lift the mean to ~4.7; reweighting keeps it near 4.
    assert result.expected < 4.3


def test_farrington_needs_five_cases_in_four_weeks_and_enough_history() -> None:
    series = [0.0] * 299 + [3.0]
    result = farrington_flexible(series)
    assert result is not None and not result.alarm  # 3 cases < 5 in the last 4 weeks
    assert farrington_flexible([1.0] * 60, FarringtonParams()) is None  # < 52 reference weeks


def test_two_week_sum_flags_two_busy_weeks_that_farrington_misses_one_at_a_time() -> None:
    # A flat series of 4 a week fits exactly: mu = 4, phi = 1 (Poisson). One week's 99.5 %
    # quantile is 10, so 9 and 9 pass one at a time; the two weeks' sum 18 is judged against
    # Poisson(8), whose 99.5 % quantile is 16: P(S >= 18) = 1 - P(S <= 17) = 0.00159.
    series = np.full(300, 4.0)
    series[-2:] = 9.0
    one = farrington_flexible(series)
    assert one is not None and not one.alarm and one.threshold == 10.0
    two = farrington_two_weeks(series)
    assert two is not None and two.alarm
    assert (two.observed, two.threshold) == (18.0, 16.0)
    assert two.expected == pytest.approx(8.0)
    assert two.p_value == pytest.approx(0.0015943, rel=1e-4)


def test_two_week_sum_predicts_last_week_from_the_trend() -> None:
    # An exact falling trend, 5·exp(−0.003 t): the fit keeps it (significant, below the largest
    # reference count), and the week before is expected at mu_t · exp(0.003).
    t = np.arange(300)
    series = 5.0 * np.exp(-0.003 * t)
    series[-2:] = 6.0
    base = baseline(series)
    assert base is not None and base.trend_used and base.slope == pytest.approx(-0.003, abs=1e-6)
    two = farrington_two_weeks(series, base=base)
    assert two is not None
    assert two.expected == pytest.approx(5.0 * math.exp(-0.003 * 299) + 5.0 * math.exp(-0.003 * 298))


def test_two_week_sum_needs_a_report_this_week_and_five_in_four_weeks() -> None:
    series = np.full(300, 0.2)
    series[-2:] = [12.0, 0.0]  # all last week: Farrington's to flag last week, not a new alarm
    quiet_now = farrington_two_weeks(series)
    assert quiet_now is not None and quiet_now.observed == 12.0 and not quiet_now.alarm
    series[-2:] = [2.0, 2.0]  # 4 cases in 4 weeks, above the tiny baseline but under limit54
    few = farrington_two_weeks(series)
    assert few is not None and few.observed > few.threshold and not few.alarm
    series[-3] = 1.0  # the fifth case
    enough = farrington_two_weeks(series)
    assert enough is not None and enough.alarm


def test_nb_cusum_accumulates_a_sustained_rise() -> None:
    # Poisson (phi 1), mu0 = 2, kappa 2: each week adds y·log 2 − 2.
    llr = log_likelihood_ratio(np.array([4.0]), np.array([2.0]), 1.0, 2.0)
    assert llr[0] == pytest.approx(4 * math.log(2) - 2)  # 0.7726
    # 4 per week: S = 0.77, 1.55, 2.32, 3.09 … passes h = 3 in the fourth week.
    path, alarms = cusum_path([4, 4, 4, 4, 4], [2] * 5, 1.0, kappa=2.0, h=3.0)
    assert alarms.tolist() == [False, False, False, True, False]
    assert path[3] == pytest.approx(4 * (4 * math.log(2) - 2))
    # A quiet week brings S back towards zero and never below it.
    path, _ = cusum_path([0, 0], [2, 2], 1.0, h=3.0)
    assert path.tolist() == [0.0, 0.0]


def test_negative_binomial_llr_matches_the_log_densities() -> None:
    y, mu0, phi = 5.0, 2.0, 1.5
    expected = stats.nbinom.logpmf(5, 4 / 0.5, 1 / 1.5) - stats.nbinom.logpmf(5, 2 / 0.5, 1 / 1.5)
    assert log_likelihood_ratio(np.array([y]), np.array([mu0]), phi, 2.0)[0] == pytest.approx(expected)


def test_haversine_distance_of_one_degree_of_latitude() -> None:
    d = distances_km(np.array([0.0, 1.0]), np.array([0.0, 0.0]))
    assert d[0, 1] == pytest.approx(111.19, abs=0.01)


def test_space_time_scan_finds_a_hand_computed_cluster() -> None:
    # Three villages 1 km apart on a line, one far away. 20 days; 10 background cases spread
    # over days and villages, plus 6 cases in village 0 on the last day.
    lat = [0.0, 0.009, 0.018, 1.0]
    lon = [0.0, 0.0, 0.0, 0.0]
    loc = [0, 1, 2, 3, 0, 1, 2, 3, 1, 2] + [0] * 6
    day = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18] + [19] * 6
    clusters = space_time_permutation_scan(
        lat, lon, loc, day, n_days=20, max_radius_km=0.5, max_days=3, replicates=199, seed=7
    )
    top = clusters[0]
    assert top.locations == (0,) and top.days == 1 and top.observed == 6
    # C = 16; village 0 has 8 cases in all, day 19 has 6: μ = 8 × 6 / 16 = 3.
    assert top.expected == pytest.approx(3.0)
    # LLR = 6 log(6/3) + 10 log(10/13).
    assert top.llr == pytest.approx(6 * math.log(2) + 10 * math.log(10 / 13))
    assert 0 < top.p_value <= 1 and top.recurrence_days == pytest.approx(1 / top.p_value)
    assert len(top.case_indices) == 6


def test_recurrence_intervals_read_as_plain_indonesian() -> None:
    from waspada.detection.explain import how_often, usual

    assert how_often(4 * 365.25) == "sekali dalam 4 tahun"
    assert how_often(90) == "sekali dalam 3 bulan"
    assert how_often(21) == "sekali dalam 3 minggu"
    assert how_often(5) == "sekali dalam 5 hari"
    assert usual(1.9) == "2" and usual(0.3) == "kurang dari 1"
