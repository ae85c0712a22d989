"""A run over many kabupaten spreads the scans over processes; what it finds must not change."""

from __future__ import annotations

import numpy as np

from waspada.detection import engine


def _kabupaten(seed: int) -> engine.ScanInput:
    rng = np.random.default_rng(seed)
    lat = list(-1.9 + rng.uniform(0, 0.4, 40))
    lon = list(116.0 + rng.uniform(0, 0.4, 40))
    per_isu = []
    for isu in range(3):
        locations = list(rng.integers(0, 40, 30))
        days = list(rng.integers(0, engine.SCAN.study_days, 30))
        if isu == 0:  # an outbreak: eight reports in one village in the last three days
            locations += [seed % 40] * 8
            days += [engine.SCAN.study_days - 1 - int(d) for d in rng.integers(0, 3, 8)]
        per_isu.append((locations, days))
    return lat, lon, per_isu


def _summary(found: list[list[list[engine.Cluster]]]) -> list:
    return [
        [[(c.centre, c.days, c.observed, round(c.llr, 9), c.p_value) for c in clusters] for clusters in kab]
        for kab in found
    ]


def test_two_processes_find_the_same_clusters_in_the_same_order_as_one() -> None:
    jobs = [_kabupaten(seed) for seed in range(4)]
    alone = engine.scan_many(jobs, processes=1)
    spread = engine.scan_many(jobs, processes=2)
    assert _summary(spread) == _summary(alone)
    assert sum(len(clusters) for kab in alone for clusters in kab) >= 4  # every injected outbreak found
