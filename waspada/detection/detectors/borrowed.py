"""Borrowed strength for sparse and young series: an empirical-Bayes Poisson–Gamma baseline.

Clayton & Kaldor (1987), "Empirical Bayes estimates of age-standardized relative risks for use
in disease mapping", *Biometrics* 43:671–681; moment estimator of Marshall (1991), *Applied
Statistics* 40:283–294.

A kecamatan with two years of one report a year, or a regency four months old, has too little
history for Farrington. Its comparable series are the same isu in the other regions of its
kabupaten (or province), over the same ``T`` reference weeks. Region ``j`` has an **exposure**
``E_j``: the weekly count it would have if it behaved like the group, its share of the group's
past reports (of every isu, or of the population) times the group's weekly count of this isu.
Its relative risk ``θ_j`` is Gamma with mean ``m`` and variance ``v``, and ``Y_j`` (its reports
of the isu over the ``T`` weeks) is Poisson with mean ``θ_j·E_j·T``:

* ``m = Σ Y_j / Σ E_j T``; ``s² = Σ E_j T (Y_j/(E_j T) − m)² / Σ E_j T``;
  ``v = max(0, s² − m / Ē)`` with ``Ē`` the mean of ``E_j T`` (Marshall's estimator: the
  spread of the observed ratios less what Poisson noise alone gives); shape ``a = m²/v``
  (``v = 0``: no extra variation, every region's rate is ``m``);
* the region's posterior is Gamma(``a + Y_r``, rate ``a/m + E_r T``), and its count in the
  current week is negative binomial with size ``a + Y_r`` and probability
  ``(a/m + E_r T) / (a/m + E_r T + E_r)``: mean ``E_r (a + Y_r)/(a/m + E_r T)``. With
  ``v = 0`` it is Poisson with mean ``m·E_r``.

The p-value is that distribution's exact tail ``P(Y ≥ y)``; an alarm needs it below ``alpha``,
at least ``min_observed`` reports this week (production's floor) and a baseline to judge
against (a positive mean: when the group had no report of the isu there is nothing to borrow,
and a zero mean would make any count "impossible"). A region's own history
pulls its rate away from the group's exactly as far as its exposure-weeks ``E_r T`` outweigh
``a/m``: a sparse or young region leans on the group, a busy old one on itself.

In production ``engine.borrowed_alarms_many`` computes the same predictive for every series of
a run at once (a test checks it against ``predictive``); ``docs/detection.md`` says which series
it judges, how the groups and exposures are formed, and its false-alarm rate on quiet series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from waspada.detection.detectors.result import Counts, Detection


@dataclass(frozen=True)
class Predictive:
    """The current week's count of one region: negative binomial (``size``, ``prob``), or
    Poisson with ``mean`` when ``size`` is None (no extra variation between regions)."""

    mean: float
    size: float | None
    prob: float | None

    def tail(self, observed: float) -> float:
        """P(Y ≥ observed)."""
        if observed <= 0:
            return 1.0
        if self.size is None or self.prob is None:
            return float(stats.poisson.sf(observed - 1, self.mean)) if self.mean > 0 else 0.0
        return float(stats.nbinom.sf(observed - 1, self.size, self.prob))


def predictive(totals: Counts, exposures: Counts, weeks: int, region: int) -> Predictive:
    """The empirical-Bayes predictive of ``region``'s count in one week.

    ``totals[j]``: region j's reports of the isu over the ``weeks`` reference weeks;
    ``exposures[j]``: its expected reports a week if it behaved like the group (E_j > 0)."""
    y = np.asarray(totals, dtype=float)
    exposure = np.asarray(exposures, dtype=float)
    if weeks <= 0 or exposure[region] <= 0:
        return Predictive(0.0, None, None)
    et = exposure * weeks
    m = float(y.sum() / et.sum())
    if m <= 0:
        return Predictive(0.0, None, None)
    ratio = y / et
    s2 = float((et * (ratio - m) ** 2).sum() / et.sum())
    v = max(0.0, s2 - m / float(et.mean()))
    e_r = float(exposure[region])
    if v <= 0:
        return Predictive(m * e_r, None, None)
    a = m * m / v
    rate = a / m + e_r * weeks
    size = a + float(y[region])
    return Predictive(e_r * size / rate, size, rate / (rate + e_r))


def borrowed(
    observed: float,
    totals: Counts,
    exposures: Counts,
    weeks: int,
    region: int,
    *,
    alpha: float = 0.005,
    min_observed: int = 3,
) -> Detection:
    """Alarm when this week's ``observed`` count is improbable under the borrowed baseline."""
    model = predictive(totals, exposures, weeks, region)
    p_value = model.tail(observed)
    if model.size is None:
        threshold = float(stats.poisson.ppf(1 - alpha, model.mean)) if model.mean > 0 else 0.0
    else:
        threshold = float(stats.nbinom.ppf(1 - alpha, model.size, model.prob))
    alarm = model.mean > 0 and observed >= min_observed and observed > threshold and p_value < alpha
    return Detection(
        "borrowed",
        bool(alarm),
        float(observed),
        model.mean,
        threshold,
        p_value=p_value,
        note="nb" if model.size is not None else "poisson",
    )
