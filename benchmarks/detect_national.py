"""The nationwide detection run on two years of synthetic reports, and Paser alone.

Synthetic data: for every kecamatan in ../shared/data/regions/kecamatan.csv and each of the 18
isu, 104 weeks of counts with a Gamma-distributed rate (mean 0.15 reports a week, heavy-tailed:
some kecamatan × isu pairs are busy), negative binomial noise (phi 1.5), and an outbreak (+3 to
+8 reports over two weeks) injected in the last weeks of 1 % of the series. Each report of the
last 26 weeks (182 days) gets a day inside its week and a village of its kecamatan
(../shared/data/regions/desa_kelurahan.csv, centroids); one kabupaten in 20 also gets an injected
village cluster (8 reports of one isu in one village over the last 3 days).

Runs what production runs (waspada/detection/engine.py, as waspada/detection/detect.py calls it):

* every weekly detector on every kecamatan × isu series observed from the first of the 104
  weeks on, as an installation with two years of history observes them (``first_week=0``:
  weeks before a series' first report are known zeros; ``engine.weekly_alarms_many``: the
  guards over the whole matrix, then the detectors on the series that can alarm);
* the space-time permutation scan per kabupaten × isu over the kabupaten's villages, only where
  the last 14 days hold at least 3 reports (``engine.recent_cases``), with the villages' scan
  geometry built once per kabupaten (999 replicates, sequential stopping at 50);
* then borrowed strength (``engine.borrowed_alarms_many``, in this process) on the series
  Farrington cannot judge, each kecamatan compared with the other kecamatan of its kabupaten
  (the same isu).

The first two run through ``engine.detect_many`` on one matrix (the kecamatan's series, then the
kabupaten's), as production's ``run_detection`` calls it; ``--jobs 2`` spreads the kabupaten's
scans and the weekly detectors' series over two processes, as production does with
``WASPADA_DETECTION_PROCESSES`` (default 2) when a run covers 8 or more kabupaten.

``--null-weeks`` prints instead, per detector, the share of quiet series-weeks (series without
an injected outbreak, weeks 95…103 each taken as the current week) with an alarm, series
observed from their first report and with known zeros. ``--borrowed`` prints instead borrowed
strength's share, on the same quiet series-weeks, for an installation observing the last 5, 8,
15, 26, 52 weeks (a young installation: every series is young) and all 104 (only the series too
sparse for Farrington are judged), and its share of the injected outbreaks found in week 103.

Usage: python benchmarks/detect_national.py [--seed 1] [--only 64.01] [--jobs 1] [--null-weeks] [--borrowed]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from waspada.detection import grouping
from waspada.detection.detectors.result import Detection
from waspada.detection.detectors.scan import Cluster
from waspada.detection.engine import (
    PARALLEL_FROM,
    SCAN,
    ScanInput,
    borrowed_alarms_many,
    detect_many,
    recent_cases,
    weekly_alarms_many,
)

# The shared data beside the checkout: WASPADA_SHARED when set, else the first folder above the
# checkout holding shared/data/regions (/work/main → /work/shared; a worktree /work/wt/x too).
REGIONS = (
    Path(os.environ["WASPADA_SHARED"]) / "data" / "regions"
    if os.environ.get("WASPADA_SHARED")
    else next(
        (
            p / "shared" / "data" / "regions"
            for p in Path(__file__).resolve().parents[1:]
            if (p / "shared" / "data" / "regions").is_dir()
        ),
        Path(__file__).resolve().parents[2] / "shared" / "data" / "regions",
    )
)
ISU = 18
WEEKS = 104
STUDY_WEEKS = SCAN.study_days // 7


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


# One kabupaten's scan input: village latitudes, longitudes, and per isu (location, day) arrays.
KabupatenCases = tuple[list[float], list[float], list[tuple[np.ndarray, np.ndarray]]]


def synthetic(
    only: str | None, seed: int, scanned: list[tuple[str, list[str], bool]] | None = None
) -> tuple[np.ndarray, list[KabupatenCases], np.ndarray]:
    """The weekly counts, each kabupaten's scan cases, and the rows with an injected outbreak.
    ``scanned``, when given, receives each scanned kabupaten's code and its villages' codes (the
    order of the scan's locations), for the grouping of signals."""
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
    by_kab: dict[str, list[int]] = defaultdict(list)
    for position, code in enumerate(kecamatan):
        by_kab[code.rsplit(".", 1)[0]].append(position)
    kabupaten: list[KabupatenCases] = []
    for k, (_kab, positions) in enumerate(sorted(by_kab.items())):
        lat: list[float] = []
        lon: list[float] = []
        codes: list[str] = []
        per_isu: list[tuple[list[int], list[int]]] = [([], []) for _ in range(ISU)]
        for position in positions:
            places = villages.get(kecamatan[position], [])
            if not places:
                continue
            base = len(lat)
            lat += [p[1] for p in places]
            lon += [p[2] for p in places]
            codes += [p[0] for p in places]
            for isu in range(ISU):
                weekly = counts[position * ISU + isu, -STUDY_WEEKS:].astype(int)
                week = np.repeat(np.arange(STUDY_WEEKS), weekly)
                per_isu[isu][0].extend(base + rng.integers(0, len(places), week.size))
                per_isu[isu][1].extend(week * 7 + rng.integers(0, 7, week.size))
        if not lat:
            continue
        if k % 20 == 0:  # an injected cluster: 8 reports of isu 0 in one village, last 3 days
            per_isu[0][0].extend([0] * 8)
            per_isu[0][1].extend(SCAN.study_days - 1 - rng.integers(0, 3, 8))
        kabupaten.append((lat, lon, [(np.array(loc), np.array(day)) for loc, day in per_isu]))
        if scanned is not None:
            scanned.append((_kab, codes, k % 20 == 0))
    return counts, kabupaten, injected


def scan_inputs(kabupaten: list[KabupatenCases]) -> tuple[list[ScanInput], int]:
    """What production hands to ``engine.detect_many``: per kabupaten, the isu with enough recent cases."""
    inputs: list[ScanInput] = []
    scans = 0
    for lat, lon, per_isu in kabupaten:
        wanted = [(loc, day) for loc, day in per_isu if recent_cases(day) >= SCAN.min_observed]
        if wanted:
            inputs.append((lat, lon, wanted))
            scans += len(wanted)
    return inputs, scans


def groups(only: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Borrowed strength's rows: each series' kecamatan (region) and kabupaten × isu (group)."""
    kecamatan, _villages = load(only)
    kabupaten: dict[str, int] = {}
    region = np.repeat(np.arange(len(kecamatan)), ISU)
    parent = np.array([kabupaten.setdefault(code.rsplit(".", 1)[0], len(kabupaten)) for code in kecamatan])
    group = np.repeat(parent, ISU) * ISU + np.tile(np.arange(ISU), len(kecamatan))
    return region, group


def kabupaten_series(counts: np.ndarray, kecamatan: list[str]) -> tuple[np.ndarray, list[str]]:
    """Each kabupaten's series per isu: the sum of its kecamatan's (as ``series.py`` counts them)."""
    kabs = sorted({code.rsplit(".", 1)[0] for code in kecamatan})
    index = {code: i for i, code in enumerate(kabs)}
    out = np.zeros((len(kabs) * ISU, counts.shape[1]))
    for position, code in enumerate(kecamatan):
        k = index[code.rsplit(".", 1)[0]]
        out[k * ISU : (k + 1) * ISU] += counts[position * ISU : (position + 1) * ISU]
    return out, kabs


def signals_per_outbreak(
    kecamatan: list[str],
    kabs: list[str],
    weekly: list[list[Detection]],
    kab_weekly: list[list[Detection]],
    inputs: list[ScanInput],
    input_places: list[tuple[str, list[str], list[int]]],
    found: list[list[list[Cluster]]],
    injected: np.ndarray,
    clusters_injected: list[tuple[str, int]],
) -> dict[str, float]:
    """Group the run's detections into signals as ``detect.py`` does (``grouping.group``: the
    kecamatan first, then the kabupaten, then the scan's clusters) and count, for each injected
    outbreak with at least one signal, the open signals of its isu that name its place: one of
    their detections is in its kecamatan (the kecamatan, a village of it), or the signal is its
    kabupaten's own (a kabupaten detection that joined another kecamatan's signal does not
    count: that signal names the other kecamatan)."""
    current = date(2026, 1, 5)  # any Monday: the current week
    end = current + timedelta(days=6)
    items: list[grouping.Found] = []
    for rows, codes in ((weekly, kecamatan), (kab_weekly, kabs)):
        for row, detections in enumerate(rows):
            code, isu = codes[row // ISU], str(row % ISU)
            for d in detections:
                items.append(
                    grouping.Found(code, isu, current - timedelta(weeks=d.weeks - 1), end, d.detector)
                )
    for (_kab, villages, isus), clusters_per_isu in zip(input_places, found, strict=True):
        for number, clusters in zip(isus, clusters_per_isu, strict=True):
            for c in clusters:
                items.append(
                    grouping.Found(
                        villages[c.centre], str(number), end - timedelta(days=c.days - 1), end, "scan"
                    )
                )
    events = grouping.group(items)
    outbreaks = [(kecamatan[row // ISU], str(row % ISU)) for row in injected]
    outbreaks += [(village, str(isu)) for village, isu in clusters_injected]
    per_outbreak = []
    for place, isu in outbreaks:
        kecamatan_code, kabupaten_code = ".".join(place.split(".")[:3]), ".".join(place.split(".")[:2])
        touching = 0
        for members in events:
            head = items[members[0]]
            if head.isu != isu:
                continue
            inside = any(items[i].region.startswith(kecamatan_code) for i in members)
            if inside or head.region == kabupaten_code:
                touching += 1
        if touching:
            per_outbreak.append(touching)
    return {
        "detections": len(items),
        "signals": len(events),
        "outbreaks": len(outbreaks),
        "found": len(per_outbreak),
        "per_outbreak": float(np.mean(per_outbreak)) if per_outbreak else 0.0,
        "max_per_outbreak": float(max(per_outbreak, default=0)),
    }


def run(only: str | None, seed: int, jobs: int) -> dict[str, float]:
    scanned: list[tuple[str, list[str], bool]] = []
    counts, kabupaten, injected = synthetic(only, seed, scanned)
    kecamatan, _villages = load(only)
    kab_counts, kabs = kabupaten_series(counts, kecamatan)
    cpu = time.process_time() + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    began = time.perf_counter()
    # One matrix, kecamatan then kabupaten, as production reads them; the weekly detectors and
    # the scans share the processes (engine.detect_many).
    inputs, scans = scan_inputs(kabupaten)
    processes = jobs if len(inputs) >= PARALLEL_FROM else 1  # production's rule (detect.py)
    both, found = detect_many(np.vstack([counts, kab_counts]), 0, inputs, processes=processes)
    weekly, kab_weekly = both[: counts.shape[0]], both[counts.shape[0] :]
    signals = sum(len(found) for found in both)
    together = time.perf_counter() - began
    # borrowed strength judges only young or sparse series (counted among the alarms; not grouped
    # below: on this benchmark's 104 weeks every injected outbreak is Farrington's to find)
    began = time.perf_counter()
    region, group = groups(only)
    signals += len(borrowed_alarms_many(counts, region, group, first_week=0))
    borrowed_time = time.perf_counter() - began
    input_places = [
        (
            kab,
            codes,
            [i for i, (_loc, day) in enumerate(per_isu) if recent_cases(day) >= SCAN.min_observed],
        )
        for (kab, codes, _injected), (_lat, _lon, per_isu) in zip(scanned, kabupaten, strict=True)
    ]
    input_places = [p for p in input_places if p[2]]
    clusters_injected = [(codes[0], 0) for _kab, codes, injected_here in scanned if injected_here]
    grouped = signals_per_outbreak(
        kecamatan, kabs, weekly, kab_weekly, inputs, input_places, found, injected, clusters_injected
    )
    return {
        **grouped,
        "series": counts.shape[0],
        "together": together,
        "borrowed": borrowed_time,
        "alarms": signals,
        "kabupaten": len(kabupaten),
        "scans": scans,
        "clusters": sum(len(clusters) for kab in found for clusters in kab),
        "cpu": time.process_time() + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime - cpu,
    }


def null_alarm_shares(only: str | None, seed: int) -> None:
    """Known zeros against quiet series: the share of series-weeks with an alarm, per detector,
    on the series without an injected outbreak, each of the 9 weeks 95…103 taken as the current
    week in turn, series observed from their first report (before) and from week 0 (now)."""
    counts, _kabupaten, injected = synthetic(only, seed)
    null = np.ones(counts.shape[0], dtype=bool)
    null[injected] = False
    for label, first_week in (("from first report", None), ("known zeros", 0)):
        began = time.perf_counter()
        alarms: dict[str, int] = defaultdict(int)
        for end in range(WEEKS - 9, WEEKS):
            found = weekly_alarms_many(counts[:, :end], first_week)
            for row in np.flatnonzero(null):
                for detection in found[row]:
                    alarms[detection.detector] += 1
        weeks = int(null.sum()) * 9
        shares = ", ".join(f"{name} {count / weeks:.5f}" for name, count in sorted(alarms.items()))
        elapsed = time.perf_counter() - began
        print(f"{label}: {weeks} quiet series-weeks; {shares} ({elapsed:.0f} s)", flush=True)


def borrowed_null_shares(only: str | None, seed: int) -> None:
    """Borrowed strength on quiet series: the share of quiet series-weeks (weeks 95…103 each the
    current week) with a borrowed alarm, for installations observing the last ``known`` weeks."""
    counts, _kabupaten, injected = synthetic(only, seed)
    region, group = groups(only)
    null = np.ones(counts.shape[0], dtype=bool)
    null[injected] = False
    weeks = int(null.sum()) * 9
    for known in (5, 8, 15, 26, 52, WEEKS):
        began = time.perf_counter()
        alarms = 0
        for end in range(WEEKS - 9, WEEKS):
            window = counts[:, max(0, end - known) : end]
            found = borrowed_alarms_many(window, region, group, first_week=0)
            alarms += sum(1 for row in found if null[row])
        outbreak = borrowed_alarms_many(counts[:, max(0, WEEKS - known) :], region, group, first_week=0)
        caught = sum(1 for row in injected if row in outbreak)
        print(
            f"observed {known} weeks: {alarms}/{weeks} quiet series-weeks alarm ({alarms / weeks:.5f}); "
            f"injected outbreaks alarmed in week 103: {caught}/{len(injected)} "
            f"({time.perf_counter() - began:.0f} s, load {os.getloadavg()[0]:.2f})",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default=None, help="a kabupaten code, e.g. 64.01; default: both runs")
    parser.add_argument("--jobs", type=int, default=1, help="processes for the weekly detectors and the scan")
    parser.add_argument(
        "--null-weeks", action="store_true", help="only the alarm shares on quiet series (known zeros or not)"
    )
    parser.add_argument("--borrowed", action="store_true", help="only borrowed strength on quiet series")
    args = parser.parse_args()
    if args.borrowed:
        borrowed_null_shares(args.only, args.seed)
        return
    if args.null_weeks:
        null_alarm_shares(args.only, args.seed)
        return
    runs = [(args.only, args.only)] if args.only else [("Paser (64.01)", "64.01"), ("Indonesia", None)]
    figures = {}
    for label, only in runs:
        load_before = os.getloadavg()[0]
        r = run(only, args.seed, args.jobs)
        total = r["together"] + r["borrowed"]
        figures[label] = total
        print(
            f"{label}: {r['detections']:.0f} detections form {r['signals']:.0f} open signals; "
            f"{r['found']:.0f} of {r['outbreaks']:.0f} injected outbreaks signalled, "
            f"{r['per_outbreak']:.2f} open signals per signalled outbreak (max {r['max_per_outbreak']:.0f})",
            flush=True,
        )
        print(
            f"{label}: {r['series']} kecamatan x isu series and their kabupaten's, "
            f"weekly detectors ({r['alarms']} alarms) and scan of {r['scans']:.0f} kabupaten x isu over "
            f"{r['kabupaten']} kabupaten ({r['clusters']} clusters p<{SCAN.alpha}) {r['together']:.1f} s, "
            f"borrowed strength {r['borrowed']:.1f} s; total "
            f"{total:.1f} s wall clock, {r['cpu']:.1f} s CPU "
            f"(jobs={args.jobs}; data generation not timed); load {load_before:.2f} before, "
            f"{os.getloadavg()[0]:.2f} after",
            flush=True,
        )
    print(" ".join(f"{label.split()[0].lower()}_s={value:.1f}" for label, value in figures.items()))


if __name__ == "__main__":
    main()
