"""A national run gives the weekly detectors' series to the scan's processes; nothing it finds may change."""

from __future__ import annotations

import numpy as np

from waspada.detection import engine
from waspada.detection.tests.test_scans_over_processes_match_one_process import _kabupaten, _summary


def _series(rows: int, seed: int) -> np.ndarray:
    """Busy and quiet series over 104 weeks, some with an outbreak in the last two weeks."""
    rng = np.random.default_rng(seed)
    rates = rng.gamma(0.6, 2.0, rows)
    counts = rng.poisson(np.repeat(rates[:, None], 104, axis=1)).astype(float)
    counts[::7, -2:] += rng.integers(4, 12, (counts[::7].shape[0], 2))
    counts[::11, :60] = 0  # young series: known zeros before their first report
    return counts


def test_the_weekly_detectors_and_scans_over_two_processes_find_what_one_process_finds() -> None:
    matrix = _series(2 * engine.WEEKLY_CHUNK + 37, seed=3)  # three weekly tasks, the last short
    jobs = [_kabupaten(seed) for seed in range(4)]
    alone = engine.weekly_alarms_many(matrix, 0), engine.scan_many(jobs, processes=1)
    weekly, clusters = engine.detect_many(matrix, 0, jobs, processes=2)
    assert weekly == alone[0]
    assert _summary(clusters) == _summary(alone[1])
    assert sum(len(found) for found in weekly) >= 100  # the outbreaks alarm, in many detectors
    assert sum(len(c) for kab in clusters for c in kab) >= 4


def test_one_process_and_no_scans_give_the_plain_weekly_alarms() -> None:
    matrix = _series(300, seed=4)
    for first_week in (None, 0, 30):
        expected = [engine.weekly_alarms(engine.known_weeks(row, first_week)) for row in matrix]
        assert engine.detect_many(matrix, first_week, [], processes=1) == (expected, [])
        assert engine.detect_many(matrix, first_week, [], processes=2) == (expected, [])
