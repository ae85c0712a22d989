"""The empirical-Bayes Poisson–Gamma baseline (detectors/borrowed.py) on hand-computed cases."""

from __future__ import annotations

import math

import pytest

from waspada.detection.detectors.borrowed import borrowed, predictive


def test_regions_alike_borrow_the_groups_rate_as_a_poisson_mean() -> None:
    # Four kecamatan with equal shares: the kabupaten had 40 land disputes in 10 weeks, 4 a week,
    # so each has exposure 1 a week; each had 10. Ratios all 1: s² = 0, v = max(0, 0 − 1/10) = 0,
    # no extra variation: this week is Poisson(1). P(Y ≥ 5) = 1 − e⁻¹(1 + 1 + 1/2 + 1/6 + 1/24).
    model = predictive([10, 10, 10, 10], [1, 1, 1, 1], 10, 0)
    assert (model.mean, model.size) == (1.0, None)
    tail = 1 - math.exp(-1) * (1 + 1 + 1 / 2 + 1 / 6 + 1 / 24)  # 0.00366
    assert model.tail(5) == pytest.approx(tail)
    five = borrowed(5, [10, 10, 10, 10], [1, 1, 1, 1], 10, 0)
    assert five.alarm and five.threshold == 4.0  # Poisson(1)'s 99.5 % quantile
    assert not borrowed(4, [10, 10, 10, 10], [1, 1, 1, 1], 10, 0).alarm


def test_a_quiet_kecamatan_in_an_uneven_kabupaten_leans_on_the_group() -> None:
    # Two kecamatan with 0 and two with 20 (exposure 1 a week each, 10 weeks): m = 40/40 = 1,
    # ratios 0, 0, 2, 2, s² = 4·10·1/40 = 1, v = 1 − 1/10 = 0.9, a = 1/0.9. The quiet one's
    # posterior is Gamma(a + 0, a + 10): mean 0.1 a week; the busy one's Gamma(a + 20, a + 10):
    # mean 1.9 (pulled from its own 2 towards the group's 1).
    a = 1 / 0.9
    quiet = predictive([0, 0, 20, 20], [1, 1, 1, 1], 10, 0)
    busy = predictive([0, 0, 20, 20], [1, 1, 1, 1], 10, 2)
    assert quiet.mean == pytest.approx(a / (a + 10)) and quiet.mean == pytest.approx(0.1)
    assert busy.mean == pytest.approx((a + 20) / (a + 10)) and busy.mean == pytest.approx(1.9)
    # This week's count: NB(size a, p = (a + 10)/(a + 11)); P(Y ≥ 3) = 1 − Σ_{k<3} pmf(k).
    n, p = a, (a + 10) / (a + 11)
    assert (quiet.size, quiet.prob) == (pytest.approx(n), pytest.approx(p))

    def pmf(k: int) -> float:
        return math.exp(math.lgamma(n + k) - math.lgamma(n) - math.lgamma(k + 1)) * p**n * (1 - p) ** k

    assert quiet.tail(3) == pytest.approx(1 - pmf(0) - pmf(1) - pmf(2))  # 0.00068
    three = borrowed(3, [0, 0, 20, 20], [1, 1, 1, 1], 10, 0)
    assert three.alarm and three.p_value == pytest.approx(0.00068, rel=0.01)
    # Two reports are below production's floor of three, however improbable.
    assert not borrowed(2, [0, 0, 20, 20], [1, 1, 1, 1], 10, 0).alarm


def test_no_exposure_or_no_group_reports_gives_no_baseline_to_alarm_on() -> None:
    assert predictive([0, 0, 0], [1, 1, 1], 10, 0).mean == 0.0
    assert predictive([5, 5], [0, 1], 10, 0).mean == 0.0
