"""The fast paths (batched scan replicates, vectorised weekly guards) change speed, never results."""

from __future__ import annotations

import numpy as np
import pytest

from waspada.detection import engine
from waspada.detection.detectors.scan import ScanGeometry, space_time_permutation_scan


def _case(seed: int, villages: int = 40, cases: int = 60, days: int = 60):
    rng = np.random.default_rng(seed)
    lat = -1.9 + rng.uniform(-0.1, 0.1, villages)
    lon = 116.1 + rng.uniform(-0.1, 0.1, villages)
    loc = list(rng.integers(0, villages, cases))
    day = list(rng.integers(0, days, cases))
    # A bunch of reports in three neighbouring villages over the last days.
    loc += [0, 0, 1, 1, 2, 0]
    day += [days - 1, days - 1, days - 2, days - 1, days - 3, days - 2]
    return lat, lon, loc, day


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("stop_after", [None, 5])
def test_the_batched_scan_finds_the_same_clusters_and_p_values_as_the_reference_loop(
    seed: int, stop_after: int | None
) -> None:
    lat, lon, loc, day = _case(seed)
    settings = {
        "n_days": 60,
        "max_radius_km": 5.0,
        "max_days": 7,
        "replicates": 199,
        "stop_after": stop_after,
        "secondary": 3,
        "seed": seed,
    }
    reference = space_time_permutation_scan(lat, lon, loc, day, fast=False, **settings)
    geometry = ScanGeometry(lat, lon, 5.0)
    fast = space_time_permutation_scan(lat, lon, loc, day, geometry=geometry, **settings)
    assert reference, "the injected bunch should give at least one cylinder"
    assert fast == reference


def test_the_bunch_is_significant_and_stops_early_the_same_way() -> None:
    lat, lon, loc, day = _case(7)
    loc += [0] * 8
    day += [59] * 8
    kwargs = {"n_days": 60, "max_radius_km": 5.0, "max_days": 7, "replicates": 999, "stop_after": 3}
    reference = space_time_permutation_scan(lat, lon, loc, day, fast=False, **kwargs)
    fast = space_time_permutation_scan(lat, lon, loc, day, **kwargs)
    assert fast == reference
    assert fast[0].p_value < 0.01 and 0 in fast[0].locations


def test_scan_clusters_with_a_shared_geometry_equals_without() -> None:
    lat, lon, loc, day = _case(4, cases=80, days=182)
    loc += [3] * 6
    day += [181] * 6
    geometry = ScanGeometry(lat, lon, engine.SCAN.max_radius_km)
    assert engine.scan_clusters(lat, lon, loc, day, geometry=geometry) == engine.scan_clusters(
        lat, lon, loc, day
    )


def test_weekly_alarms_over_a_matrix_equal_the_series_by_series_loop() -> None:
    rng = np.random.default_rng(11)
    rates = rng.gamma(0.4, 1.5, 600)
    matrix = rng.negative_binomial(rates[:, None] / 0.5 + 1e-9, 1 / 1.5, size=(600, 120)).astype(float)
    matrix[:40, -2:] += rng.integers(3, 9, size=(40, 2))  # outbreaks
    matrix[40:60, :50] = 0  # series that start late
    # Sustained rises that fade: a quiet current week and < 3 reports in the last 4 weeks, so
    # only the CUSUM bound keeps some of them (the CUSUM still alarms on a few).
    quiet = rng.poisson(0.05, size=(600, 120)).astype(float)
    quiet[:, 0] = 1
    quiet[:, -11:-4] += rng.poisson(1.0, size=(600, 7))
    quiet[:, -4:] = rng.poisson(0.4, size=(600, 4))
    quiet = quiet[(quiet[:, -1] < 3) & (quiet[:, -4:].sum(axis=1) < 3)]
    matrix = np.vstack([matrix, quiet])
    expected = [engine.weekly_alarms(engine.known_weeks(row)) for row in matrix]
    assert sum(len(found) for found in expected) >= 30, "the case must contain alarms to compare"
    assert {d.detector for found in expected for d in found} >= {
        "surge",
        "nb_cusum",
        "farrington",
        "farrington2w",
    }
    cusum_only = [found for found in expected[600:] if found]
    assert cusum_only and all(d.detector == "nb_cusum" for found in cusum_only for d in found)
    assert engine.weekly_alarms_many(matrix) == expected
