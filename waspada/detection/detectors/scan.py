"""Kulldorff's prospective space-time permutation scan statistic.

Kulldorff, Heffernan, Hartman, Assunção & Mostashari (2005), "A space–time permutation scan
statistic for disease outbreak detection", *PLoS Medicine* 2(3):e59; as in SaTScan (analysis
type 4 "prospective space-time", model 2 "space-time permutation").

Inputs are cases, each with a location (index into the centroid list) and a day (0 … D−1, the
last day being "today"). No population is needed: the expected count of a cylinder comes from
the cases themselves. With ``C_z`` cases at location z over the whole study period, ``C_d``
cases on day d everywhere and ``C`` cases in all::

    μ(A) = Σ_{z∈A} Σ_{d∈A} C_z · C_d / C

Cylinders: circles centred on each location, growing through its neighbours by distance (a
radius is a distance at which a new location joins; ties join together), up to ``max_radius_km``
and up to ``max_fraction`` of all cases; times: the last 1 … ``max_days`` days, always ending
today (prospective). The statistic is Poisson's generalised likelihood ratio, for cylinders with
more cases than expected::

    LLR = c·log(c/μ) + (C−c)·log((C−c)/(C−μ))

Inference by Monte Carlo: the days are permuted among the cases (keeping every location's total
and every day's total), the largest LLR recorded for each of ``replicates`` permutations, and
``p = (1 + #{replicates ≥ observed}) / (1 + replicates)``. Optional sequential stopping
(Besag & Clifford 1991, offered by SaTScan as "early termination"): stop as soon as ``stop_after``
replicates beat the observed cluster, the p-value then being ``stop_after / replicates run``.
The recurrence interval of a daily prospective analysis is ``1/p`` days.

Secondary clusters are the next best cylinders not overlapping a better one (SaTScan's default
"no geographical overlap"), each ranked against the same replicate maxima.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from waspada.detection.detectors.result import Counts

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Cluster:
    centre: int
    radius_km: float
    locations: tuple[int, ...]
    days: int
    observed: int
    expected: float
    llr: float
    p_value: float
    replicates: int
    case_indices: tuple[int, ...] = field(default=())

    @property
    def recurrence_days(self) -> float:
        return 1.0 / self.p_value

    @property
    def relative_risk(self) -> float:
        return self.observed / self.expected if self.expected > 0 else float("inf")


def distances_km(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distances between all pairs of points (haversine)."""
    phi = np.radians(lat)[:, None]
    phi2 = np.radians(lat)[None, :]
    dlat = phi2 - phi
    dlon = np.radians(lon)[None, :] - np.radians(lon)[:, None]
    a = np.sin(dlat / 2) ** 2 + np.cos(phi) * np.cos(phi2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


class _Circles:
    """Every candidate circle as (centre, number of nearest neighbours included)."""

    def __init__(
        self, dist: np.ndarray, cases_at: np.ndarray, max_radius_km: float, max_cases: float
    ) -> None:
        n = dist.shape[0]
        order = np.argsort(dist, axis=1, kind="stable")
        sorted_d = np.take_along_axis(dist, order, axis=1)
        within = sorted_d <= max_radius_km + 1e-9
        k_max = max(int(within.sum(axis=1).max()), 1)
        self.order = order[:, :k_max]
        self.radius = sorted_d[:, :k_max]
        inside = within[:, :k_max]
        # A circle ends where the next neighbour is strictly farther (ties join together).
        nxt = np.full((n, k_max), np.inf)
        nxt[:, :-1] = self.radius[:, 1:]
        if k_max < n:
            nxt[:, -1] = sorted_d[:, k_max]
        boundary = nxt > self.radius + 1e-12
        self.cum_cases = np.cumsum(np.where(inside, cases_at[self.order], 0), axis=1)
        self.valid = inside & boundary & (self.cum_cases <= max_cases)
        # Columns past the largest valid circle (the 50 % cap binds in dense cities) are never
        # scored: drop them, so each Monte Carlo replicate sums fewer neighbours.
        used = np.flatnonzero(self.valid.any(axis=0))
        keep = int(used[-1]) + 1 if used.size else 1
        self.order = self.order[:, :keep]
        self.radius = self.radius[:, :keep]
        self.cum_cases = self.cum_cases[:, :keep]
        self.valid = self.valid[:, :keep]
        self.k_max = keep


def _llr(c: np.ndarray, mu: np.ndarray, total: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = c * np.log(c / mu)
        outside_c = total - c
        outside = np.where(outside_c > 0, outside_c * np.log(outside_c / (total - mu)), 0.0)
        value = np.where(c > mu, inside + outside, 0.0)
    return np.nan_to_num(value, nan=0.0, posinf=0.0, neginf=0.0)


def space_time_permutation_scan(
    lat: Counts,
    lon: Counts,
    case_location: Sequence[int],
    case_day: Sequence[int],
    *,
    n_days: int,
    max_radius_km: float = 3.0,
    max_fraction: float = 0.5,
    max_days: int = 7,
    min_days: int = 1,
    replicates: int = 999,
    stop_after: int | None = None,
    secondary: int = 5,
    seed: int | None = 12345,
) -> list[Cluster]:
    """The most likely cluster first, then non-overlapping secondary ones. Empty if no case."""
    loc = np.asarray(case_location, dtype=int)
    day = np.asarray(case_day, dtype=int)
    lat_a = np.asarray(lat, dtype=float)
    lon_a = np.asarray(lon, dtype=float)
    n_loc = lat_a.size
    total = loc.size
    if total == 0:
        return []
    cases_at = np.bincount(loc, minlength=n_loc).astype(float)
    cases_on = np.bincount(day, minlength=n_days).astype(float)
    circles = _Circles(distances_km(lat_a, lon_a), cases_at, max_radius_km, max_fraction * total)
    # Days back from today: window l covers the last l+1 days.
    days_back = cases_on[::-1][:max_days]
    window_cases = np.cumsum(np.pad(days_back, (0, max_days - days_back.size)))
    expected = circles.cum_cases[:, :, None] * window_cases[None, None, :] / total
    day_ok = np.arange(1, max_days + 1) >= min_days
    mask = circles.valid[:, :, None] & day_ok[None, None, :]

    # Only the valid cylinders are evaluated in the replicates: gather their cells once.
    valid_centre, valid_k, valid_window = np.nonzero(mask)
    expected_valid = expected[valid_centre, valid_k, valid_window]

    def observed_for(days: np.ndarray) -> np.ndarray:
        back = n_days - 1 - days
        recent = back < max_days
        grid = np.bincount(loc[recent] * max_days + back[recent], minlength=n_loc * max_days)
        grid = np.cumsum(grid.reshape(n_loc, max_days).astype(float), axis=1)
        return np.cumsum(grid[circles.order], axis=1)

    def llr_for(days: np.ndarray) -> np.ndarray:
        return np.where(mask, _llr(observed_for(days), expected, float(total)), 0.0)

    def max_llr(days: np.ndarray) -> float:
        if valid_centre.size == 0:
            return 0.0
        observed = observed_for(days)[valid_centre, valid_k, valid_window]
        return float(_llr(observed, expected_valid, float(total)).max())

    actual = llr_for(day)
    obs = observed_for(day)
    rng = np.random.default_rng(seed)
    maxima: list[float] = []
    best = float(actual.max())
    beaten = 0
    for _ in range(replicates):
        value = max_llr(rng.permutation(day))
        maxima.append(value)
        if value >= best:
            beaten += 1
            if stop_after is not None and beaten >= stop_after:
                break
    sims = np.asarray(maxima)
    run = sims.size
    clusters: list[Cluster] = []
    taken: set[int] = set()
    flat_order = np.argsort(actual, axis=None)[::-1]
    for flat in flat_order:
        value = float(actual.flat[flat])
        if value <= 0 or len(clusters) > secondary:
            break
        centre, k, window = np.unravel_index(flat, actual.shape)
        members = tuple(int(m) for m in circles.order[centre, : k + 1])
        if taken.intersection(members):
            continue
        taken.update(members)
        exceed = int((sims >= value).sum())
        if stop_after is not None and run < replicates:
            p = max(exceed, 1) / run
        else:
            p = (1 + exceed) / (1 + run)
        days = int(window) + 1
        member_set = np.isin(loc, members)
        in_time = day >= n_days - days
        clusters.append(
            Cluster(
                centre=int(centre),
                radius_km=float(circles.radius[centre, k]),
                locations=members,
                days=days,
                observed=int(obs[centre, k, window]),
                expected=float(expected[centre, k, window]),
                llr=value,
                p_value=min(p, 1.0),
                replicates=run,
                case_indices=tuple(int(i) for i in np.flatnonzero(member_set & in_time)),
            )
        )
    return clusters
