"""Situation picture speed: the dashboard and a filtered report list over many synthetic reports.

Builds a fresh database (a temporary PostgreSQL database beside the one DATABASE_URL names, dropped
at the end; or a temporary SQLite file without DATABASE_URL), loads every Indonesian region from
the bundled code list, Paser's forums and personas, then generates ``--reports`` synthetic reports
spread over all of Indonesia's villages (``--paser-share`` of them in Kabupaten Paser, the home
region, and ``--province-share`` more in Kalimantan Timur's nine other regencies), a tenth of the
recent verified ones in Paser and in the rest of the province made into incidents, with reporting
times over the last two years (benchmarks/synthetic.py says how). Then the default forums of
``--regencies`` regencies (``10``: Kalimantan Timur's; ``all``: every kabupaten/kota of Indonesia,
514, through ``forums.defaults.ensure_default_forums``, about 12,400 forums, 5.5 minutes) and the
province's own forums, and the province analyst persona (TKD-64).

Then it asks, in process through Django's test client (so the figures are the application and
database time, without a network hop), ``--rounds`` times each:

  dashboard_cold   GET /situasi/ with the cache emptied before each request (counted afresh)
  dashboard_kept   GET /situasi/ again with no change in between (the counts kept until one)
  list_filtered    GET /situasi/laporan/?isu=agraria_korporasi&region=64.01.06
  list_search      GET /situasi/laporan/?q=hauling+warga
  list_page_50     the 50th keyset page of the unfiltered list

as five viewers, interleaved (each round asks every viewer once, in a rotated order, so the
shared machine's load falls on all alike): a superuser (sees every report, no permission
filter); the Kesbangpol (Paser) analyst and the province analyst (the permission check on every
query); and a superuser asking with ``region=64.01`` and ``region=64`` added, which returns the
same rows as each analyst without the check. It prints p50 and p95 in milliseconds, and for each
analyst the ratio to their superuser twin: p50, p95 and the median of the per-round ratios (the
cost of the check, issue 18: under 10 %). The target of issue 6 is p95 < 300 ms with one million
reports on PostgreSQL.

Then the command-room wall (``/situasi/layar/``) as its screen asks it, through a display token
for Paser (``wall_6401``) and for the province (``wall_64``): ``wall_cold`` with the cache
emptied before each request, ``wall_kept`` with no change in between.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/waspada_bench \
       python benchmarks/dashboard.py --reports 1000000
   or, generating once and measuring again on the kept database (and data directory):
       BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/waspada_bench_wt6 \
       python benchmarks/dashboard.py --keep --reports 1000000
   then again with the province's forums, or every regency's:
       ... python benchmarks/dashboard.py --keep --regencies 10   (or --regencies all)
``--queries`` prints the slowest SQL of one request per viewer and route, with the full text in
$TMPDIR/dashboard-<viewer>-<route>.sql (for EXPLAIN ANALYZE in psql).
Ends with one line of key=value figures.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import synthetic  # benchmarks/synthetic.py
from common import fresh_database  # benchmarks/common.py

DEFAULT_KEPT = "postgres://postgres@127.0.0.1:5432/waspada_bench"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(
    count: int, paser_share: float, history_days: int, province_share: float = 0.0
) -> dict[str, float]:
    """Insert ``count`` reports (benchmarks/synthetic.py) and incidents in Paser and in the rest of
    its province; returns timings."""
    from django.db import connection
    from django.utils import timezone

    from waspada.people.models import Person
    from waspada.reports.models import Incident, Report

    reporter = Person.objects.get(username="reporter.lombok")
    analyst = Person.objects.get(username="analis.kesbangpol")
    now = timezone.now()
    generated = synthetic.insert(
        count, "64.01", paser_share, reporter.pk, history_days, province_share=province_share
    )
    # A tenth of the verified reports of the last 30 days become incidents, one each: Paser's as
    # before, and as many again in the province's other regencies when they hold a share.
    recent = Report.objects.filter(status="terverifikasi", reported_at__gte=now - timedelta(days=30))
    areas = [recent.filter(region__code__startswith="64.01.")]
    if province_share:
        areas.append(recent.filter(region__code__startswith="64.").exclude(region__code__startswith="64.01."))
    incidents = 0
    for area in areas:
        chosen = list(
            area.values_list("pk", "region_id", "isu", "alert_level", "occurred_at")[: max(1, count // 200)]
        )
        for pk, region, isu, level, occurred in chosen[::10]:
            incident = Incident.objects.create(
                reference=f"INS-BENCH-{pk}",
                title=f"Insiden {pk}",
                region_id=region,
                isu=isu,
                alert_level=level,
                occurred_at=occurred,
                created_by=analyst,
            )
            Report.objects.filter(pk=pk).update(incident=incident, verified_by=analyst, verified_at=now)
            incidents += 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"generate_s": generated, "incidents": incidents}


@dataclass
class Viewer:
    """One person asking, with the region filter (``region``) a superuser adds to see the same
    rows as an analyst without the permission check."""

    label: str
    person: Any
    region: str
    client: Any = None
    page_50: str = ""

    def with_region(self, path: str) -> str:
        if not self.region:
            return path
        return path + ("&" if "?" in path else "?") + f"region={self.region}"


def walk_to_page(client: Any, first: str, number: int) -> str:
    """The path of page ``number`` of a keyset-paged list (or of the last page, if fewer)."""
    path = first
    for _ in range(number - 1):
        found = re.search(rb'after=([0-9.]+)" rel="next"', client.get(path).content)
        if not found:
            break
        path = first + ("&" if "?" in first else "?") + f"after={found.group(1).decode()}"
    return path


def percentiles(times: list[float]) -> tuple[float, float]:
    """p50 and p95 (the nearest rank) of ``times``."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]


def measure_interleaved(
    viewers: list[Viewer], path_of: Any, rounds: int, cold: bool = False
) -> dict[str, tuple[list[float], float]]:
    """Wall times (ms, in round order) of ``rounds`` requests per viewer, and the mean CPU time
    (ms) of this process per request. Each round asks every viewer once, in an order rotated
    round by round, so a burst of load on the shared machine falls on all of them alike.

    ``cold``: the cache is emptied before each request, so the dashboard counts every time (as
    after any change: a kept answer lasts until the next audit entry)."""
    from django.core.cache import cache

    times: dict[str, list[float]] = {v.label: [] for v in viewers}
    cpu: dict[str, float] = {v.label: 0.0 for v in viewers}
    for number in range(rounds):
        shift = number % len(viewers)
        for viewer in viewers[shift:] + viewers[:shift]:
            path = path_of(viewer)
            if cold:
                cache.clear()
            cpu_started = time.process_time()
            started = time.perf_counter()
            response = viewer.client.get(path)
            times[viewer.label].append((time.perf_counter() - started) * 1000)
            cpu[viewer.label] += (time.process_time() - cpu_started) * 1000
            assert response.status_code == 200, (viewer.label, path, response.status_code)
    return {label: (times[label], cpu[label] / rounds) for label in times}


def print_profile(viewer: Viewer, route: str, path: str, cold: bool, requests: int = 20) -> None:
    """cProfile (CPU time) of ``requests`` requests: the project's own functions by cumulative time (the
    first 25 printed; every one in a file, and the raw statistics beside it for pstats' callers and
    callees), to see where one viewer's Python time goes."""
    import cProfile
    import io
    import pstats

    from django.core.cache import cache

    profiler = cProfile.Profile(time.process_time)  # CPU time: what the queries wait for is not counted
    for _number in range(requests):
        if cold:
            cache.clear()
        profiler.enable()
        viewer.client.get(path)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats("waspada/")
    target = Path(tempfile.gettempdir()) / f"dashboard-{viewer.label}-{route}.prof.txt"
    target.write_text(out.getvalue())
    profiler.dump_stats(target.with_suffix(".pstats"))  # for pstats' callers and callees
    lines = [line for line in out.getvalue().splitlines() if "waspada/" in line]
    print(f"  {viewer.label} {route}: {requests} requests profiled, all in {target}")
    for line in lines[:25]:
        print("    " + line)


def print_queries(viewer: Viewer, route: str, path: str, cold: bool) -> None:
    """The five slowest SQL queries of one request; every query, slowest first, in a file for EXPLAIN."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        viewer.client.get(path)
    every = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    slowest = every[:5]
    target = Path(tempfile.gettempdir()) / f"dashboard-{viewer.label}-{route}.sql"
    target.write_text("".join(f"-- {float(q['time']) * 1000:.1f} ms\n{q['sql']};\n\n" for q in every))
    print(f"  {viewer.label} {route}: {len(captured.captured_queries)} queries, slowest in {target}")
    for query in slowest:
        print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}", flush=True)


@contextmanager
def kept_database(url: str) -> Iterator[str]:
    """The database ``url`` names, created if missing and kept afterwards (``--keep``)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    # kept too: it holds the key the stored second-factor secrets are encrypted with
    data_dir = Path(tempfile.gettempdir()) / f"waspada-bench-{name}"
    data_dir.mkdir(exist_ok=True)
    os.environ["WASPADA_DATA_DIR"] = str(data_dir)
    yield "postgresql"


def ensure_forums(which: str) -> tuple[int, int]:
    """The default forums of ``which`` regencies (a number: Paser, then Kalimantan Timur's other
    regencies, then the rest of Indonesia in code order; or "all") and the province's own forums,
    each through ``forums.defaults`` (idempotent: forums already there are kept). Returns the
    number of regencies with a TKD and of forums in the database."""
    from waspada.forums.defaults import ensure_default_forums, ensure_province_forums
    from waspada.forums.models import Forum, ForumKind
    from waspada.regions.models import Level, Region

    regencies = list(Region.objects.filter(level=Level.KABUPATEN).order_by("code"))
    if which != "all":
        regencies.sort(key=lambda r: (r.code != "64.01", not r.code.startswith("64."), r.code))
        regencies = regencies[: int(which)]
    for regency in regencies:
        ensure_default_forums(regency=regency)
    ensure_province_forums(province=Region.objects.get(code="64"))
    tkd_regencies = Forum.objects.filter(kind=ForumKind.TKD, level="kabupaten").count()
    return tkd_regencies, Forum.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--paser-share", type=float, default=0.1)
    parser.add_argument(
        "--province-share",
        type=float,
        default=0.15,
        help="share of reports in Kalimantan Timur's regencies other than Paser (on top of --paser-share)",
    )
    parser.add_argument(
        "--regencies",
        default="1",
        help="create the default forums of this many regencies (Kalimantan Timur's first, Paser "
        "always) and the province's forums; 'all' for every kabupaten/kota of Indonesia",
    )
    parser.add_argument("--generate-only", action="store_true", help="stop after generating and setting up")
    parser.add_argument("--history-days", type=int, default=730)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="use (and keep) the database BENCH_DATABASE_URL names; generate only if it holds no reports",
    )
    parser.add_argument(
        "--profile", action="store_true", help="print where each viewer's Python time goes (cProfile)"
    )
    parser.add_argument("--queries", action="store_true", help="print each SQL query's time of one request")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated routes to measure (e.g. dashboard_cold,wall_cold); all when empty",
    )
    args = parser.parse_args()
    figures: dict[str, str] = {"reports": str(args.reports)}
    if args.keep:
        database = kept_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_KEPT))
    else:
        database = fresh_database("dashboard")
    with database as kind:
        figures["database"] = kind
        os.environ["DJANGO_SETTINGS_MODULE"] = "waspada.settings"
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from waspada.forums.defaults import ensure_default_forums
        from waspada.people.models import Person
        from waspada.regions.importers import load_bundled_regions
        from waspada.regions.models import Region
        from waspada.reports.models import Report
        from waspada.testing.personas import ensure_all_personas, ensure_persona
        from waspada.testing.two_factor import logins_complete_the_second_factor

        call_command("migrate", interactive=False, verbosity=0)
        existing = Report.objects.count() if args.keep else 0
        if existing:
            print(f"{kind}: reusing {existing} reports already in the kept database", flush=True)
            figures["reports"] = str(existing)
            personas = ensure_all_personas(regency=Region.objects.get(code="64.01"))
        else:
            started = time.perf_counter()
            load_bundled_regions(None)
            figures["regions_s"] = f"{time.perf_counter() - started:.1f}"
            regency = Region.objects.get(code="64.01")
            ensure_default_forums(regency=regency)
            personas = ensure_all_personas(regency=regency)
            load_before = os.getloadavg()[0]
            timings = generate(args.reports, args.paser_share, args.history_days, args.province_share)
            figures["generate_s"] = f"{timings['generate_s']:.1f}"
            figures["generate_load"] = f"{load_before:.1f}-{os.getloadavg()[0]:.1f}"
            figures["incidents"] = str(int(timings["incidents"]))
            print(f"{kind}: {args.reports} reports generated in {figures['generate_s']} s", flush=True)
        started = time.perf_counter()
        regencies, forums = ensure_forums(args.regencies)
        province_analyst = ensure_persona("province_analyst", regency=Region.objects.get(code="64.01"))
        figures["regencies"] = str(regencies)
        figures["forums"] = str(forums)
        print(
            f"forums of {regencies} regencies and the province: {forums} forums in the database "
            f"({time.perf_counter() - started:.1f} s)",
            flush=True,
        )
        if args.generate_only:
            print(" ".join(f"{key}={value}" for key, value in figures.items()))
            return
        admin, _created = Person.objects.get_or_create(
            username="bench.admin",
            defaults={"email": "b@waspada.test", "is_superuser": True, "is_staff": True},
        )

        from django.conf import settings
        from django.test import override_settings

        plain_static = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        print(f"load average before measuring: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
        figures["load_before"] = f"{os.getloadavg()[0]:.2f}"
        # Who asks, and for which region: the two analysts (the permission check on every query),
        # and a superuser (no permission filter) over everything and over each analyst's region
        # by the list's own region filter: the same rows as the analyst, without the check.
        viewers = [
            Viewer("superuser", admin, ""),
            Viewer("analyst", personas.kesbangpol_analyst, ""),
            Viewer("su_6401", admin, "64.01"),
            Viewer("province", province_analyst, ""),
            Viewer("su_64", admin, "64"),
            # the leaders' dashboard (issue 19): the Bupati sees Paser's assessed picture (rule 13)
            # and is told how many of its reports he may not open
            Viewer("bupati", personas.regent, ""),
        ]
        pairs = [("analyst", "su_6401"), ("province", "su_64")]
        only = {name for name in args.only.split(",") if name}
        # pages render without collectstatic's manifest, as in the tests
        with override_settings(STORAGES=plain_static), logins_complete_the_second_factor():
            for viewer in viewers:
                viewer.client = Client(HTTP_HOST="127.0.0.1")
                viewer.client.force_login(viewer.person)
                if not only or "list_page_50" in only:
                    viewer.page_50 = walk_to_page(viewer.client, viewer.with_region("/situasi/laporan/"), 50)
            routes = {
                "dashboard_cold": lambda v: v.with_region("/situasi/"),
                "dashboard_kept": lambda v: v.with_region("/situasi/"),
                "list_filtered": lambda v: "/situasi/laporan/?isu=agraria_korporasi&region=64.01.06",
                "list_search": lambda v: v.with_region("/situasi/laporan/?q=hauling+warga"),
                "list_page_50": lambda v: v.page_50,
            }
            for name, path_of in routes.items():
                if only and name not in only:
                    continue
                for viewer in viewers:
                    viewer.client.get(path_of(viewer))  # warm (and fill the kept counts)
                    if args.queries:
                        print_queries(viewer, name, path_of(viewer), cold=name != "dashboard_kept")
                    if args.profile:
                        print_profile(viewer, name, path_of(viewer), cold=name != "dashboard_kept")
                timings = measure_interleaved(viewers, path_of, args.rounds, cold=name != "dashboard_kept")
                for viewer in viewers:
                    times, cpu = timings[viewer.label]
                    p50, p95 = percentiles(times)
                    figures[f"{viewer.label}_{name}_p50_ms"] = f"{p50:.0f}"
                    figures[f"{viewer.label}_{name}_p95_ms"] = f"{p95:.0f}"
                    print(
                        f"{viewer.label:10} {name:14} p50 {p50:7.0f} ms   p95 {p95:7.0f} ms   "
                        f"python cpu {cpu:6.0f} ms/request",
                        flush=True,
                    )
                for check, plain in pairs:
                    checked, unchecked = timings[check][0], timings[plain][0]
                    p50_ratio = percentiles(checked)[0] / percentiles(unchecked)[0]
                    p95_ratio = percentiles(checked)[1] / percentiles(unchecked)[1]
                    # paired: each round asks both within a second of each other, so the
                    # machine's load moves both alike; the median of the per-round ratios
                    paired = statistics.median(a / b for a, b in zip(checked, unchecked, strict=True))
                    figures[f"{check}_{name}_p95_ratio"] = f"{p95_ratio:.2f}"
                    figures[f"{check}_{name}_paired_ratio"] = f"{paired:.2f}"
                    print(
                        f"  check/no-check {check:8} vs {plain:8}: "
                        f"p50 x{p50_ratio:.2f}  p95 x{p95_ratio:.2f}  "
                        f"median paired x{paired:.2f}   load {os.getloadavg()[0]:.2f}",
                        flush=True,
                    )
            # The command-room wall (issue 19), as its screen asks it: through a display token,
            # for Paser and for the province; cold (after a change) and kept.
            from waspada.situation.actions import create_display_token

            screens = []
            for code in ("64.01", "64"):
                _token, raw = create_display_token(
                    region=Region.objects.get(code=code), name=f"bench {code}", by=admin
                )
                screen = Viewer(f"wall_{code.replace('.', '')}", None, "")
                screen.client = Client(HTTP_HOST="127.0.0.1")
                assert screen.client.get(f"/situasi/layar/t/{raw}/").status_code == 302
                screens.append(screen)
            for name in ("wall_cold", "wall_kept"):
                if only and name not in only:
                    continue
                for screen in screens:
                    screen.client.get("/situasi/layar/")  # warm
                timings = measure_interleaved(
                    screens, lambda _v: "/situasi/layar/", args.rounds, cold=name == "wall_cold"
                )
                for screen in screens:
                    times, cpu = timings[screen.label]
                    p50, p95 = percentiles(times)
                    figures[f"{screen.label}_{name}_p50_ms"] = f"{p50:.0f}"
                    figures[f"{screen.label}_{name}_p95_ms"] = f"{p95:.0f}"
                    print(
                        f"{screen.label:10} {name:14} p50 {p50:7.0f} ms   p95 {p95:7.0f} ms   "
                        f"python cpu {cpu:6.0f} ms/request",
                        flush=True,
                    )
        figures["load_after"] = f"{os.getloadavg()[0]:.2f}"
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
