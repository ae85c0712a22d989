"""Scalar tail probabilities and quantiles, the very values of ``scipy.stats``, without its overhead.

``scipy.stats.poisson.sf(k, mu)`` and the like check and broadcast their arguments as arrays on
every call, about 50–100 µs, where the special function beneath takes about 1 µs; the weekly
detectors make some 80,000 such calls on a national run (Farrington's threshold and tail, its
trend test, the surge's Poisson tail). These functions take one number each, handle the edges
as ``scipy.stats`` does (``k`` below the support: 1; ``q`` of 0 or 1: the support's ends; a
parameter outside its domain or a NaN: NaN) and otherwise call the same special function with
the same arguments, so the results are equal to the last bit
(``test_the_scalar_tails_are_scipys.py`` checks them against ``scipy.stats`` over a grid).
"""

from __future__ import annotations

import math

import numpy as np
import scipy.special as sc
import scipy.special._ufuncs as scu  # scipy.stats.nbinom's own sf and ppf (Boost)


def _clip(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def poisson_sf(k: float, mu: float) -> float:
    """``scipy.stats.poisson.sf(k, mu)``: P(Y > k)."""
    if not mu >= 0 or math.isnan(k):
        return math.nan
    if k < 0:
        return 1.0
    if math.isinf(k):
        return 0.0
    return _clip(float(sc.pdtrc(np.floor(k), mu)))


def nbinom_sf(k: float, n: float, p: float) -> float:
    """``scipy.stats.nbinom.sf(k, n, p)``: P(Y > k)."""
    if not (n > 0 and 0 < p <= 1) or math.isnan(k):
        return math.nan
    if k < 0:
        return 1.0
    if math.isinf(k):
        return 0.0
    return _clip(float(scu._nbinom_sf(np.floor(k), n, p)))


def poisson_ppf(q: float, mu: float) -> float:
    """``scipy.stats.poisson.ppf(q, mu)``: the least k with P(Y ≤ k) ≥ q."""
    if not mu >= 0 or not 0 <= q <= 1:
        return math.nan
    if q == 0:
        return -1.0
    if q == 1:
        return math.inf
    vals = np.ceil(sc.pdtrik(q, mu))
    vals1 = np.maximum(vals - 1, 0)
    return float(vals1 if sc.pdtr(vals1, mu) >= q else vals)


def nbinom_ppf(q: float, n: float, p: float) -> float:
    """``scipy.stats.nbinom.ppf(q, n, p)``: the least k with P(Y ≤ k) ≥ q."""
    if not (n > 0 and 0 < p <= 1) or not 0 <= q <= 1:
        return math.nan
    if q == 0:
        return -1.0
    if q == 1:
        return math.inf
    with np.errstate(over="ignore"):
        return float(scu._nbinom_ppf(q, n, p))


def t_sf(x: float, df: float) -> float:
    """``scipy.stats.t.sf(x, df)``: P(T > x) for Student's t with ``df`` degrees of freedom."""
    if not df > 0 or math.isnan(x):
        return math.nan
    if x == -math.inf:
        return 1.0
    if x == math.inf:
        return 0.0
    return float(sc.stdtr(df, -x))
