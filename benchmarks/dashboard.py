"""Situation picture speed: the dashboard and a filtered report list over many synthetic reports.

Builds a fresh database (a temporary PostgreSQL database beside the one DATABASE_URL names, dropped
at the end; or a temporary SQLite file without DATABASE_URL), loads every Indonesian region from
the bundled code list, Paser's forums and personas, then generates ``--reports`` synthetic reports
spread over all of Indonesia's villages (``--paser-share`` of them in Kabupaten Paser, the home
region), a tenth of Paser's verified into incidents, with reporting times over the last two
years (benchmarks/synthetic.py says how).

Then it asks, in process through Django's test client (so the figures are the application and
database time, without a network hop), ``--rounds`` times each:

  dashboard_cold   GET /situasi/ with the cache emptied before each request (counted afresh)
  dashboard_kept   GET /situasi/ again with no change in between (the counts kept until one)
  list_filtered    GET /situasi/laporan/?isu=agraria_korporasi&region=64.01.06
  list_search      GET /situasi/laporan/?q=hauling+warga
  list_page_50     the 50th keyset page of the unfiltered list

as a superuser (sees every report) and as the Kesbangpol analyst (sees Paser's), and prints p50
and p95 in milliseconds. The target (issue 6) is p95 < 300 ms with one million reports on
PostgreSQL.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/waspada_bench \
       python benchmarks/dashboard.py --reports 1000000
   or, generating once and measuring again on the kept database (and data directory):
       BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/waspada_bench_wt6 \
       python benchmarks/dashboard.py --keep --reports 1000000
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
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import synthetic  # benchmarks/synthetic.py
from common import fresh_database  # benchmarks/common.py

DEFAULT_KEPT = "postgres://postgres@127.0.0.1:5432/waspada_bench"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(count: int, paser_share: float, history_days: int) -> dict[str, float]:
    """Insert ``count`` reports (benchmarks/synthetic.py) and Paser's incidents; returns timings."""
    from django.db import connection
    from django.utils import timezone

    from waspada.people.models import Person
    from waspada.reports.models import Incident, Report

    reporter = Person.objects.get(username="reporter.lombok")
    analyst = Person.objects.get(username="analis.kesbangpol")
    now = timezone.now()
    generated = synthetic.insert(count, "64.01", paser_share, reporter.pk, history_days)
    # A tenth of Paser's verified reports of the last 30 days become incidents, one each.
    recent = Report.objects.filter(
        region__code__startswith="64.01.", status="terverifikasi", reported_at__gte=now - timedelta(days=30)
    )
    chosen = list(
        recent.values_list("pk", "region_id", "isu", "alert_level", "occurred_at")[: max(1, count // 200)]
    )
    incidents = 0
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


def measure(client: Any, path: str, rounds: int, cold: bool = False) -> tuple[float, float, float]:
    """p50 and p95 wall time (ms) of ``rounds`` requests, and the mean CPU time (ms) of this process.

    ``cold``: the cache is emptied before each request, so the dashboard counts every time (as
    after any change: a kept answer lasts until the next audit entry)."""
    from django.core.cache import cache

    times = []
    cpu_started = time.process_time()
    for _ in range(rounds):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    cpu = (time.process_time() - cpu_started) * 1000 / rounds
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, cpu


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--paser-share", type=float, default=0.1)
    parser.add_argument("--history-days", type=int, default=730)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="use (and keep) the database BENCH_DATABASE_URL names; generate only if it holds no reports",
    )
    parser.add_argument("--queries", action="store_true", help="print each SQL query's time of one request")
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
        from waspada.testing.personas import ensure_all_personas
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
            timings = generate(args.reports, args.paser_share, args.history_days)
            figures["generate_s"] = f"{timings['generate_s']:.1f}"
            figures["generate_load"] = f"{load_before:.1f}-{os.getloadavg()[0]:.1f}"
            figures["incidents"] = str(int(timings["incidents"]))
            print(f"{kind}: {args.reports} reports generated in {figures['generate_s']} s", flush=True)
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
        # pages render without collectstatic's manifest, as in the tests
        with override_settings(STORAGES=plain_static), logins_complete_the_second_factor():
            for who, person in (("superuser", admin), ("analyst", personas.kesbangpol_analyst)):
                client = Client(HTTP_HOST="127.0.0.1")
                client.force_login(person)
                cursor = ""
                for _ in range(49):  # walk to page 50 once, to time it
                    html = client.get("/situasi/laporan/" + (f"?after={cursor}" if cursor else "")).content
                    found = re.search(rb'after=([0-9.]+)" rel="next"', html)
                    if not found:
                        break
                    cursor = found.group(1).decode()
                paths = {
                    "dashboard_cold": "/situasi/",
                    "dashboard_kept": "/situasi/",
                    "list_filtered": "/situasi/laporan/?isu=agraria_korporasi&region=64.01.06",
                    "list_search": "/situasi/laporan/?q=hauling+warga",
                    "list_page_50": "/situasi/laporan/" + (f"?after={cursor}" if cursor else ""),
                }
                for name, path in paths.items():
                    client.get(path)  # warm
                    if args.queries:
                        from django.db import connection
                        from django.test.utils import CaptureQueriesContext

                        with CaptureQueriesContext(connection) as captured:
                            client.get(path)
                        for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:5]:
                            print(
                                f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}", flush=True
                            )
                    p50, p95, cpu = measure(client, path, args.rounds, cold=name != "dashboard_kept")
                    figures[f"{who}_{name}_p50_ms"] = f"{p50:.0f}"
                    figures[f"{who}_{name}_p95_ms"] = f"{p95:.0f}"
                    print(
                        f"{who:10} {name:14} p50 {p50:7.0f} ms   p95 {p95:7.0f} ms   "
                        f"python cpu {cpu:6.0f} ms/request   load {os.getloadavg()[0]:.2f}",
                        flush=True,
                    )
        figures["load_after"] = f"{os.getloadavg()[0]:.2f}"
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
