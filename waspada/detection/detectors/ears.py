"""CDC's Early Aberration Reporting System: C1, C2 and C3 (Hutwagner et al. 2003, 2005).

On a series whose last element is the current period:

* **C1-MILD**: baseline = the 7 periods just before the current one; ``C1 = (y − mean) / sd``.
* **C2-MEDIUM**: baseline = 7 periods ending 3 before the current one (a two-period guard band,
  so a rising outbreak does not lift its own baseline); ``C2 = (y − mean) / sd``.
* **C3-ULTRA**: the sum of ``max(0, C2 − 1)`` over the current period and the two before it.

Alarm when C1 or C2 exceeds ``z`` (CDC: 3; production: ``C1_Z`` 5.3, ``C2_Z`` 6.5) or C3 exceeds
its threshold (CDC: 2; production: ``C3_THRESHOLD`` 11.5), production's chosen on the Noufaily
harness for a false-positive rate of at most 0.01. ``sd`` is the
sample standard deviation (n − 1), floored at ``min_sigma`` so that a run of identical counts
(often all zeros in sparse series) does not give a zero denominator and an alarm on any single
report: with the default 0.5, one report after seven empty weeks gives C = 2 and two give C = 4,
no alarm at production's 5.3 (at CDC's 3 the two would alarm); three give C = 6, an alarm. The
threshold is reported on the count scale (``mean + z·sd``).
"""

from __future__ import annotations

import numpy as np

from waspada.detection.detectors.result import Counts, Detection

BASELINE = 7
# CDC's thresholds were z = 3 for C1 and C2 and 2 for C3. Production's are chosen on the Noufaily
# harness (benchmarks/detect_noufaily.py) so that each statistic's pooled false-positive rate,
# with production's three-report floor, stays at or below 0.01 (CDC's gave 0.037, 0.051 and
# 0.122 there: with a seven-week baseline the sample sd is itself noisy, so a z of 3 is passed far
# more often than a normal tail says).
CDC_Z = 3.0
CDC_C3 = 2.0
C1_Z = 5.3
C2_Z = 6.5
C3_THRESHOLD = 11.5


def _stats(window: np.ndarray, min_sigma: float) -> tuple[float, float]:
    return float(window.mean()), max(float(window.std(ddof=1)), min_sigma)


def _c2_at(y: np.ndarray, end: int, min_sigma: float) -> tuple[float, float, float]:
    """C2 for the element at index ``end``: (statistic, mean, sd)."""
    window = y[end - 2 - BASELINE : end - 2]
    mean, sd = _stats(window, min_sigma)
    return (float(y[end]) - mean) / sd, mean, sd


def c1(counts: Counts, *, z: float = C1_Z, min_sigma: float = 0.5) -> Detection:
    y = np.asarray(counts, dtype=float)
    if y.size < BASELINE + 1:
        raise ValueError("C1 needs the current period and the 7 before it")
    mean, sd = _stats(y[-1 - BASELINE : -1], min_sigma)
    stat = (y[-1] - mean) / sd
    return Detection("ears_c1", bool(stat > z), float(y[-1]), mean, mean + z * sd, score=float(stat))


def c2(counts: Counts, *, z: float = C2_Z, min_sigma: float = 0.5) -> Detection:
    y = np.asarray(counts, dtype=float)
    if y.size < BASELINE + 3:
        raise ValueError("C2 needs the current period and the 9 before it")
    stat, mean, sd = _c2_at(y, y.size - 1, min_sigma)
    return Detection("ears_c2", bool(stat > z), float(y[-1]), mean, mean + z * sd, score=stat)


def c3(counts: Counts, *, threshold: float = C3_THRESHOLD, min_sigma: float = 0.5) -> Detection:
    y = np.asarray(counts, dtype=float)
    if y.size < BASELINE + 5:
        raise ValueError("C3 needs the current period and the 11 before it")
    n = y.size
    parts = [_c2_at(y, n - 1 - lag, min_sigma) for lag in range(3)]
    stat = sum(max(0.0, part[0] - 1.0) for part in parts)
    _, mean, sd = parts[0]
    # The count that would bring C3 to its threshold, the two earlier terms held fixed.
    earlier = sum(max(0.0, part[0] - 1.0) for part in parts[1:])
    needed = mean + sd * (1.0 + max(threshold - earlier, 0.0))
    return Detection("ears_c3", bool(stat > threshold), float(y[-1]), mean, needed, score=float(stat))
