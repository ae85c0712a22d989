"""Runs every weekly detector over one count series, and the scan over one kabupaten: no database.

``waspada detect``, the worker's periodic job and ``benchmarks/detect_national.py`` all call
these two functions, so the benchmark measures what production runs.

Cheap guards skip work that cannot produce an alarm (documented per detector):

* a series with no report in its last ``QUIET_WEEKS`` weeks cannot alarm in any detector (each
  needs a count in the current week or a CUSUM run, which decays to 0 within 12 weeks of zeros);
* Farrington flexible is fitted only when the last 4 weeks hold at least 5 reports (below that
  its ``limit54`` rule forbids an alarm, so the fit would be wasted);
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
from waspada.detection.detectors.farrington import NOUFAILY, farrington_flexible
from waspada.detection.detectors.result import Detection
from waspada.detection.detectors.scan import Cluster, space_time_permutation_scan

QUIET_WEEKS = 12
MIN_OBSERVED = 3
WEEKLY_DETECTORS = ("surge", "change_level", "ears_c1", "ears_c2", "ears_c3", "farrington", "nb_cusum")


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
        if y[-NOUFAILY.limit_weeks :].sum() >= NOUFAILY.limit_cases:
            farr = farrington_flexible(y)
            if farr is not None:
                found.append(farr)
    if y.size >= 56 and y[-4:].sum() >= MIN_OBSERVED:
        found.append(rules.change_level(y)[1])
    cusum = nb_cusum(y)
    if cusum is not None:
        found.append(cusum)
    return [d for d in found if d.alarm and d.observed >= MIN_OBSERVED]


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


def scan_clusters(
    lat: Sequence[float],
    lon: Sequence[float],
    case_location: Sequence[int],
    case_day: Sequence[int],
    settings: ScanSettings = SCAN,
    seed: int | None = 12345,
) -> list[Cluster]:
    """Significant clusters (p < alpha) ending today among one kabupaten's villages."""
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
    )
    return [c for c in clusters if c.p_value < settings.alpha and c.observed >= settings.min_observed]
