"""Triage speed: one report's suggestions (latency) and many reports at once (throughput).

No database is needed: suggestions read the packaged gazetteer and the starting model. Phases:

1. startup: loading the gazetteer of all Indonesia and fitting the starting model (once a process);
2. single: ``suggest_many([text])`` for each of the held-out texts, one at a time; median and
   95th percentile (target: under 200 ms);
3. batch: all held-out texts repeated to 560, in batches of 56 (target: at least 50 reports/s).

Usage: python benchmarks/triage.py
Ends with one line of key=value figures.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("WASPADA_DATA_DIR", tempfile.mkdtemp(prefix="waspada-bench-triage-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waspada.settings")

import django

django.setup()

from waspada.triage.classify import DATA, read_jsonl, starting_model  # noqa: E402
from waspada.triage.gazetteer import gazetteer  # noqa: E402
from waspada.triage.suggest import default_rules, suggest_many  # noqa: E402


def main() -> None:
    texts = [row["text"] for row in read_jsonl(DATA / "heldout.jsonl")]
    load_before = os.getloadavg()
    started = time.perf_counter()
    gazetteer()
    model = starting_model()
    startup = time.perf_counter() - started
    rules = default_rules()
    suggest_many(texts[:2], model=model, rules=rules)  # warm caches
    single = []
    for text in texts:
        t0 = time.perf_counter()
        suggest_many([text], model=model, rules=rules)
        single.append((time.perf_counter() - t0) * 1000)
    many = texts * 10
    t0, cpu0 = time.perf_counter(), time.process_time()
    for start in range(0, len(many), 56):
        suggest_many(many[start : start + 56], model=model, rules=rules)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    median = statistics.median(single)
    p95 = statistics.quantiles(single, n=20)[-1]
    rate = len(many) / elapsed
    print(f"startup (gazetteer + starting model): {startup:.2f} s")
    worst = max(single)
    print(f"single report: median {median:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms (target < 200 ms)")
    print(f"batch: {len(many)} reports in {elapsed:.2f} s = {rate:.0f} reports/s (target >= 50/s)")
    print(f"batch CPU time of this process: {cpu:.2f} s ({len(many) / cpu:.0f} reports per CPU-second)")
    load_after = os.getloadavg()
    print(f"load average (1, 5, 15 min) before {load_before}, after {load_after}")
    print(
        f"startup_s={startup:.2f} single_median_ms={median:.1f} single_p95_ms={p95:.1f} "
        f"batch_per_s={rate:.0f} batch_cpu_s={cpu:.2f} load1={load_after[0]:.2f}"
    )


if __name__ == "__main__":
    main()
