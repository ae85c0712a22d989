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

As in SaTScan, a cylinder needs at least ``min_cases`` (2) cases to be a cluster: a single case
on a quiet day can have a large ratio but is not a cluster (SaTScan's "minimum number of cases"),
and the replicates obey the same rule.

Secondary clusters are the next best cylinders not overlapping a better one (SaTScan's default
"no geographical overlap"), each ranked against the same replicate maxima.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

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
    """The maximum LLR of permuted data, many replicates at once, equal to the reference loop's
    wherever it is compared (at or above ``floor``).

    Four facts make it cheap without changing a single comparison:

    * only locations with cases matter (a location without cases adds nothing to a cylinder's
      observed or expected count), so circles with the same case-bearing locations are one
      circle; they are deduplicated by a 128-bit sum of random location hashes;
    * permuting days keeps every location's and every day's total, so a cylinder's expected
      count ``C_A·W_d/C`` is fixed: the LLR depends only on (``C_A``, observed, window), which
      is tabulated once with the reference formula (bit-identical values);
    * the observed counts of a batch of replicates are one sparse matrix product (the recent
      cases' replicate·day × location counts times location × circle membership: a case
      outside the longest window reaches no cylinder);
    * a permutation keeps a circle's cases ``C_A`` and a window's cases ``W_d``, so no replicate
      puts more than ``min(C_A, W_d)`` cases in a cylinder, and the LLR grows with the observed
      count: circles whose bound ``LLR(min(C_A, W_d))`` stays below ``floor`` (the smallest LLR
      a replicate is compared with) can never decide a comparison and are not evaluated.
      A replicate's computed maximum is then exact when it is at least ``floor`` and below
      ``floor`` (perhaps lower than the true maximum) otherwise.
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
        floor: float = 0.0,
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
        flat = np.flatnonzero(circles.valid & (circles.cum_cases > 0))
        self.empty = flat.size == 0
        self.cells = 0
        if self.empty:
            return
        centre, k = np.divmod(flat, circles.k_max)
        # Within a centre, a circle that reaches no new case-bearing location has the set of the
        # one before: only the first of each such run can be the first of its hash pair below.
        run = centre * (circles.k_max + 1) + np.cumsum(has_cases, axis=1).reshape(-1)[flat]
        starts = np.r_[True, run[1:] != run[:-1]]
        centre, k = centre[starts], k[starts]
        # One circle per distinct set of case-bearing locations (the first of each hash pair).
        pairs = prefix[centre, k]
        by_hash = np.lexsort((pairs[:, 1], pairs[:, 0]))
        pairs = pairs[by_hash]
        new = np.r_[True, (pairs[1:, 0] != pairs[:-1, 0]) | (pairs[1:, 1] != pairs[:-1, 1])]
        first = by_hash[new]
        centre, k = centre[first], k[first]
        circle_cases = circles.cum_cases[centre, k]
        values, row = np.unique(circle_cases, return_inverse=True)
        recent_total = int(window_cases[-1])
        self.width = recent_total + 1
        c = np.arange(self.width, dtype=float)
        mu = values[:, None, None] * window_cases[None, None, :] / total
        table = _llr(np.broadcast_to(c[None, :, None], (values.size, self.width, max_days)), mu, float(total))
        # Cylinders with fewer than ``min_cases`` cases are not clusters (still non-decreasing in c).
        allowed = day_ok[None, None, :] & (c >= min_cases)[None, :, None]
        table = np.where(allowed, table, 0.0)
        # The largest LLR any permutation can give a group's cylinders: min(C_A, W_d) cases.
        most = np.minimum(values[:, None], window_cases[None, :]).astype(int)
        bound = table[np.arange(values.size)[:, None], most, np.arange(max_days)[None, :]].max(axis=1)
        reachable = bound >= floor
        if floor > 0 and not reachable.all():
            values, table = values[reachable], table[reachable]
            renumber = np.cumsum(reachable) - 1
            kept = reachable[row]
            centre, k, row = centre[kept], k[kept], renumber[row[kept]]
        self.empty = centre.size == 0
        if self.empty:
            return
        self.table = table.reshape(-1)
        # Circles grouped by their case total: within a group the LLR only grows with the
        # observed count, so each replicate needs only the group's largest observed count.
        by_group = np.argsort(row, kind="stable")
        centre, k = centre[by_group], k[by_group]
        members = (np.arange(circles.k_max)[None, :] <= k[:, None]) & has_cases[centre]
        rows, cols = np.divmod(np.flatnonzero(members), circles.k_max)
        # Counts are small integers (at most the recent cases): held as the narrowest unsigned
        # integers that hold them, exact, so every pass over the replicate × window × circle
        # table moves a quarter of the bytes of float32.
        self.count_type = _count_type(recent_total)
        membership = np.zeros((self.n_cols, centre.size), dtype=self.count_type)
        membership[column[circles.order[centre[rows], cols]], rows] = 1
        self.membership_t = membership
        self.starts = np.flatnonzero(np.r_[True, np.diff(row[by_group]) != 0])
        self.groups = values.size
        self.cells = centre.size * max_days

    def maxima(self, permuted_days: np.ndarray) -> np.ndarray:
        """Largest LLR of each replicate (rows of ``permuted_days``)."""
        batch = permuted_days.shape[0]
        if self.empty:
            return np.zeros(batch)
        back = self.n_days - 1 - permuted_days
        rep, case = np.nonzero(back < self.max_days)
        # The recent cases of the batch, as a sparse (replicate·day × location) count matrix
        # (rows in order, so built straight as CSR): only they reach a cylinder, so the product
        # costs (recent cases × circles), not (locations × days × circles).
        slot = rep * self.max_days + back[rep, case]
        order = np.argsort(slot, kind="stable")
        rows = batch * self.max_days
        indptr = np.zeros(rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(slot, minlength=rows), out=indptr[1:])
        recent = sparse.csr_matrix(
            (np.ones(slot.size, dtype=self.count_type), self.case_column[case[order]], indptr),
            shape=(rows, self.n_cols),
        )
        observed = np.asarray(recent @ self.membership_t).reshape(batch, self.max_days, -1)
        for window in range(1, self.max_days):  # summed in place into windows: the last 1, 2, … days
            observed[:, window, :] += observed[:, window - 1, :]
        largest = np.maximum.reduceat(observed, self.starts, axis=2).astype(np.int64)
        index = (np.arange(self.groups)[None, None, :] * self.width + largest) * self.max_days
        index += np.arange(self.max_days)[None, :, None]
        return self.table[index].max(axis=(1, 2))


def _count_type(most: int) -> type[np.unsignedinteger]:
    """The narrowest unsigned integer type that holds every count up to ``most``."""
    for kind in (np.uint8, np.uint16, np.uint32):
        if most <= np.iinfo(kind).max:
            return kind
    return np.uint64


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
    min_reported: int = 0,
    alpha: float | None = None,
) -> list[Cluster]:
    """The most likely cluster first, then non-overlapping secondary ones. Empty if no case.

    ``geometry`` (built once for these locations and ``max_radius_km``) saves the distance sort;
    ``fast`` evaluates the Monte Carlo replicates in batches (``_FastReplicates``); ``fast=False``
    is the plain reference loop, kept to check that both give the same clusters and p-values.
    ``min_cases``: SaTScan's "minimum number of cases in a cluster" (default 2 in SaTScan for
    the space-time permutation model): a cylinder with fewer cases is never a cluster, in the
    data nor in the replicates.
    ``min_reported``: clusters with fewer cases are chosen (and block overlapping secondary
    clusters) as usual but not returned; when no cluster is left the Monte Carlo is skipped,
    and otherwise it evaluates only circles that could reach the weakest returned cluster's
    LLR. The returned clusters and p-values are those of ``min_reported=0``, filtered.
    ``alpha``: only clusters with p < alpha are returned; the Monte Carlo first evaluates only
    circles that could reach the best cluster and goes down to weaker ones only when they
    could still be significant. Again the result is the unfiltered one, filtered.
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
    day_ok = np.arange(1, max_days + 1) >= min_days

    def expected_at(centre: np.ndarray, k: np.ndarray, window: np.ndarray) -> np.ndarray:
        return circles.cum_cases[centre, k] * window_cases[window] / total

    # Observed counts are small integers (at most the recent cases, the same number in every
    # permutation): held exactly in the narrowest unsigned type, so the centre × neighbour ×
    # window table is an eighth of float64's bytes; made float only where an LLR is computed.
    counts = _count_type(int(window_cases[-1]))

    def observed_for(days: np.ndarray) -> np.ndarray:
        back = n_days - 1 - days
        recent = back < max_days
        grid = np.bincount(loc[recent] * max_days + back[recent], minlength=n_loc * max_days)
        grid = np.cumsum(grid.reshape(n_loc, max_days).astype(counts), axis=1, dtype=counts)
        return np.cumsum(grid[circles.order], axis=1, dtype=counts)

    obs = observed_for(day)
    shape = obs.shape
    # Only cylinders with ``min_cases`` and more cases than expected have a positive LLR:
    # evaluate just those.
    cell = obs >= min_cases
    cell &= circles.valid[:, :, None]
    if not day_ok.all():
        cell &= day_ok[None, None, :]
    # Flat indices (a 3-D ``nonzero`` is several times slower), split into circle and window.
    cells = np.flatnonzero(cell)
    cell_circle, cell_window = np.divmod(cells, max_days)
    cell_expected = circles.cum_cases.reshape(-1)[cell_circle] * window_cases[cell_window] / total
    cell_observed = obs.reshape(-1)[cells].astype(float)
    above = cell_observed > cell_expected
    cell_llr = _llr(cell_observed[above], cell_expected[above], float(total))
    best = float(cell_llr.max()) if cell_llr.size else 0.0

    # The clusters, chosen before the Monte Carlo (which only gives their p-values).
    # Best first; among equal LLRs the circle with the fewest neighbours, then the shortest
    # window, then the lowest centre index. Each pick is the best cylinder not overlapping the
    # clusters taken so far, found among the positive cells without sorting them all (an
    # overlapping cylinder stays overlapping: the walk down a full ranking picks the same ones).
    positive = cell_llr > 0
    p_llr = cell_llr[positive]
    p_centre, p_k = np.divmod(cell_circle[above][positive], shape[1])
    p_window = cell_window[above][positive]
    # A cylinder overlaps the clusters taken so far iff its circle reaches a taken location:
    # per centre, the first neighbour position that is taken (k_max if none).
    first_taken = np.full(shape[0], circles.k_max)
    chosen: list[tuple[int, int, int, tuple[int, ...], float]] = []  # centre, k, window, members, LLR
    while len(chosen) <= secondary:
        free = np.flatnonzero(p_k < first_taken[p_centre])
        if free.size == 0:
            break
        top = free[p_llr[free] == p_llr[free].max()]
        if top.size > 1:
            top = top[np.lexsort((p_centre[top], p_window[top], p_k[top]))]
        pick = int(top[0])
        centre, k, window = int(p_centre[pick]), int(p_k[pick]), int(p_window[pick])
        members = tuple(int(m) for m in circles.order[centre, : k + 1])
        taken = np.zeros(n_loc, dtype=bool)
        taken[list(members)] = True
        hit = taken[circles.order]
        first_taken = np.minimum(first_taken, np.where(hit.any(axis=1), hit.argmax(axis=1), circles.k_max))
        if obs[centre, k, window] >= min_reported:
            chosen.append((centre, k, window, members, float(p_llr[pick])))
        else:
            chosen.append((-1, k, window, members, 0.0))  # takes its place, is not returned
    chosen = [c for c in chosen if c[0] >= 0]
    if not chosen:
        return []

    def monte_carlo(floor: float) -> np.ndarray:
        """The replicates' maximum LLRs, exact at or above ``floor`` (see ``_FastReplicates``);
        the same permutations whatever the floor (a fresh generator from ``seed``)."""
        rng = np.random.default_rng(seed)
        maxima: list[float] = []
        beaten = 0
        if fast:
            replicates_at = _FastReplicates(
                circles, loc, cases_at, window_cases, day_ok, total, max_days, n_days, min_cases, floor
            )
            # Batches sized to keep a batch's replicate × window × circle table near 500,000
            # cells; the first one smaller, as a scan that stops early stops within a hundred or so.
            batch = int(np.clip(500_000 // (replicates_at.cells + 1), 8, 256))
            size = min(batch, 64)
            while len(maxima) < replicates:
                # The same permutations, drawn in the same order, as the reference loop below
                # (``permuted`` shuffles row after row with the generator, as ``permutation`` does).
                size = min(size, replicates - len(maxima))
                permuted = rng.permuted(np.tile(day, (size, 1)), axis=1)
                values = replicates_at.maxima(permuted)
                hits = np.cumsum(values >= best) + beaten
                if stop_after is not None and hits[-1] >= stop_after:
                    stop = int(np.argmax(hits >= stop_after)) + 1
                    maxima += values[:stop].tolist()
                    break
                beaten = int(hits[-1])
                maxima += values.tolist()
                size = batch
            return np.asarray(maxima)
        valid_centre, valid_k, valid_window = np.nonzero(circles.valid[:, :, None] & day_ok[None, None, :])
        expected_valid = expected_at(valid_centre, valid_k, valid_window)

        def max_llr(days: np.ndarray) -> float:
            if valid_centre.size == 0:
                return 0.0
            observed = observed_for(days)[valid_centre, valid_k, valid_window].astype(float)
            llr = _llr(observed, expected_valid, float(total))
            return float(np.where(observed >= min_cases, llr, 0.0).max())

        for _ in range(replicates):
            value = max_llr(rng.permutation(day))
            maxima.append(value)
            if value >= best:
                beaten += 1
                if stop_after is not None and beaten >= stop_after:
                    break
        return np.asarray(maxima)

    def p_value(sims: np.ndarray, value: float) -> float:
        exceed = int((sims >= value).sum())
        if stop_after is not None and sims.size < replicates:
            return min(max(exceed, 1) / sims.size, 1.0)
        return min((1 + exceed) / (1 + sims.size), 1.0)

    values = [c[4] for c in chosen]
    if alpha is None:
        sims = monte_carlo(min(values) if min_reported > 0 else 0.0)
    else:
        # First only what can reach the best cluster: exact for it, and for a weaker cluster a
        # count of exceedances that can only be too low, so a p-value that can only be too low.
        # A weaker cluster whose p-value is already >= alpha is dropped; if any is left
        # undecided, the same permutations again, exact down to the weakest of those.
        sims = monte_carlo(max(values))
        undecided = [v for v in values if p_value(sims, v) < alpha and v < max(values)]
        if undecided:
            sims = monte_carlo(min(undecided))
        chosen = [c for c in chosen if p_value(sims, c[4]) < alpha]
    run = sims.size
    clusters: list[Cluster] = []
    for centre, k, window, members, value in chosen:
        days = window + 1
        member_set = np.isin(loc, members)
        in_time = day >= n_days - days
        clusters.append(
            Cluster(
                centre=centre,
                radius_km=float(circles.radius[centre, k]),
                locations=members,
                days=days,
                observed=int(obs[centre, k, window]),
                expected=float(expected_at(np.array(centre), np.array(k), np.array(window))),
                llr=value,
                p_value=p_value(sims, value),
                replicates=run,
                case_indices=tuple(int(i) for i in np.flatnonzero(member_set & in_time)),
            )
        )
    return clusters
