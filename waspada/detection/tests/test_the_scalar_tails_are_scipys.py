"""The detectors' scalar tails (``detectors/tails.py``) give ``scipy.stats``'s values to the last bit."""

from __future__ import annotations

import itertools
import math

from scipy import stats

from waspada.detection.detectors import tails

K = [-math.inf, -2, -1, -0.5, 0, 0.3, 1, 2, 2.5, 3, 5, 7, 10, 17, 40, 150, 1e4, math.inf, math.nan]
MEAN = [0.0, 1e-9, 0.01, 0.2, 1, 1.5, 3.7, 10, 55.5, 400, -1, math.nan]
P = [1e-6, 0.01, 0.1, 0.33, 0.5, 0.9, 0.999, 1.0, 0.0, -0.1, 1.1, math.nan]
Q = [0, 1e-12, 0.005, 0.5, 0.95, 0.99, 0.995, 1 - 1e-12, 1, -0.1, 1.1, math.nan]


def _same(mine: float, scipys: float) -> bool:
    return (math.isnan(mine) and math.isnan(scipys)) or mine == float(scipys)


def test_poisson_tails_and_quantiles_equal_scipys_including_the_edges() -> None:
    for k, mu in itertools.product(K, MEAN):
        assert _same(tails.poisson_sf(k, mu), stats.poisson.sf(k, mu)), (k, mu)
    for q, mu in itertools.product(Q, MEAN):
        assert _same(tails.poisson_ppf(q, mu), stats.poisson.ppf(q, mu)), (q, mu)


def test_negative_binomial_tails_and_quantiles_equal_scipys_including_the_edges() -> None:
    for k, n, p in itertools.product(K, MEAN, P):
        assert _same(tails.nbinom_sf(k, n, p), stats.nbinom.sf(k, n, p)), (k, n, p)
    for q, n, p in itertools.product(Q, MEAN, P):
        assert _same(tails.nbinom_ppf(q, n, p), stats.nbinom.ppf(q, n, p)), (q, n, p)


def test_student_t_tails_equal_scipys() -> None:
    for x, df in itertools.product(
        [-math.inf, -3, -0.1, 0, 0.2, 1.96, 2.5, 40, math.inf, math.nan],
        [0.5, 1, 3, 50, 200, 0, -1, math.nan],
    ):
        assert _same(tails.t_sf(x, df), stats.t.sf(x, df)), (x, df)
