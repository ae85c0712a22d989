"""The faster scan (issue 24) finds the same clusters, counts, LLRs and p-values as the scan it
replaced: that implementation is copied below, unchanged but for this docstring and its imports,
as the reference, and both run on fixed seeds over random kabupaten-like datasets with
production's settings (radius 10 km, windows of 1-14 days in 182, 999 replicates, sequential
stopping at 50).

Reference: waspada/detection/detectors/scan.py as of commit 87af1a6 (2026-12-07).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pytest
from scipy import sparse

from waspada.detection import engine
from waspada.detection.detectors import scan
from waspada.detection.detectors.result import Counts

# ---------------------------------------------------------------------------------------------
# The reference: the scan before issue 24's speed work, verbatim.
# ---------------------------------------------------------------------------------------------

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


class ScanGeometry:
    """Every location's neighbours sorted by distance, up to the largest radius: computed once.

    A kabupaten's villages do not move between isu or runs, so ``waspada detect`` and the
    nationwide benchmark build this once per kabupaten and reuse it for every isu's scan.
    """

    def __init__(self, lat: Counts, lon: Counts, max_radius_km: float) -> None:
        lat_a = np.asarray(lat, dtype=float)
        lon_a = np.asarray(lon, dtype=float)
        dist = distances_km(lat_a, lon_a)
        n = dist.shape[0]
        order = np.argsort(dist, axis=1, kind="stable")
        sorted_d = np.take_along_axis(dist, order, axis=1)
        within = sorted_d <= max_radius_km + 1e-9
        k_max = max(int(within.sum(axis=1).max()), 1) if n else 1
        self.n_loc = n
        self.max_radius_km = max_radius_km
        self.order = order[:, :k_max]
        self.radius = sorted_d[:, :k_max]
        self.inside = within[:, :k_max]
        # A circle ends where the next neighbour is strictly farther (ties join together).
        nxt = np.full((n, k_max), np.inf)
        nxt[:, :-1] = self.radius[:, 1:]
        if k_max < n:
            nxt[:, -1] = sorted_d[:, k_max]
        self.boundary = nxt > self.radius + 1e-12


class _Circles:
    """Every candidate circle as (centre, number of nearest neighbours included)."""

    def __init__(self, geometry: ScanGeometry, cases_at: np.ndarray, max_cases: float) -> None:
        inside = geometry.inside
        self.cum_cases = np.cumsum(np.where(inside, cases_at[geometry.order], 0), axis=1)
        self.valid = inside & geometry.boundary & (self.cum_cases <= max_cases)
        # Columns past the largest valid circle (the 50 % cap binds in dense cities) are never
        # scored: drop them, so each Monte Carlo replicate sums fewer neighbours.
        used = np.flatnonzero(self.valid.any(axis=0))
        keep = int(used[-1]) + 1 if used.size else 1
        self.order = geometry.order[:, :keep]
        self.radius = geometry.radius[:, :keep]
        self.cum_cases = self.cum_cases[:, :keep]
        self.valid = self.valid[:, :keep]
        self.k_max = keep


_HASH = np.random.default_rng(20050301)


def _location_hashes(n: int) -> np.ndarray:
    """Two fixed random 64-bit words per location; a circle's hash is their sum (mod 2^64)."""
    return _HASH.integers(0, 2**63 - 1, size=(n, 2), dtype=np.int64).view(np.uint64)


class _FastReplicates:
    """The maximum LLR of permuted data, many replicates at once, equal to the reference loop's.

    Three facts make it cheap without changing a single value:

    * only locations with cases matter (a location without cases adds nothing to a cylinder's
      observed or expected count), so circles with the same case-bearing locations are one
      circle; they are deduplicated by a 128-bit sum of random location hashes;
    * permuting days keeps every location's and every day's total, so a cylinder's expected
      count ``C_A·W_d/C`` is fixed: the LLR depends only on (``C_A``, observed, window), which
      is tabulated once with the reference formula (bit-identical values);
    * the observed counts of a batch of replicates are one matrix product (circle × location
      membership times location × window counts).
    """

    def __init__(
        self,
        circles: _Circles,
        loc: np.ndarray,
        cases_at: np.ndarray,
        window_cases: np.ndarray,
        day_ok: np.ndarray,
        total: int,
        max_days: int,
        n_days: int,
        min_cases: int = 2,
    ) -> None:
        self.loc = loc
        self.max_days = max_days
        self.n_days = n_days
        case_locs = np.flatnonzero(cases_at > 0)
        column = np.full(cases_at.size, -1)
        column[case_locs] = np.arange(case_locs.size)
        self.case_column = column[loc]
        self.n_cols = case_locs.size
        has_cases = cases_at[circles.order] > 0
        hashes = _location_hashes(cases_at.size)[circles.order]  # n × k × 2
        hashes = np.where(has_cases[:, :, None], hashes, np.uint64(0))
        with np.errstate(over="ignore"):
            prefix = np.cumsum(hashes, axis=1, dtype=np.uint64)
        centre, k = np.nonzero(circles.valid & (circles.cum_cases > 0))
        self.empty = centre.size == 0
        self.cells = 0
        if self.empty:
            return
        _, first = np.unique(prefix[centre, k], axis=0, return_index=True)
        centre, k = centre[first], k[first]
        members = (np.arange(circles.k_max)[None, :] <= k[:, None]) & has_cases[centre]
        rows, cols = np.nonzero(members)
        membership = np.zeros((centre.size, self.n_cols), dtype=np.float32)
        membership[rows, column[circles.order[centre[rows], cols]]] = 1.0
        circle_cases = circles.cum_cases[centre, k]
        values, row = np.unique(circle_cases, return_inverse=True)
        # Circles grouped by their case total: within a group the LLR only grows with the
        # observed count, so each replicate needs only the group's largest observed count.
        by_group = np.argsort(row, kind="stable")
        self.membership_t = np.ascontiguousarray(membership[by_group].T)
        self.starts = np.flatnonzero(np.r_[True, np.diff(row[by_group]) != 0])
        self.groups = values.size
        self.cells = by_group.size * max_days
        recent_total = int(window_cases[-1])
        self.width = recent_total + 1
        c = np.arange(self.width, dtype=float)
        mu = values[:, None, None] * window_cases[None, None, :] / total
        table = _llr(np.broadcast_to(c[None, :, None], (values.size, self.width, max_days)), mu, float(total))
        # Cylinders with fewer than ``min_cases`` cases are not clusters (still non-decreasing in c).
        allowed = day_ok[None, None, :] & (c >= min_cases)[None, :, None]
        self.table = np.where(allowed, table, 0.0).reshape(-1)

    def maxima(self, permuted_days: np.ndarray) -> np.ndarray:
        """Largest LLR of each replicate (rows of ``permuted_days``)."""
        batch = permuted_days.shape[0]
        if self.empty:
            return np.zeros(batch)
        back = self.n_days - 1 - permuted_days
        rep, case = np.nonzero(back < self.max_days)
        # The recent cases of the batch, as a sparse (replicate·day × location) count matrix:
        # only they reach a cylinder, so the product costs (recent cases × circles), not
        # (locations × days × circles).
        recent = sparse.csr_matrix(
            (
                np.ones(rep.size, dtype=np.float32),
                (rep * self.max_days + back[rep, case], self.case_column[case]),
            ),
            shape=(batch * self.max_days, self.n_cols),
        )
        by_day = np.asarray(recent @ self.membership_t).reshape(batch, self.max_days, -1)
        observed = by_day  # summed in place into windows: the last 1, 2, … days
        for window in range(1, self.max_days):
            observed[:, window, :] += observed[:, window - 1, :]
        largest = np.maximum.reduceat(observed, self.starts, axis=2).astype(np.int64)
        index = (np.arange(self.groups)[None, None, :] * self.width + largest) * self.max_days
        index += np.arange(self.max_days)[None, :, None]
        return self.table[index].max(axis=(1, 2))


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
    geometry: ScanGeometry | None = None,
    fast: bool = True,
    min_cases: int = 2,
) -> list[Cluster]:
    """The most likely cluster first, then non-overlapping secondary ones. Empty if no case.

    ``geometry`` (built once for these locations and ``max_radius_km``) saves the distance sort;
    ``fast`` evaluates the Monte Carlo replicates in batches (``_FastReplicates``); ``fast=False``
    is the plain reference loop, kept to check that both give the same clusters and p-values.
    ``min_cases``: SaTScan's "minimum number of cases in a cluster" (default 2 in SaTScan for
    the space-time permutation model): a cylinder with fewer cases is never a cluster, in the
    data nor in the replicates.
    """
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
    if geometry is None or geometry.n_loc != n_loc or geometry.max_radius_km != max_radius_km:
        geometry = ScanGeometry(lat_a, lon_a, max_radius_km)
    circles = _Circles(geometry, cases_at, max_fraction * total)
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

    def llr_for(observed: np.ndarray) -> np.ndarray:
        # Only cylinders with more cases than expected have a positive LLR: evaluate just those.
        value = np.zeros(expected.shape)
        above = mask & (observed > expected) & (observed >= min_cases)
        value[above] = _llr(observed[above], expected[above], float(total))
        return value

    def max_llr(days: np.ndarray) -> float:
        if valid_centre.size == 0:
            return 0.0
        observed = observed_for(days)[valid_centre, valid_k, valid_window]
        llr = _llr(observed, expected_valid, float(total))
        return float(np.where(observed >= min_cases, llr, 0.0).max())

    obs = observed_for(day)
    actual = llr_for(obs)
    rng = np.random.default_rng(seed)
    maxima: list[float] = []
    best = float(actual.max())
    beaten = 0
    if fast:
        replicates_at = _FastReplicates(
            circles, loc, cases_at, window_cases, day_ok, total, max_days, n_days, min_cases
        )
        # Batches sized to keep a batch's replicate × window × circle table near 2 million cells.
        batch = int(np.clip(500_000 // (replicates_at.cells + 1), 8, 256))
        while len(maxima) < replicates:
            # The same permutations, drawn in the same order, as the reference loop below.
            size = min(batch, replicates - len(maxima))
            permuted = np.stack([rng.permutation(day) for _ in range(size)])
            values = replicates_at.maxima(permuted)
            hits = np.cumsum(values >= best) + beaten
            if stop_after is not None and hits[-1] >= stop_after:
                stop = int(np.argmax(hits >= stop_after)) + 1
                maxima += values[:stop].tolist()
                break
            beaten = int(hits[-1])
            maxima += values.tolist()
    else:
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
    # Best first; among equal LLRs the circle with the fewest neighbours, then the shortest
    # window, then the lowest centre index (only the positive cells are sorted: they are few).
    positive = np.flatnonzero(actual > 0)
    p_centre, p_k, p_window = np.unravel_index(positive, actual.shape)
    ranked = np.lexsort((p_centre, p_window, p_k, -actual.flat[positive]))
    flat_order, o_centre, o_k = positive[ranked], p_centre[ranked], p_k[ranked]
    # A cylinder overlaps the clusters taken so far iff its circle reaches a taken location:
    # per centre, the first neighbour position that is taken (k_max if none).
    first_taken = np.full(actual.shape[0], circles.k_max)
    at = 0
    while at < flat_order.size and len(clusters) <= secondary:
        free = np.flatnonzero(o_k[at:] < first_taken[o_centre[at:]])
        if free.size == 0:
            break
        at += int(free[0])
        flat = flat_order[at]
        at += 1
        value = float(actual.flat[flat])
        centre, k, window = np.unravel_index(flat, actual.shape)
        members = tuple(int(m) for m in circles.order[centre, : k + 1])
        hit = np.isin(circles.order, members)
        first_taken = np.minimum(first_taken, np.where(hit.any(axis=1), hit.argmax(axis=1), circles.k_max))
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


# ---------------------------------------------------------------------------------------------
# The comparison.
# ---------------------------------------------------------------------------------------------

PRODUCTION = {
    "n_days": engine.SCAN.study_days,
    "max_radius_km": engine.SCAN.max_radius_km,
    "max_fraction": engine.SCAN.max_fraction,
    "max_days": engine.SCAN.max_days,
    "replicates": engine.SCAN.replicates,
    "stop_after": engine.SCAN.stop_after,
    "secondary": 3,
}


def _kabupaten(seed: int) -> tuple[np.ndarray, np.ndarray, list[int], list[int]]:
    """Villages over about 40 × 40 km, background reports over 182 days, and on most seeds a
    bunch of reports in one or two villages over the last days (of a size that makes some
    bunches significant and some not)."""
    rng = np.random.default_rng(1000 + seed)
    villages = int(rng.integers(20, 120))
    lat = -1.9 + rng.uniform(-0.2, 0.2, villages)
    lon = 116.1 + rng.uniform(-0.2, 0.2, villages)
    cases = int(rng.integers(15, 160))
    loc = list(rng.integers(0, villages, cases))
    day = list(rng.integers(0, 182, cases))
    bunch = int(rng.integers(0, 7))
    centre = int(rng.integers(0, villages))
    loc += [centre if rng.random() < 0.7 else int(rng.integers(0, villages)) for _ in range(bunch)]
    day += list(181 - rng.integers(0, 4, bunch))
    return lat, lon, loc, day


def _fields(clusters: list) -> list[dict]:
    return [asdict(c) for c in clusters]


@pytest.mark.parametrize("seed", range(12))
def test_the_scan_gives_the_reference_clusters_and_p_values(seed: int) -> None:
    lat, lon, loc, day = _kabupaten(seed)
    reference = space_time_permutation_scan(lat, lon, loc, day, seed=seed, **PRODUCTION)
    faster = scan.space_time_permutation_scan(lat, lon, loc, day, seed=seed, **PRODUCTION)
    assert _fields(faster) == _fields(reference)


@pytest.mark.parametrize("seed", range(12))
def test_clusters_kept_for_their_size_are_the_reference_ones_with_the_same_p_values(seed: int) -> None:
    """``min_reported`` (production: 3) skips the Monte Carlo or prunes circles; what it returns
    is the reference's list without the smaller clusters, to the last digit."""
    lat, lon, loc, day = _kabupaten(seed)
    reference = space_time_permutation_scan(lat, lon, loc, day, seed=seed, **PRODUCTION)
    kept = scan.space_time_permutation_scan(lat, lon, loc, day, seed=seed, min_reported=3, **PRODUCTION)
    assert _fields(kept) == _fields([c for c in reference if c.observed >= 3])


@pytest.mark.parametrize("seed", range(12))
def test_significant_clusters_are_the_reference_ones_with_the_same_p_values(seed: int) -> None:
    """``alpha`` (production: 0.05) evaluates first only circles that can reach the best
    cluster; what it returns is the reference's significant clusters of three cases or more."""
    lat, lon, loc, day = _kabupaten(seed)
    reference = space_time_permutation_scan(lat, lon, loc, day, seed=seed, **PRODUCTION)
    kept = scan.space_time_permutation_scan(
        lat, lon, loc, day, seed=seed, min_reported=3, alpha=0.05, **PRODUCTION
    )
    assert _fields(kept) == _fields([c for c in reference if c.observed >= 3 and c.p_value < 0.05])


def test_two_significant_bunches_far_apart_keep_their_reference_p_values() -> None:
    """The weaker of two significant clusters needs the second, deeper Monte Carlo pass."""
    lat, lon, loc, day = _kabupaten(3)
    far = int(np.argmax((lat - lat[0]) ** 2 + (lon - lon[0]) ** 2))
    loc += [0] * 7 + [far] * 4
    day += [181, 181, 180, 181, 180, 179, 181, 181, 180, 181, 179]  # the 7, then the 4
    reference = space_time_permutation_scan(lat, lon, loc, day, seed=3, **PRODUCTION)
    significant = [c for c in reference if c.observed >= 3 and c.p_value < 0.05]
    assert len(significant) == 2 and significant[1].llr < significant[0].llr
    kept = scan.space_time_permutation_scan(
        lat, lon, loc, day, seed=3, min_reported=3, alpha=0.05, **PRODUCTION
    )
    assert _fields(kept) == _fields(significant)


def test_the_comparison_covers_significant_and_insignificant_and_skipped_scans() -> None:
    """The datasets above are not all alike: some give a significant cluster, some only
    insignificant ones, some nothing of three cases (the Monte Carlo skipped)."""
    kinds = set()
    for seed in range(12):
        lat, lon, loc, day = _kabupaten(seed)
        found = space_time_permutation_scan(lat, lon, loc, day, seed=seed, **PRODUCTION)
        big = [c for c in found if c.observed >= 3]
        if not big:
            kinds.add("skipped")
        elif any(c.p_value < 0.05 for c in big):
            kinds.add("significant")
        else:
            kinds.add("insignificant")
    assert kinds == {"skipped", "significant", "insignificant"}


@pytest.mark.parametrize("seed", range(6))
def test_production_signals_the_reference_clusters(seed: int) -> None:
    lat, lon, loc, day = _kabupaten(seed)
    reference = space_time_permutation_scan(lat, lon, loc, day, seed=12345, **PRODUCTION)
    wanted = [
        c for c in reference if c.p_value < engine.SCAN.alpha and c.observed >= engine.SCAN.min_observed
    ]
    assert _fields(engine.scan_clusters(lat, lon, loc, day)) == _fields(wanted)


@pytest.mark.parametrize("bunch", [0, 40, 280])
def test_more_recent_cases_than_a_byte_holds_give_the_reference_clusters(bunch: int) -> None:
    """The counts are held as uint8 while the recent cases fit in a byte, as uint16 beyond: a
    busy kabupaten with 300 and more cases in the last 14 days gives the reference's clusters,
    without a bunch, with a significant one, and with one of more cases than a byte holds."""
    rng = np.random.default_rng(2026)
    villages = 40
    lat = -1.9 + rng.uniform(-0.2, 0.2, villages)
    lon = 116.1 + rng.uniform(-0.2, 0.2, villages)
    recent = 300 if bunch < 256 else 20
    loc = list(rng.integers(0, villages, 300 + recent)) + [7] * bunch
    day = (
        list(rng.integers(0, 182, 300))
        + list(rng.integers(168, 182, recent))
        + [181, 180, 179] * (bunch // 3)
    )
    day += [181] * (bunch % 3)
    assert engine.recent_cases(day) > 255
    reference = space_time_permutation_scan(lat, lon, loc, day, seed=5, **PRODUCTION)
    faster = scan.space_time_permutation_scan(lat, lon, loc, day, seed=5, **PRODUCTION)
    assert _fields(faster) == _fields(reference)
    kept = scan.space_time_permutation_scan(
        lat, lon, loc, day, seed=5, min_reported=3, alpha=0.05, **PRODUCTION
    )
    assert _fields(kept) == _fields([c for c in reference if c.observed >= 3 and c.p_value < 0.05])
    assert bool(kept) == (bunch > 0)
    assert max(c.observed for c in reference) > 255 or bunch < 256
