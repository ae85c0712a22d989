"""The nationwide detection run on two years of synthetic reports, and Paser alone.

Synthetic data: for every kecamatan in ../shared/data/regions/kecamatan.csv and each of the 18
isu, 104 weeks of counts with a Gamma-distributed rate (mean 0.15 reports a week, heavy-tailed:
some kecamatan × isu pairs are busy), negative binomial noise (phi 1.5), and an outbreak (+3 to
+8 reports over two weeks) injected in the last weeks of 1 % of the series. Villages
(../shared/data/regions/desa_kelurahan.csv, centroids) receive each kecamatan's reports of the
last 182 days, by day, at random villages, plus one injected village cluster per 20 kabupaten.

Runs exactly what production runs (waspada/detection/engine.py): every weekly detector on every
kecamatan × isu series, then the space-time permutation scan per kabupaten over its villages
(999 replicates with sequential stopping at 50). Prints the time for the country and for Paser.

Usage: python benchmarks/detect_national.py [--seed 1] [--only 64.01]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from waspada.detection.engine import SCAN, scan_clusters, weekly_alarms

REGIONS = Path(__file__).resolve().parents[2] / "shared" / "data" / "regions"
ISU = 18
WEEKS = 104


def load(only: str | None) -> tuple[list[str], dict[str, list[tuple[str, float, float]]]]:
    kecamatan = []
    with (REGIONS / "kecamatan.csv").open() as handle:
        for row in csv.DictReader(handle):
            if only is None or row["kode"].startswith(only + "."):
                kecamatan.append(row["kode"])
    villages: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    wanted = set(kecamatan)
    with (REGIONS / "desa_kelurahan.csv").open() as handle:
        for row in csv.DictReader(handle):
            if row["kode_kecamatan"] in wanted and row["lat"] and row["lng"]:
                villages[row["kode_kecamatan"]].append((row["kode"], float(row["lat"]), float(row["lng"])))
    return kecamatan, villages


def run(only: str | None, seed: int) -> tuple[float, float, int, int, int, int]:
    rng = np.random.default_rng(seed)
    kecamatan, villages = load(only)
    n = len(kecamatan) * ISU
    rates = rng.gamma(0.3, 0.5, n)
    mu = np.repeat(rates[:, None], WEEKS, axis=1)
    counts = rng.negative_binomial(mu / 0.5 + 1e-9, 1 / 1.5).astype(float)
    injected = rng.choice(n, max(1, n // 100), replace=False)
    for i in injected:
        counts[i, -2] += rng.integers(2, 5)
        counts[i, -1] += rng.integers(3, 6)
    began = time.perf_counter()
    signals = 0
    for series in counts:
        signals += len(weekly_alarms(series))
    weekly_time = time.perf_counter() - began
    # Scan per kabupaten: the last 182 days of each kecamatan's reports spread over its villages.
    by_kab: dict[str, list[str]] = defaultdict(list)
    for code in kecamatan:
        by_kab[code.rsplit(".", 1)[0]].append(code)
    position = {code: i for i, code in enumerate(kecamatan)}
    began = time.perf_counter()
    clusters = 0
    kab_count = 0
    for k, (_kab, kecs) in enumerate(sorted(by_kab.items())):
        lat, lon, loc, day = [], [], [], []
        for kec in kecs:
            places = villages.get(kec, [])
            if not places:
                continue
            base = len(lat)
            lat += [p[1] for p in places]
            lon += [p[2] for p in places]
            idx = position[kec]
            total = int(counts[idx * ISU : idx * ISU + ISU, -26:].sum())
            loc += list(base + rng.integers(0, len(places), total))
            day += list(rng.integers(0, SCAN.study_days, total))
        if not lat:
            continue
        if k % 20 == 0:  # an injected cluster: 8 reports in one village over the last 3 days
            loc += [0] * 8
            day += list(SCAN.study_days - 1 - rng.integers(0, 3, 8))
        kab_count += 1
        clusters += len(scan_clusters(lat, lon, loc, day, seed=k))
    scan_time = time.perf_counter() - began
    return weekly_time, scan_time, n, signals, kab_count, clusters


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default=None, help="a kabupaten code, e.g. 64.01; default: both runs")
    args = parser.parse_args()
    runs = [(args.only, args.only)] if args.only else [("Paser (64.01)", "64.01"), ("Indonesia", None)]
    for label, only in runs:
        cpu = time.process_time()
        weekly, scan, n, signals, kabs, clusters = run(only, args.seed)
        cpu = time.process_time() - cpu
        print(
            f"{label}: {n} kecamatan x isu series, weekly detectors {weekly:.1f} s ({signals} alarms); "
            f"scan over {kabs} kabupaten {scan:.1f} s ({clusters} clusters p<{SCAN.alpha}); "
            f"total {weekly + scan:.1f} s wall clock, {cpu:.1f} s CPU (with data generation)",
            flush=True,
        )


if __name__ == "__main__":
    main()
