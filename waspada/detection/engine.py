"""Runs every weekly detector over one count series, and the scan over one kabupaten: no database.

``waspada detect``, the worker's periodic job and ``benchmarks/detect_national.py`` all call
``detect_many`` (every series' weekly detectors and every kabupaten's scan, over the same
processes) and ``borrowed_alarms_many``, so the benchmark measures what production runs.

Cheap guards skip work that cannot produce an alarm (documented per detector):

* a series with no report in its last ``QUIET_WEEKS`` weeks cannot alarm in any detector (each
  needs a count in the current week or a CUSUM run, which decays to 0 within 12 weeks of zeros);
* Farrington flexible (and its two-week sum, which shares the fit) is fitted only when the last
  4 weeks hold at least 5 reports (below that their ``limit54`` rule forbids an alarm, so the fit
  would be wasted) and the current week could signal: at least ``MIN_OBSERVED`` reports in it
  for the one-week detector; for the two-week sum, at least one report in it and
  ``MIN_OBSERVED`` in the two weeks (conditions of its alarm and of every signal);
* a signal needs at least ``MIN_OBSERVED`` reports in the current week (or in the CUSUM run): on
  a forum report stream, one or two reports where there were none are for the analyst's inbox,
  not for a statistical signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from waspada.detection.detectors import ears, rules
from waspada.detection.detectors.cusum import nb_cusum
from waspada.detection.detectors.farrington import PRODUCTION as FARRINGTON
from waspada.detection.detectors.farrington import baseline, farrington_flexible
from waspada.detection.detectors.farrington2w import farrington_two_weeks
from waspada.detection.detectors.result import Detection
from waspada.detection.detectors.scan import Cluster, ScanGeometry, space_time_permutation_scan

QUIET_WEEKS = 12
MIN_OBSERVED = 3
WEEKLY_DETECTORS = (
    "surge",
    "change_level",
    "ears_c1",
    "ears_c2",
    "ears_c3",
    "farrington",
    "farrington2w",
    "nb_cusum",
    "borrowed",
)

# Borrowed strength (detectors/borrowed.py) judges the series Farrington cannot: fewer known weeks
# than its fit needs (52 reference weeks ending 27 weeks back: 79), or fewer than 5 reports in the
# last 4 weeks (its limit54 rule forbids an alarm). Its reference weeks are the known weeks before
# the current one, at most 52 and at least BORROWED_MIN_WEEKS; its group is the same isu in the
# other regions under the same parent, at least BORROWED_MIN_GROUP of them.
BORROWED_ALPHA = 0.005
BORROWED_MIN_WEEKS = 4
BORROWED_REFERENCE_WEEKS = 52
BORROWED_MIN_GROUP = 3
FARRINGTON_KNOWN_WEEKS = FARRINGTON.min_weeks + FARRINGTON.past_weeks_not_included + 1


CUSUM_KAPPA = 2.0  # nb_cusum's defaults, used by the bound in weekly_alarms_many
CUSUM_H = 5.0
CUSUM_RUN_WEEKS = 12


def known_weeks(counts: Sequence[float] | np.ndarray, first_week: int | None = None) -> np.ndarray:
    """The weeks of a series that are known: from ``first_week`` on (the index of the first week
    the installation observed, ``detect.observed_from``), the weeks before a region's first
    report being known zeros; or from its first report on when ``first_week`` is None (nothing
    says since when the region has been watched) or the report is older than ``first_week``."""
    y = np.asarray(counts, dtype=float)
    nonzero = np.flatnonzero(y)
    start = int(nonzero[0]) if nonzero.size else y.size
    if first_week is not None:
        start = min(start, max(int(first_week), 0))
    return y[start:]


def weekly_alarms_many(matrix: np.ndarray, first_week: int | None = None) -> list[list[Detection]]:
    """``weekly_alarms(known_weeks(row, first_week))`` for every row of a series × week matrix, fast.

    The guards are evaluated on the whole matrix at once and only rows that can alarm reach the
    per-series detectors; the result is the same as the plain loop (a test checks it). A row
    can alarm only if its current week is busy (surge, EARS, Farrington), its last 4 weeks hold
    ``MIN_OBSERVED`` reports (change level), or its CUSUM can pass ``h``: each NB log-likelihood
    ratio step is at most ``y·log κ`` (the ratio Γ(y+κs)Γ(s)/(Γ(y+s)Γ(κs)) ≤ κ^y and the other
    term is negative), and the run covers at most the last 12 weeks, so the CUSUM needs
    ``log κ · Σ y(last 12) > h``. The two-week Farrington sum needs no condition of its own: it
    needs 5 reports in the last 4 weeks and a Farrington fit (a series of at least 79 weeks), so
    every row where it can alarm passes the change-level condition (56 weeks, 3 in the last 4).
    """
    y = np.asarray(matrix, dtype=float)
    if y.ndim != 2 or y.shape[0] == 0:
        return []
    found: list[list[Detection]] = [[] for _ in range(y.shape[0])]
    for row, series in _weekly_candidates(y, first_week):
        found[row] = weekly_alarms(series)
    return found


def _weekly_candidates(y: np.ndarray, first_week: int | None) -> list[tuple[int, np.ndarray]]:
    """The rows of ``weekly_alarms_many``'s matrix that can alarm, each with its known weeks."""
    weeks = y.shape[1]
    nonzero = y != 0
    first = np.where(nonzero.any(axis=1), nonzero.argmax(axis=1), weeks)
    if first_week is not None:
        first = np.minimum(first, max(int(first_week), 0))
    length = weeks - first
    quiet = y[:, -QUIET_WEEKS:].sum(axis=1) == 0
    busy = y[:, -1] >= MIN_OBSERVED
    level = (length >= 56) & (y[:, -4:].sum(axis=1) >= MIN_OBSERVED)
    cusum = y[:, -CUSUM_RUN_WEEKS:].sum(axis=1) * np.log(CUSUM_KAPPA) > CUSUM_H - 1e-9
    candidate = (length >= 15) & ~quiet & (busy | level | cusum)
    return [(int(row), y[row, first[row] :]) for row in np.flatnonzero(candidate)]


def weekly_alarms(counts: Sequence[float] | np.ndarray) -> list[Detection]:
    """Detections that alarm for the last week of a weekly series (oldest week first)."""
    y = np.asarray(counts, dtype=float)
    if y.size < 15 or y[-QUIET_WEEKS:].sum() == 0:
        return []
    found: list[Detection] = []
    current_busy = y[-1] >= MIN_OBSERVED  # surge, EARS and Farrington judge the current week
    if current_busy:
        found.append(rules.surge(y))
        found += [ears.c1(y), ears.c2(y), ears.c3(y)]
    # Farrington flexible and its two-week sum share one fit, made only when one of them can alarm.
    limit54 = y[-FARRINGTON.limit_weeks :].sum() >= FARRINGTON.limit_cases
    two_weeks = y[-1] >= 1 and y[-2:].sum() >= MIN_OBSERVED
    if limit54 and (current_busy or two_weeks):
        base = baseline(y)
        if base is not None:
            one = farrington_flexible(y, base=base) if current_busy else None
            found += [d for d in (one, farrington_two_weeks(y, base=base)) if d is not None]
    if y.size >= 56 and y[-4:].sum() >= MIN_OBSERVED:
        found.append(rules.change_level(y)[1])
    cusum = nb_cusum(y, kappa=CUSUM_KAPPA, h=CUSUM_H, run_weeks=CUSUM_RUN_WEEKS)
    if cusum is not None:
        found.append(cusum)
    return [d for d in found if d.alarm and d.observed >= MIN_OBSERVED]


def borrowed_reference_weeks(known: int) -> int:
    """How many weeks before the current one borrowed strength reads, for a series with ``known``
    known weeks (the current one included); 0 when it has fewer than ``BORROWED_MIN_WEEKS``."""
    weeks = min(BORROWED_REFERENCE_WEEKS, known - 1)
    return weeks if weeks >= BORROWED_MIN_WEEKS else 0


def borrowed_alarms_many(
    matrix: np.ndarray, region_of: np.ndarray, group_of: np.ndarray, first_week: int | None = None
) -> dict[int, Detection]:
    """Borrowed-strength alarms for the current (last) week of every row of a series × week matrix.

    ``region_of[row]``: the row's region (an index); ``group_of[row]``: its group, one per parent
    region × isu. Every region the installation watches under a parent must have a row in each
    of its groups (zeros where it had no report). A region's **exposure share** is its reports
    of every isu in the reference weeks, plus one, over the same for its whole group (plus one
    each, so a region without past reports still has a small share); its exposure ``E`` is that
    share times the group's weekly count of the isu. The rest is ``borrowed.predictive`` for
    every row at once: a test checks that the two agree. Returns ``{row: Detection}`` for the
    rows that alarm (judged only where Farrington cannot: see ``FARRINGTON_KNOWN_WEEKS``)."""
    # Imported here: the processes of detect_many never need scipy.stats, whose import costs
    # about 0.6 s of CPU in each of them (the detectors' tails call scipy.special directly).
    from scipy import stats

    y = np.asarray(matrix, dtype=float)
    if y.ndim != 2 or y.shape[0] == 0:
        return {}
    weeks_total = y.shape[1]
    if first_week is None:
        nonzero = np.flatnonzero(y.any(axis=0))
        first_week = int(nonzero[0]) if nonzero.size else weeks_total
    known = weeks_total - max(int(first_week), 0)
    weeks = borrowed_reference_weeks(known)
    now = y[:, -1]
    if weeks == 0 or not (now >= MIN_OBSERVED).any():
        return {}
    region_of = np.asarray(region_of)
    group_of = np.asarray(group_of)
    groups = int(group_of.max()) + 1
    reference = y[:, -1 - weeks : -1].sum(axis=1)
    region_total = np.bincount(region_of, weights=reference)
    members = np.bincount(group_of, minlength=groups).astype(float)
    weight = region_total[region_of] + 1.0
    share = weight / np.bincount(group_of, weights=weight, minlength=groups)[group_of]
    group_reports = np.bincount(group_of, weights=reference, minlength=groups)
    exposure_weeks = share * group_reports[group_of]  # E_j · T
    et_sum = np.bincount(group_of, weights=exposure_weeks, minlength=groups)
    m = np.divide(group_reports, et_sum, out=np.zeros(groups), where=et_sum > 0)
    ratio = np.divide(reference, exposure_weeks, out=np.zeros_like(reference), where=exposure_weeks > 0)
    spread = np.bincount(group_of, weights=exposure_weeks * (ratio - m[group_of]) ** 2, minlength=groups)
    s2 = np.divide(spread, et_sum, out=np.zeros(groups), where=et_sum > 0)
    mean_et = np.divide(et_sum, members, out=np.zeros(groups), where=members > 0)
    v = np.maximum(0.0, s2 - np.divide(m, mean_et, out=np.zeros(groups), where=mean_et > 0))
    young = known < FARRINGTON_KNOWN_WEEKS
    sparse = y[:, -FARRINGTON.limit_weeks :].sum(axis=1) < FARRINGTON.limit_cases
    rows = np.flatnonzero(
        (now >= MIN_OBSERVED)
        & (young | sparse)
        & (members[group_of] >= BORROWED_MIN_GROUP)
        & (group_reports[group_of] > 0)
    )
    g = group_of[rows]
    e_r = exposure_weeks[rows] / weeks
    observed = now[rows]
    poisson = v[g] <= 0
    mean = np.where(poisson, m[g] * e_r, 0.0)
    p_value = np.ones(rows.size)
    threshold = np.zeros(rows.size)
    if poisson.any():
        p_value[poisson] = stats.poisson.sf(observed[poisson] - 1, mean[poisson])
        threshold[poisson] = stats.poisson.ppf(1 - BORROWED_ALPHA, mean[poisson])
    nb = ~poisson
    if nb.any():
        gn = g[nb]
        a = m[gn] ** 2 / v[gn]
        rate = a / m[gn] + exposure_weeks[rows[nb]]
        size, prob = a + reference[rows[nb]], rate / (rate + e_r[nb])
        mean[nb] = e_r[nb] * size / rate
        p_value[nb] = stats.nbinom.sf(observed[nb] - 1, size, prob)
        threshold[nb] = stats.nbinom.ppf(1 - BORROWED_ALPHA, size, prob)
    alarm = (mean > 0) & (observed > threshold) & (p_value < BORROWED_ALPHA)
    found: dict[int, Detection] = {}
    for i in np.flatnonzero(alarm):
        found[int(rows[i])] = Detection(
            "borrowed",
            True,
            float(observed[i]),
            float(mean[i]),
            float(threshold[i]),
            p_value=float(p_value[i]),
            note=f"{'poisson' if poisson[i] else 'nb'}, {weeks} minggu, {int(members[g[i]])} wilayah",
        )
    return found


def weighted_alarms(
    weighted: Sequence[float] | np.ndarray, counts: Sequence[float] | np.ndarray
) -> list[Detection]:
    """The surge rule on the severity-weighted series (same weeks as ``counts``, oldest first).

    It catches a week whose reports are graver than usual even when they are not more numerous
    (three reports at awas weigh 24 where three ordinary ones weigh 3). Only the surge rule runs
    here: the weighted values are not counts, so the count models (Farrington, NB CUSUM) do not
    apply. Like every weekly signal, it needs ``MIN_OBSERVED`` reports in the current week.
    """
    w = np.asarray(weighted, dtype=float)
    y = np.asarray(counts, dtype=float)
    if w.size < 15 or y[-1] < MIN_OBSERVED:
        return []
    # ACLED's +100 %: the weighted series is not on the Noufaily harness that set the count
    # rule's 4.5 (issue 24), so it keeps the rule as ACLED states it.
    found = rules.surge(w, ratio=rules.ACLED_SURGE_RATIO)
    return [found] if found.alarm else []


@dataclass(frozen=True)
class ScanSettings:
    """Production settings of the scan over a kabupaten's villages (daily, prospective)."""

    study_days: int = 182
    max_radius_km: float = 10.0
    max_fraction: float = 0.5
    max_days: int = 14
    replicates: int = 999
    stop_after: int = 50
    alpha: float = 0.05
    min_observed: int = MIN_OBSERVED


SCAN = ScanSettings()


def recent_cases(case_day: Sequence[int], settings: ScanSettings = SCAN) -> int:
    """Cases in the longest cylinder window (the last ``max_days`` days of the study period)."""
    return sum(1 for day in case_day if day >= settings.study_days - settings.max_days)


def scan_clusters(
    lat: Sequence[float],
    lon: Sequence[float],
    case_location: Sequence[int],
    case_day: Sequence[int],
    settings: ScanSettings = SCAN,
    seed: int | None = 12345,
    geometry: ScanGeometry | None = None,
) -> list[Cluster]:
    """Significant clusters (p < alpha) ending today among one kabupaten's villages.

    ``geometry`` (``ScanGeometry(lat, lon, settings.max_radius_km)``, built once per kabupaten)
    saves sorting the villages by distance again for every isu.
    """
    if len(case_location) < settings.min_observed:
        return []
    clusters = space_time_permutation_scan(
        lat,
        lon,
        case_location,
        case_day,
        n_days=settings.study_days,
        max_radius_km=settings.max_radius_km,
        max_fraction=settings.max_fraction,
        max_days=settings.max_days,
        replicates=settings.replicates,
        stop_after=settings.stop_after,
        secondary=3,
        seed=seed,
        geometry=geometry,
        min_reported=settings.min_observed,
        alpha=settings.alpha,
    )
    return [c for c in clusters if c.p_value < settings.alpha and c.observed >= settings.min_observed]


ScanInput = tuple[Sequence[float], Sequence[float], list[tuple[Sequence[int], Sequence[int]]]]
"""One kabupaten: village latitudes, longitudes, and per isu (case villages, case days)."""


def scan_kabupaten(job: ScanInput) -> list[list[Cluster]]:
    """The clusters of each isu of one kabupaten, its scan geometry built once."""
    lat, lon, per_isu = job
    if len(lat) < 2:
        return [[] for _ in per_isu]
    geometry = ScanGeometry(lat, lon, SCAN.max_radius_km)
    return [scan_clusters(lat, lon, locations, days, geometry=geometry) for locations, days in per_isu]


def scan_many(jobs: Sequence[ScanInput], processes: int = 1) -> list[list[list[Cluster]]]:
    """``scan_kabupaten`` for every job, in order, over ``processes`` processes when there is more
    than one job. The processes are started fresh (``spawn``): they import this module and numpy
    only, never Django or a database connection of the caller's. Every scan uses the same seed
    whichever process runs it, so the clusters and p-values do not depend on ``processes``."""
    return detect_many(np.zeros((0, 0)), None, jobs, processes)[1]


# Below this many kabupaten to scan (a regency's own installation scans one) a run stays in the
# caller's process (``waspada detect``, the benchmark): starting processes would cost more than
# it saves.
PARALLEL_FROM = 8

# Series per task of the weekly detectors when they share the scan's processes (about 0.1 s of
# work a task on the national benchmark: small enough to even out the processes' last seconds).
WEEKLY_CHUNK = 256

# One task of detect_many's processes: a kabupaten's scan, or a chunk of weekly series.
_Task = tuple[ScanInput | None, list[np.ndarray]]


def detect_many(
    matrix: np.ndarray, first_week: int | None, jobs: Sequence[ScanInput], processes: int = 1
) -> tuple[list[list[Detection]], list[list[list[Cluster]]]]:
    """``weekly_alarms_many(matrix, first_week)`` and ``scan_many(jobs)`` in one go, the two sharing
    ``processes`` processes when there are more than one (what ``waspada detect`` runs).

    The weekly detectors do not depend on the scan, so their series go to the scan's processes as
    tasks of their own (``WEEKLY_CHUNK`` series each, after the guards in this process): first the
    kabupaten's scans, the largest first, so that no process is left with a long tail of large
    ones while the others wait, then the weekly chunks, small and alike, which keep every process
    busy until the end. The processes are started fresh (``spawn``): they import this module and
    numpy only, never Django or a database connection of the caller's. Each series' detectors
    read only that series, and every scan uses the same seed whichever process runs it, so the
    results are those of one process, in the same order (a test checks it)."""
    y = np.asarray(matrix, dtype=float)
    candidates = _weekly_candidates(y, first_week) if y.ndim == 2 and y.shape[0] else []
    largest_first = sorted(range(len(jobs)), key=lambda i: -_scan_work(jobs[i]))
    tasks: list[_Task] = [(jobs[i], []) for i in largest_first]
    tasks += [
        (None, [series for _row, series in candidates[i : i + WEEKLY_CHUNK]])
        for i in range(0, len(candidates), WEEKLY_CHUNK)
    ]
    if processes <= 1 or len(tasks) < 2:
        done = [_detect_task(task) for task in tasks]
    else:
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(min(processes, len(tasks))) as pool:
            done = pool.map(_detect_task, tasks, chunksize=1)
    clusters: list[list[list[Cluster]]] = [[] for _ in jobs]
    for i, (found, _detections) in zip(largest_first, done[: len(jobs)], strict=True):
        clusters[i] = found
    weekly: list[list[Detection]] = [[] for _ in range(y.shape[0] if y.ndim == 2 else 0)]
    detections = (d for _clusters, per_series in done[len(jobs) :] for d in per_series)
    for (row, _series), found_here in zip(candidates, detections, strict=True):
        weekly[row] = found_here
    return weekly, clusters


def _detect_task(task: _Task) -> tuple[list[list[Cluster]], list[list[Detection]]]:
    """One task of ``detect_many``: a kabupaten's scan, or the weekly detectors on each series."""
    job, series = task
    return (scan_kabupaten(job) if job is not None else []), [weekly_alarms(y) for y in series]


def _scan_work(job: ScanInput) -> int:
    """A rough measure of a kabupaten's scans: villages times reports, over its isu."""
    lat, _lon, per_isu = job
    return len(lat) * sum(len(locations) for locations, _days in per_isu)
