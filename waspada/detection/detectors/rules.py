"""ACLED's transparent rules: the subnational surge and the change level.

Following ACLED's Early Warning hub (acleddata.com/early-warning-research-hub/):

* **Surge** (Subnational Surge Tracker): the most recent week has at least 100 % more events than
  the average week of the past month (the four weeks before it). ACLED shows it only where the
  four-week average is at least one event, so that a single event where nothing usually
  happens does not count as an infinite increase: ``min_baseline`` = 1.
* **Change level** (Threat Tracker / Change Level map): the weekly average of the last four weeks
  against the weekly average of the 52 weeks before them. Categories as on ACLED's map: large
  increase above +25 %, moderate increase +10 % to +25 %, limited change −25 % to +10 %, large
  decrease below −25 %; a series averaging two events a week or fewer over the previous year
  and with five or fewer in the recent window is "limited change" whatever its percentage
  (ACLED's low-baseline rule). An alarm is raised for "large increase".

A p-value is added for explanation only (the rules themselves do not use it): the Poisson tail
probability of the observed count given the baseline mean.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np

from waspada.detection.detectors.result import Counts, Detection
from waspada.detection.detectors.tails import poisson_sf

# ACLED's own thresholds: a surge is +100 % (ratio 2); a "large increase" is above +25 %.
ACLED_SURGE_RATIO = 2.0
ACLED_LARGE_INCREASE = 0.25
# Production alarm thresholds, chosen on the Noufaily harness (benchmarks/detect_noufaily.py) so
# that the pooled false-positive rate of the rule, with production's three-report floor, stays at
# or below 0.01 (ACLED's thresholds gave 0.066 and 0.168): an alarm needs the current week at
# 4.5 times the mean of the four before it (+350 %), or the last four weeks' mean above 3.25
# times the previous year's (+225 %). The change level's categories stay ACLED's.
SURGE_RATIO = 4.5
CHANGE_ALARM = 2.25


class ChangeLevel(StrEnum):
    LARGE_INCREASE = "large_increase"
    MODERATE_INCREASE = "moderate_increase"
    LIMITED_CHANGE = "limited_change"
    LARGE_DECREASE = "large_decrease"


def _poisson_tail(observed: float, mean: float) -> float | None:
    if mean <= 0:
        return None
    return poisson_sf(observed - 1, mean)


def surge(counts: Counts, *, ratio: float = SURGE_RATIO, min_baseline: float = 1.0) -> Detection:
    """Surge rule on a weekly series whose last element is the current week.

    Alarm when ``current >= ratio × mean(previous 4 weeks)`` (ACLED's ratio 2 = "an increase of
    100 % or more"; production's ``SURGE_RATIO`` 4.5) and that mean is at least
    ``min_baseline``. Needs five weeks of data.
    """
    y = np.asarray(counts, dtype=float)
    if y.size < 5:
        raise ValueError("surge needs the current week and the four before it")
    current = float(y[-1])
    baseline = float(y[-5:-1].mean())
    threshold = ratio * baseline
    alarm = baseline >= min_baseline and current >= threshold
    change = (current - baseline) / baseline if baseline > 0 else None
    return Detection(
        detector="surge",
        alarm=bool(alarm),
        observed=current,
        expected=baseline,
        threshold=threshold,
        p_value=_poisson_tail(current, baseline),
        score=change,
    )


def change_level(
    counts: Counts,
    *,
    recent_weeks: int = 4,
    history_weeks: int = 52,
    large: float = ACLED_LARGE_INCREASE,
    moderate: float = 0.10,
    low_mean: float = 2.0,
    low_recent_total: float = 5.0,
    alarm_above: float = CHANGE_ALARM,
) -> tuple[ChangeLevel, Detection]:
    """Change level of the last ``recent_weeks`` against the ``history_weeks`` before them.

    ``observed`` and ``expected`` are totals over the recent window (expected = history weekly
    mean × recent_weeks); ``score`` is the relative change of the weekly averages. The level
    is ACLED's category; the detection alarms on a large increase whose change is above
    ``alarm_above`` (production: +225 %; ACLED's map marks every large increase, above +25 %).
    """
    y = np.asarray(counts, dtype=float)
    if y.size < recent_weeks + history_weeks:
        raise ValueError(f"change_level needs {recent_weeks + history_weeks} weeks of data")
    recent = y[-recent_weeks:]
    history = y[-(recent_weeks + history_weeks) : -recent_weeks]
    recent_mean = float(recent.mean())
    history_mean = float(history.mean())
    observed = float(recent.sum())
    expected = history_mean * recent_weeks
    if history_mean > 0:
        change = (recent_mean - history_mean) / history_mean
    else:
        change = float("inf") if recent_mean > 0 else 0.0
    if history_mean <= low_mean and observed <= low_recent_total:
        level = ChangeLevel.LIMITED_CHANGE
    elif change > large:
        level = ChangeLevel.LARGE_INCREASE
    elif change > moderate:
        level = ChangeLevel.MODERATE_INCREASE
    elif change >= -large:
        level = ChangeLevel.LIMITED_CHANGE
    else:
        level = ChangeLevel.LARGE_DECREASE
    detection = Detection(
        detector="change_level",
        alarm=level == ChangeLevel.LARGE_INCREASE and change > alarm_above,
        observed=observed,
        expected=expected,
        threshold=expected * (1 + max(large, alarm_above)),
        p_value=_poisson_tail(observed, expected),
        score=change,
        note=level.value,
        weeks=recent_weeks,
    )
    return level, detection
