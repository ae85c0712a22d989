"""Kulldorff's prospective space-time permutation scan on SaTScan's New York City fever sample.

Data and settings from ../shared/benchmarks/satscan-nycfever/ (NYCSpaceTimePermutation.prm):
study period 2001-11-01 to 2001-11-24, daily; prospective (clusters end on 2001-11-24); model
space-time permutation; circles up to 3 km (UseDistanceFromCenterOption) and at most 50 % of the
cases; 1 to 7 days; 999 Monte Carlo replicates. Prints the most likely cluster and secondary
clusters with centre, radius, days, observed, expected, p-value and recurrence interval.

Usage: python benchmarks/detect_satscan_nyc.py [--replicates 999] [--seed 12345]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from waspada.detection.detectors.scan import space_time_permutation_scan

# The folder beside the checkout (/work/main → /work/shared; a worktree /work/wt/x → /work/shared).
FOLDER = next(
    (
        p / "shared" / "benchmarks" / "satscan-nycfever"
        for p in Path(__file__).resolve().parents[1:]
        if (p / "shared" / "benchmarks" / "satscan-nycfever").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "satscan-nycfever",
)


def parameters() -> dict[str, str]:
    values = {}
    for line in (FOLDER / "NYCSpaceTimePermutation.prm").read_text().splitlines():
        if "=" in line and not line.startswith(";"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def parse_date(text: str) -> date:
    y, m, d = (int(part) for part in text.split("/"))
    return date(y, m, d)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--replicates", type=int, default=None)
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args()
    prm = parameters()
    start, end = parse_date(prm["StartDate"]), parse_date(prm["EndDate"])
    replicates = args.replicates or int(prm.get("MonteCarloReps", "999"))
    zips, lat, lon = [], [], []
    for line in (FOLDER / prm["CoordinatesFile"]).read_text().split("\n"):
        if line.strip():
            z, la, lo = line.split()
            zips.append(z)
            lat.append(float(la))
            lon.append(float(lo))
    index = {z: i for i, z in enumerate(zips)}
    loc, day = [], []
    for line in (FOLDER / prm["CaseFile"]).read_text().split("\n"):
        if line.strip():
            z, n, when = line.split()
            for _ in range(int(n)):
                loc.append(index[z])
                day.append((parse_date(when) - start).days)
    n_days = (end - start).days + 1
    began = time.perf_counter()
    clusters = space_time_permutation_scan(
        lat,
        lon,
        loc,
        day,
        n_days=n_days,
        max_radius_km=float(prm["MaxSpatialSizeInDistanceFromCenter"]),
        max_fraction=float(prm["MaxSpatialSizeInPopulationAtRisk"]) / 100,
        max_days=int(prm["MaxTemporalSize"]),
        min_days=int(prm["MinimumTemporalClusterSize"]),
        replicates=replicates,
        seed=args.seed,
    )
    elapsed = time.perf_counter() - began
    print(f"NYC fever: {len(loc)} cases, {len(zips)} zip codes, {n_days} days ({start} to {end})")
    print(
        f"settings: radius <= {prm['MaxSpatialSizeInDistanceFromCenter']} km, <= "
        f"{prm['MaxSpatialSizeInPopulationAtRisk']} % of cases, 1-{prm['MaxTemporalSize']} days, "
        f"{replicates} replicates"
    )
    for rank, c in enumerate(clusters[:4]):
        label = "most likely cluster" if rank == 0 else f"secondary cluster {rank}"
        first_day = end.toordinal() - c.days + 1
        print(
            f"{label}: centre {zips[c.centre]} ({lat[c.centre]}, {lon[c.centre]}), "
            f"radius {c.radius_km:.2f} km, "
            f"zips {', '.join(zips[i] for i in c.locations)}; days {date.fromordinal(first_day)} to {end} "
            f"({c.days} d); observed {c.observed}, expected {c.expected:.2f}, "
            f"ratio {c.relative_risk:.2f}, LLR {c.llr:.4f}, p = {c.p_value:.3f}, "
            f"recurrence interval {c.recurrence_days:.0f} days"
        )
    print(f"elapsed {elapsed:.1f} s")


if __name__ == "__main__":
    main()
