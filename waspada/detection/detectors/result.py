"""The one shape every weekly detector answers with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Detection:
    """What a detector concluded about the current period.

    ``observed``: the count in the current period (or window, for the change-level rule);
    ``expected``: the detector's baseline for it; ``threshold``: the value ``observed`` must exceed
    for an alarm (``alarm`` is ``observed > threshold`` unless the detector says otherwise);
    ``p_value``: the probability of a count at least this large under the baseline model, when
    the detector has a model (None for pure rules); ``score``: the detector's own statistic
    (C1 z-score, CUSUM sum, percentage change …), for display; ``weeks``: how many weeks, ending
    with the current one, ``observed`` counts (the change-level window, the two-week sum, the
    CUSUM run), so a signal covers those weeks and their reports.
    """

    detector: str
    alarm: bool
    observed: float
    expected: float
    threshold: float
    p_value: float | None = None
    score: float | None = None
    note: str = ""
    weeks: int = 1

    @property
    def recurrence_periods(self) -> float | None:
        """How many periods (weeks for weekly detectors) one would wait, on average, to see a
        count this large by chance: 1 / p-value."""
        if self.p_value is None or self.p_value <= 0:
            return None
        return 1.0 / self.p_value


# A count series: a list of numbers or a numpy array, oldest first, the current period last.
Counts = Sequence[float] | np.ndarray
