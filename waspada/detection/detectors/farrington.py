"""Farrington flexible, with the settings Noufaily et al. (2013) recommend.

References: Farrington, Andrews, Beale & Catchpole (1996), *JRSS A* 159:547–563; Noufaily,
Enki, Farrington, Garthwaite, Andrews & Charlett (2013), "An improved algorithm for outbreak
detection in multiple surveillance systems", *Stat Med* 32(7):1206–1222; the R implementation
``surveillance::farringtonFlexible`` (Salmon, Schumacher & Höhle 2016, *J Stat Softw* 70(10)),
whose defaults and order of steps this module follows.

For the current week ``t`` (the last element of the weekly series):

1. **Reference weeks**: every week from ``t − 52·b − w`` to ``t − 27`` (``b`` = 5 years back,
   window half-width ``w`` = 3; the current week and the 26 weeks before it, ``t − 26 … t``, left
   out so that a current, growing outbreak does not inflate its own baseline: R's
   ``pastWeeksNotIncluded = 26`` and Noufaily et al.'s window). With less history, the weeks
   there are (at least ``min_weeks``).
2. **Seasonal factor with 10 levels**: in each past year, the 2w+1 = 7 weeks around the week of
   the year ``t`` falls in are level 0; the 45 weeks between two such windows are cut into 9
   consecutive blocks of 5 weeks, levels 1…9 (the same level in every year).
3. **Quasi-Poisson GLM** ``log μ = α + β·week + γ[level]``; dispersion
   ``φ = max(1, Pearson χ² / (n − p))``.
4. **Reweighting**: Anscombe residuals ``r = 1.5 (y^{2/3} − μ^{2/3}) / (μ^{1/6} √(φ(1−h)))``;
   weeks with ``r > 2.58`` get weight ``r^{-2}``, the others 1, all scaled to sum to n; refit with
   these weights and recompute φ (weighted). Past outbreaks therefore barely shape the baseline.
5. **Trend only if it earns its place**: kept when its coefficient's p-value (t test on the
   quasi-Poisson fit) is below ``trend_alpha``, there are at least 3 years of reference data, and
   the predicted count does not exceed the largest reference count; otherwise steps 3–4 are
   redone without it. **Production uses ``trend_alpha`` = 0.05** (Farrington et al. 1996, R's
   default ``pThresholdTrend = 0.05``); the improved method as Noufaily et al. and the R
   package's own example of it set ``pThresholdTrend = 1`` (the trend kept whenever the other
   two conditions hold): ``NOUFAILY_R`` below. The two are compared on the Noufaily harness
   (docs/detection.md); production keeps 0.05 for the reason written there.
6. **Threshold**: the ``1 − α`` quantile of the negative binomial with mean ``μ₀`` (the predicted
   mean for week t) and variance ``φ·μ₀`` (size ``μ₀/(φ−1)``; Poisson when φ = 1). Noufaily et
   al. replaced the original 2/3-power normal approximation with this quantile because the
   approximation produced far too many false alarms.
7. **Alarm** when the observed count exceeds the threshold and at least 5 cases occurred in the
   last 4 weeks (Farrington's rule against alarms on isolated counts, ``limit54``). Reference
   weeks that are all zero give μ₀ = 0 and a threshold of 0: the first outbreak of a series
   observed for long enough alarms by these same rules (its p-value is 0).

The p-value reported is ``P(Y ≥ y)`` under that negative binomial; 1/p is the number of weeks one
would wait, on average, for a count this large by chance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from waspada.detection.detectors.glm import GlmFit, fit_poisson
from waspada.detection.detectors.result import Counts, Detection
from waspada.detection.detectors.tails import nbinom_ppf, nbinom_sf, poisson_ppf, poisson_sf, t_sf

FREQ = 52


@dataclass(frozen=True)
class FarringtonParams:
    b: int = 5
    w: int = 3
    no_periods: int = 10
    past_weeks_not_included: int = 26
    reweight_threshold: float = 2.58
    alpha: float = 0.005
    trend: bool = True
    trend_alpha: float = 0.05
    limit_cases: int = 5
    limit_weeks: int = 4
    min_weeks: int = 52


PRODUCTION = FarringtonParams()
"""Production: Noufaily et al.'s settings (b 5, w 3, 10 periods, 26 weeks left out, reweighting
above 2.58, NB quantile) with Farrington's 5 % trend test, not Noufaily's always-kept trend."""

NOUFAILY_R = FarringtonParams(trend_alpha=1.0)
"""Noufaily et al.'s improved method as R's ``surveillance`` example sets it
(``pThresholdTrend = 1``: the trend kept whenever ≥ 3 years and prediction ≤ max)."""


def seasonal_levels(t: int, start: int, end: int, w: int, no_periods: int) -> np.ndarray:
    """The seasonal level (0 = window around this week of the year) of weeks start..end."""
    weeks = np.arange(start, end + 1)
    offset = (t - weeks) % FREQ  # weeks since the same week of the year, 0..51
    levels = np.zeros(weeks.size, dtype=int)
    between = FREQ - (2 * w + 1)  # 45 weeks between two windows
    # Position inside the stretch that starts just after a window (w+1 weeks after the week of
    # the year) and ends just before the next window: 0..between-1.
    position = (FREQ - offset - (w + 1)) % FREQ
    outside = (offset > w) & (offset < FREQ - w)
    blocks = no_periods - 1
    levels[outside] = 1 + (position[outside] * blocks) // between
    return levels


def _design(weeks: np.ndarray, levels: np.ndarray, trend: bool, present: np.ndarray) -> np.ndarray:
    columns = [np.ones(weeks.size)]
    if trend:
        columns.append(weeks.astype(float))
    for level in present:
        if level != 0:
            columns.append((levels == level).astype(float))
    return np.column_stack(columns)


def _fit_reweighted(y: np.ndarray, x: np.ndarray, threshold: float) -> tuple[GlmFit, float]:
    first = fit_poisson(y, x)
    phi = max(first.dispersion, 1.0)
    mu = first.mu
    with np.errstate(divide="ignore", invalid="ignore"):
        anscombe = (
            1.5 * (np.cbrt(y) ** 2 - np.cbrt(mu) ** 2) / (mu ** (1 / 6) * np.sqrt(phi * (1 - first.hat)))
        )
    anscombe = np.nan_to_num(anscombe, nan=0.0, posinf=0.0)
    raw = np.where(anscombe > threshold, 1.0 / np.maximum(anscombe, 1e-12) ** 2, 1.0)
    weights = raw * (y.size / raw.sum())
    second = fit_poisson(y, x, weights)
    return second, max(second.dispersion, 1.0)


def nb_upper_quantile(mean: float, phi: float, alpha: float) -> float:
    if mean <= 0:
        return 0.0
    if phi <= 1.0 + 1e-9:
        return poisson_ppf(1 - alpha, mean)
    return nbinom_ppf(1 - alpha, mean / (phi - 1), 1 / phi)


def nb_tail(observed: float, mean: float, phi: float) -> float:
    """P(Y ≥ observed) for Y negative binomial with mean ``mean``, variance ``phi·mean``."""
    if mean <= 0:
        return 1.0 if observed <= 0 else 0.0
    if phi <= 1.0 + 1e-9:
        return poisson_sf(observed - 1, mean)
    return nbinom_sf(observed - 1, mean / (phi - 1), 1 / phi)


@dataclass(frozen=True)
class Baseline:
    """The fit's prediction for the last week: ``expected`` count, dispersion ``phi``, and the
    weekly log-linear ``slope`` of the trend when the trend was kept (0 otherwise), so that the
    week before is predicted as ``expected · exp(−slope)`` (same seasonal level 0)."""

    expected: float
    phi: float
    trend_used: bool
    slope: float = 0.0


def baseline(counts: Counts, params: FarringtonParams = PRODUCTION) -> Baseline | None:
    """Steps 1–5: the expected count for the last week and the dispersion; None if too little data."""
    y_all = np.asarray(counts, dtype=float)
    t = y_all.size - 1
    end = t - params.past_weeks_not_included - 1  # t − 27: the current week and 26 before it left out
    start = max(0, t - FREQ * params.b - params.w)
    if end - start + 1 < params.min_weeks:
        return None
    weeks = np.arange(start, end + 1)
    y = y_all[start : end + 1]
    if y.sum() == 0:
        return Baseline(0.0, 1.0, False)
    levels = seasonal_levels(t, start, end, params.w, params.no_periods)
    present = np.unique(levels)
    years = (end - start + 1) / FREQ
    level0 = np.zeros(1, dtype=int)

    def predict(fit: GlmFit, trend: bool) -> float:
        x0 = _design(np.array([t]), level0, trend, present)
        return float(np.exp(min(float((x0 @ fit.coef)[0]), 30.0)))

    if params.trend and years >= 3:
        x = _design(weeks, levels, True, present)
        fit, phi = _fit_reweighted(y, x, params.reweight_threshold)
        se = np.sqrt(max(phi * fit.cov_unscaled[1, 1], 0.0))
        p_trend = 2 * t_sf(abs(fit.coef[1]) / se, fit.df_residual) if se > 0 else 1.0
        mu0 = predict(fit, True)
        if p_trend < params.trend_alpha and mu0 <= y.max():
            return Baseline(mu0, phi, True, float(fit.coef[1]))
    x = _design(weeks, levels, False, present)
    fit, phi = _fit_reweighted(y, x, params.reweight_threshold)
    return Baseline(predict(fit, False), phi, False)


def farrington_flexible(
    counts: Counts, params: FarringtonParams = PRODUCTION, base: Baseline | None = None
) -> Detection | None:
    """Farrington flexible for the last week of ``counts`` (weekly). None if too little history.

    ``base``: the series' ``baseline`` when the caller has fitted it already (it is the same fit
    for the two-week detector of ``farrington2w``)."""
    y_all = np.asarray(counts, dtype=float)
    if base is None:
        base = baseline(y_all, params)
    if base is None:
        return None
    observed = float(y_all[-1])
    threshold = nb_upper_quantile(base.expected, base.phi, params.alpha)
    recent = float(y_all[-params.limit_weeks :].sum())
    enough = recent >= params.limit_cases
    # A zero baseline (no report in any reference week) is the model's own answer, not a missing
    # one: its threshold is 0, so a first outbreak alarms once limit54 holds (p-value 0).
    alarm = observed > threshold and enough
    p_value = nb_tail(observed, base.expected, base.phi)
    score = (observed - base.expected) / (threshold - base.expected) if threshold > base.expected else None
    note = f"phi={base.phi:.2f}" + (", tren" if base.trend_used else "")
    return Detection(
        "farrington", bool(alarm), observed, base.expected, threshold, p_value=p_value, score=score, note=note
    )
