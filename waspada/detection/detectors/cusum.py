"""Negative-binomial CUSUM for sustained rises (Hawkins & Olwell 1998; Höhle & Paul 2008).

Counts are negative binomial with mean ``μ_t`` and variance ``φ·μ_t`` (size ``μ_t/(φ−1)``, the
same parameterisation as Farrington flexible). The CUSUM tests "in control, mean μ_t" against
"out of control, mean κ·μ_t" week by week::

    S_t = max(0, S_{t−1} + log f(y_t; κ μ_t, φ) − log f(y_t; μ_t, φ))

and alarms when ``S_t > h``, then restarts from 0. A single large week raises S by a lot; a run
of moderately high weeks adds up, which is what the single-week detectors miss.

Parameters: ``kappa`` (default 2: tuned to detect a doubling), ``h`` (default 5; larger = fewer
false alarms and later detection). ``baseline_moments`` gives the in-control mean and the
dispersion of every week from a moving window, for series too short or too sparse for a
seasonal fit: the mean and variance/mean ratio of the ``history`` weeks ``s − guard − history …
s − guard − 1`` (52 weeks ending 5 weeks before week s; the mean and φ from the same weeks).

Production runs it **windowed** (``nb_cusum``: restarted over the last 12 weeks every week,
with the current week's φ); ``running=True`` gives one path over the whole series. The two have
the same false-alarm rate and detection within noise on the Noufaily harness, and the windowed
one keeps a signal about the last 12 weeks and the engine's 12-week guard valid
(docs/detection.md, "The fidelity changes of 2026-12-07").
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

from waspada.detection.detectors.farrington import nb_tail
from waspada.detection.detectors.result import Counts, Detection


def log_likelihood_ratio(y: np.ndarray, mu0: np.ndarray, phi: float | np.ndarray, kappa: float) -> np.ndarray:
    """log f(y; κμ₀, φ) − log f(y; μ₀, φ), elementwise; ``phi`` one value or one per week."""
    y = np.asarray(y, dtype=float)
    mu0 = np.asarray(mu0, dtype=float)
    mu1 = kappa * mu0
    phis = np.broadcast_to(np.asarray(phi, dtype=float), np.broadcast(y, mu0).shape)
    poisson = y * np.log(kappa) - (mu1 - mu0)
    nb = phis > 1.0 + 1e-9
    if not nb.any():
        return poisson
    excess = np.where(nb, phis - 1, 1.0)
    s0 = mu0 / excess
    s1 = mu1 / excess
    log_p = np.log(1 / np.where(nb, phis, 2.0))
    negbin = (gammaln(y + s1) - gammaln(s1)) - (gammaln(y + s0) - gammaln(s0)) + (s1 - s0) * log_p
    return np.where(nb, negbin, poisson)


def cusum_path(
    observed: Counts, expected: Counts, phi: float | np.ndarray, *, kappa: float = 2.0, h: float = 5.0
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


def baseline_moments(counts: Counts, *, history: int = 52, guard: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """In-control mean and dispersion of every week ``s`` from its own window, the ``history``
    weeks ``s − guard − history … s − guard − 1`` (NaN where the series is shorter): the mean,
    and ``φ = max(1, variance/mean)`` (sample variance; 1 where the window's mean is 0)."""
    y = np.asarray(counts, dtype=float)
    n = y.size
    csum = np.concatenate([[0.0], np.cumsum(y)])
    csq = np.concatenate([[0.0], np.cumsum(y * y)])
    means = np.full(n, np.nan)
    phis = np.full(n, np.nan)
    idx = np.arange(n)
    end = idx - guard  # exclusive
    begin = end - history
    ok = begin >= 0
    total = csum[end[ok]] - csum[begin[ok]]
    squares = csq[end[ok]] - csq[begin[ok]]
    mean = total / history
    variance = np.maximum(squares - total * total / history, 0.0) / max(history - 1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(mean > 0, variance / np.where(mean > 0, mean, 1.0), 1.0)
    means[ok] = mean
    phis[ok] = np.maximum(1.0, ratio)
    return means, phis


def baseline_means(counts: Counts, *, history: int = 52, guard: int = 4) -> tuple[np.ndarray, float]:
    """In-control mean for every week (NaN where there is not enough history) and the dispersion
    of the last week's window: the same ``history`` weeks its mean is taken from."""
    means, phis = baseline_moments(counts, history=history, guard=guard)
    phi = float(phis[-1]) if phis.size and not np.isnan(phis[-1]) else 1.0
    return means, phi


def nb_cusum(
    counts: Counts,
    *,
    run_weeks: int = 12,
    history: int = 52,
    guard: int = 4,
    kappa: float = 2.0,
    h: float = 5.0,
    running: bool = False,
) -> Detection | None:
    """CUSUM against the moving baseline, judged on the last week.

    Windowed (production, ``running=False``): restarted from 0 at the start of the last
    ``run_weeks`` weeks every week, every step with the last week's window's φ. Running
    (``running=True``): one path from the first week with a full baseline window to today,
    restarting only after an alarm, each week's step with its own window's mean and φ.
    ``observed``/``expected`` are totals since the CUSUM last left zero (the sustained rise).
    """
    y = np.asarray(counts, dtype=float)
    if y.size < history + guard + 1:
        return None
    means, phis = baseline_moments(y, history=history, guard=guard)
    phi = float(phis[-1])
    start = history + guard if running else max(history + guard, y.size - run_weeks)
    obs, exp = y[start:], means[start:]
    path, alarms = cusum_path(obs, exp, phis[start:] if running else phi, kappa=kappa, h=h)
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
