"""Replay the UCDP events of Indonesia week by week through production's weekly detectors.

Data: ../shared/data/events/ucdp-ged-indonesia.csv (UCDP GED, 1,734 events, 1989-04-20 to
2019-12-17; that folder's README). Each event is one "report" in the week (Monday to Sunday) of
its ``date_start``; events whose date is imprecise are left out (``date_prec`` above
``--max-date-prec``, default 2: the start known to within 2–6 days, so at most one week off;
1 = the exact day). Series: one per province (``adm_1``; "Irian Jaya" is Papua's earlier name)
and one for the whole country (every kept event, including those without a province).

The replay is a new installation: it has no history before the replay's first week, and every
series is observed from that week on (production's known zeros: ``first_week=0``), so a
province's first outbreak is judged against the zero weeks before it. For comparison it also
runs the rule before known zeros (``first_week=None``: a series starts at its first event). For
each week it runs ``engine.weekly_alarms_many`` on the weeks up to it, as the hourly job does on
the week containing today. The scan is not replayed (it needs villages and days, and the events'
places are too coarse).

Printed: for Ambon 1999, Sanggau Ledo 1997 (and its second wave, end of January 1997), Sampit
2001, Santa Cruz 1991, the start of martial law in Aceh 2003 and Puncak Jaya 2013 (a sparse
province), the kept events of the week of
and the week after in their province, and whether the province (and the country) alarmed in
either week, by which detectors, and whether the death rule (a report stating a death is a signal
at once, ``detection/deaths.py``) would have raised a signal in the province; then the share of
alarm weeks in the provinces' quiet years
(a province-year with at most ``--quiet-events`` kept events, the replay's first year and the
target years left out).

Usage: python benchmarks/detect_replay_ucdp.py [--max-date-prec 2] [--quiet-events 4]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from waspada.detection.engine import weekly_alarms_many

# The folder beside the checkout (/work/main → /work/shared; a worktree /work/wt/x → /work/shared).
HERE = Path(__file__).resolve()
EVENTS = next(
    (p / "shared" / "data" / "events" for p in HERE.parents[1:] if (p / "shared").is_dir()),
    HERE.parents[2] / "shared" / "data" / "events",
)
NATIONAL = "Indonesia (nasional)"
RENAMED = {"Irian Jaya": "Papua"}
# (name, province, the day it began)
TARGETS = [
    ("Santa Cruz, Dili 1991", "Timor Timur", date(1991, 11, 12)),
    ("Sanggau Ledo 1997", "Kalimantan Barat", date(1997, 1, 1)),
    # Its second wave (Pahauman, Peniraman, Pontianak), for context: not one of the five.
    ("Kalbar, second wave 1997", "Kalimantan Barat", date(1997, 1, 30)),
    ("Ambon 1999", "Maluku", date(1999, 1, 19)),
    ("Sampit 2001", "Kalimantan Tengah", date(2001, 2, 18)),
    ("Darurat militer Aceh 2003", "Aceh", date(2003, 5, 19)),
    # A sparse province: two events, twelve dead, in a week (issue 24's example).
    ("Puncak Jaya 2013", "Papua", date(2013, 2, 21)),
]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def province(adm_1: str) -> str:
    name = adm_1.removesuffix(" Province").strip()
    return RENAMED.get(name, name)


def load(max_prec: int) -> tuple[list[tuple[date, str]], int]:
    kept, dropped, _deaths = load_with_deaths(max_prec)
    return kept, dropped


def load_with_deaths(max_prec: int) -> tuple[list[tuple[date, str]], int, list[int]]:
    """The kept events (day, province), how many were left out, and each kept event's deaths
    (UCDP's ``best`` estimate)."""
    kept: list[tuple[date, str]] = []
    deaths: list[int] = []
    dropped = 0
    with (EVENTS / "ucdp-ged-indonesia.csv").open() as handle:
        for row in csv.DictReader(handle):
            if int(row["date_prec"]) > max_prec:
                dropped += 1
                continue
            kept.append((date.fromisoformat(row["date_start"][:10]), province(row["adm_1"])))
            deaths.append(int(row["best"] or 0))
    return kept, dropped, deaths


def replay(matrix: np.ndarray, first_week: int | None) -> list[list[set[str]]]:
    """alarms[week][row]: the detectors that alarm for ``row`` in ``week``, the replay seeing
    only the weeks up to it."""
    out: list[list[set[str]]] = []
    for week in range(matrix.shape[1]):
        found = weekly_alarms_many(matrix[:, : week + 1], first_week)
        out.append([{d.detector for d in row} for row in found])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--max-date-prec", type=int, default=2)
    parser.add_argument("--quiet-events", type=int, default=4)
    args = parser.parse_args()
    began = time.perf_counter()
    events, dropped, deaths = load_with_deaths(args.max_date_prec)
    start = monday(min(day for day, _ in events))
    end = monday(max(day for day, _ in events))
    weeks = (end - start).days // 7 + 1
    names = [*sorted({p for _, p in events if p}), NATIONAL]
    row_of = {name: i for i, name in enumerate(names)}
    matrix = np.zeros((len(names), weeks))
    for day, prov in events:
        week = (monday(day) - start).days // 7
        if prov:
            matrix[row_of[prov], week] += 1
        matrix[row_of[NATIONAL], week] += 1
    print(
        f"UCDP GED Indonesia: {len(events)} events kept (date_prec <= {args.max_date_prec}), {dropped} left "
        f"out; {weeks} weeks from {start} to {end}; {len(names) - 1} provinces + the country"
    )
    runs = {"known zeros": replay(matrix, 0), "from first report": replay(matrix, None)}

    def week_of(day: date) -> int:
        return (monday(day) - start).days // 7

    print("\nTargets: alarm in the week of or the week after, in the province and in the country")
    target_years: dict[str, set[int]] = defaultdict(set)
    for name, prov, day in TARGETS:
        target_years[prov].add(day.year)
        w = week_of(day)
        row = row_of[prov]
        print(
            f"{name} ({prov}, week of {monday(day)}): {int(matrix[row, w])} + {int(matrix[row, w + 1])} "
            f"kept events in the province, {int(matrix[row_of[NATIONAL], w])} + "
            f"{int(matrix[row_of[NATIONAL], w + 1])} in the country"
        )
        # The death rule (detection/deaths.py) is not a weekly count: a report stating a death is a
        # signal at once, whatever the series. UCDP records only events with at least one death.
        fatal = [
            n
            for (d, p), n in zip(events, deaths, strict=True)
            if p == prov and week_of(d) in (w, w + 1) and n >= 1
        ]
        print(
            f"  {'death rule':<18} province: "
            + (f"YES ({len(fatal)} event(s) stating {sum(fatal)} deaths)" if fatal else "no")
        )
        for label, alarms in runs.items():
            prov_hit = sorted(alarms[w][row] | alarms[w + 1][row])
            nat_hit = sorted(alarms[w][row_of[NATIONAL]] | alarms[w + 1][row_of[NATIONAL]])
            print(
                f"  {label:<18} province: {'YES (' + ', '.join(prov_hit) + ')' if prov_hit else 'no'}; "
                f"country: {'yes (' + ', '.join(nat_hit) + ')' if nat_hit else 'no'}"
            )

    # Quiet years: province-years with few kept events, not the replay's first year, not a target's.
    years = np.array([(start + timedelta(weeks=w)).year for w in range(weeks)])
    print(
        f"\nQuiet years (a province-year with <= {args.quiet_events} kept events; "
        "the first year and the targets' left out):"
    )
    for label, alarms in runs.items():
        quiet_weeks = alarm_weeks = 0
        province_years = 0
        for prov in names[:-1]:
            row = row_of[prov]
            for year in sorted(set(years.tolist()))[1:]:
                in_year = np.flatnonzero(years == year)
                if year in target_years[prov] or matrix[row, in_year].sum() > args.quiet_events:
                    continue
                province_years += 1
                quiet_weeks += in_year.size
                alarm_weeks += sum(1 for w in in_year if alarms[w][row])
        share = alarm_weeks / quiet_weeks if quiet_weeks else 0.0
        print(
            f"  {label:<18} {province_years} province-years, {quiet_weeks} weeks, {alarm_weeks} alarm weeks: "
            f"share {share:.4f}"
        )
        busy = [sum(1 for w in range(weeks) if alarms[w][row_of[prov]]) / weeks for prov in names[:-1]]
        print(f"  {'':<18} alarm weeks over all weeks, mean over provinces: {np.mean(busy):.4f}")
    print(
        f"\nelapsed {time.perf_counter() - began:.1f} s, load {os.getloadavg()[0]:.2f} "
        f"(replay of {weeks} weeks x {len(names)} series, twice)"
    )


if __name__ == "__main__":
    main()
