"""Negative-binomial CUSUM for sustained rises (Hawkins & Olwell 1998; Höhle & Paul 2008).

Counts are negative binomial with mean ``μ_t`` and variance ``φ·μ_t`` (size ``μ_t/(φ−1)``, the
same parameterisation as Farrington flexible). The CUSUM tests "in control, mean μ_t" against
"out of control, mean κ·μ_t" week by week::

    S_t = max(0, S_{t−1} + log f(y_t; κ μ_t, φ) − log f(y_t; μ_t, φ))

and alarms when ``S_t > h``, then restarts from 0. A single large week raises S by a lot; a run
of moderately high weeks adds up, which is what the single-week detectors miss.

Parameters: ``kappa`` (default 2: tuned to detect a doubling), ``h`` (default 5; larger = fewer
false alarms and later detection). ``baseline_means`` gives the in-control mean per week and a
dispersion from a moving window, for series too short or too sparse for a seasonal fit:
the mean and variance/mean ratio of the ``history`` weeks ending ``guard`` weeks before each week.
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

from waspada.detection.detectors.farrington import nb_tail
from waspada.detection.detectors.result import Counts, Detection


def log_likelihood_ratio(y: np.ndarray, mu0: np.ndarray, phi: float, kappa: float) -> np.ndarray:
    mu1 = kappa * mu0
    if phi <= 1.0 + 1e-9:
        return y * np.log(kappa) - (mu1 - mu0)
    s0 = mu0 / (phi - 1)
    s1 = mu1 / (phi - 1)
    log_p = np.log(1 / phi)
    return (gammaln(y + s1) - gammaln(s1)) - (gammaln(y + s0) - gammaln(s0)) + (s1 - s0) * log_p


def cusum_path(
    observed: Counts, expected: Counts, phi: float, *, kappa: float = 2.0, h: float = 5.0
) -> tuple[np.ndarray, np.ndarray]:
    """The CUSUM statistic and alarm flag for every week (restarting at 0 after each alarm)."""
    y = np.asarray(observed, dtype=float)
    mu0 = np.maximum(np.asarray(expected, dtype=float), 1e-3)
    llr = log_likelihood_ratio(y, mu0, phi, kappa)
    path = np.zeros(y.size)
    alarms = np.zeros(y.size, dtype=bool)
    s = 0.0
    for i, step in enumerate(llr):
        s = max(0.0, s + float(step))
        path[i] = s
        if s > h:
            alarms[i] = True
            s = 0.0
    return path, alarms


def baseline_means(counts: Counts, *, history: int = 52, guard: int = 4) -> tuple[np.ndarray, float]:
    """In-control mean for every week (NaN where there is not enough history) and one dispersion."""
    y = np.asarray(counts, dtype=float)
    n = y.size
    csum = np.concatenate([[0.0], np.cumsum(y)])
    means = np.full(n, np.nan)
    idx = np.arange(n)
    end = idx - guard  # exclusive
    begin = end - history
    ok = begin >= 0
    means[ok] = (csum[end[ok]] - csum[begin[ok]]) / history
    window = y[max(0, n - guard - history) : max(0, n - guard)]
    phi = 1.0
    if window.size > 1 and window.mean() > 0:
        phi = max(1.0, float(window.var(ddof=1) / window.mean()))
    return means, phi


def nb_cusum(
    counts: Counts,
    *,
    run_weeks: int = 12,
    history: int = 52,
    guard: int = 4,
    kappa: float = 2.0,
    h: float = 5.0,
) -> Detection | None:
    """CUSUM over the last ``run_weeks`` weeks against the moving baseline; judged on the last week.

    ``observed``/``expected`` are totals since the CUSUM last left zero (the sustained rise).
    """
    y = np.asarray(counts, dtype=float)
    if y.size < history + guard + 1:
        return None
    means, phi = baseline_means(y, history=history, guard=guard)
    start = max(history + guard, y.size - run_weeks)
    obs, exp = y[start:], means[start:]
    path, alarms = cusum_path(obs, exp, phi, kappa=kappa, h=h)
    # The run behind the current value: back to the last week the sum was zero.
    run_start = len(path) - 1
    while run_start > 0 and path[run_start - 1] > 0 and not alarms[run_start - 1]:
        run_start -= 1
    run_obs = float(obs[run_start:].sum())
    run_exp = float(exp[run_start:].sum())
    return Detection(
        "nb_cusum",
        bool(alarms[-1]),
        run_obs,
        run_exp,
        h,
        p_value=nb_tail(run_obs, run_exp, phi) if run_exp > 0 else None,
        score=float(path[-1]),
        note=f"{len(path) - run_start} minggu",
        weeks=len(path) - run_start,
    )
