"""Situation picture speed: the dashboard and a filtered report list over many synthetic reports.

Builds a fresh database (a temporary PostgreSQL database beside the one DATABASE_URL names, dropped
at the end; or a temporary SQLite file without DATABASE_URL), loads every Indonesian region from
the bundled code list, Paser's forums and personas, then generates ``--reports`` synthetic reports
spread over all of Indonesia's villages (``--paser-share`` of them in Kabupaten Paser, the home
region), a tenth of Paser's verified into incidents, with reporting times over the last year.

Then it asks, in process through Django's test client (so the figures are the application and
database time, without a network hop), ``--rounds`` times each:

  dashboard        GET /situasi/                                  (counts, trend, dispositions, status)
  list_filtered    GET /situasi/laporan/?isu=agraria_korporasi&region=64.01.06
  list_search      GET /situasi/laporan/?q=hauling+warga
  list_page_50     the 50th keyset page of the unfiltered list

as a superuser (sees every report) and as the Kesbangpol analyst (sees Paser's), and prints p50
and p95 in milliseconds. The target (issue 6) is p95 < 300 ms with one million reports on
PostgreSQL.

Usage: DATABASE_URL=postgres://postgres@127.0.0.1:5432/waspada_bench \
       python benchmarks/dashboard.py --reports 1000000
Ends with one line of key=value figures.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from common import fresh_database  # benchmarks/common.py

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ISUS = [
    "agraria_korporasi",
    "agraria_warga",
    "sara_etnis",
    "agama",
    "narkoba",
    "kriminalitas",
    "bencana",
    "hoaks",
]
LEVELS = ["normal"] * 5 + ["waspada"] * 3 + ["siaga"] + ["awas"] * 0
WORDS = "warga jalan hauling perusahaan sawit tambang desa bentrok tuntutan lahan polisi camat banjir".split()


def generate(count: int, paser_share: float, seed: int = 6) -> dict[str, float]:
    """Insert ``count`` reports (and Paser's incidents) with bulk inserts; returns timings."""
    from django.db import connection
    from django.utils import timezone

    from waspada.people.models import Person
    from waspada.regions.models import Region
    from waspada.reports.models import Incident, Report

    rng = random.Random(seed)
    villages = list(Region.objects.filter(level=4).values_list("code", flat=True))
    paser = [code for code in villages if code.startswith("64.01.")]
    reporter = Person.objects.get(username="reporter.lombok")
    analyst = Person.objects.get(username="analis.kesbangpol")
    now = timezone.now()
    started = time.perf_counter()
    batch: list[Report] = []
    incidents = 0
    for number in range(1, count + 1):
        in_paser = rng.random() < paser_share
        region = rng.choice(paser if in_paser else villages)
        reported = now - timedelta(seconds=rng.randint(0, 365 * 86400))
        words = " ".join(rng.choice(WORDS) for _ in range(12))
        batch.append(
            Report(
                public_id=uuid.UUID(int=rng.getrandbits(128)),
                reference=f"BENCH-{number:08d}",
                reporter=reporter,
                athg=rng.choice(["ancaman", "gangguan", "hambatan", "tantangan"]),
                isu=rng.choice(ISUS),
                alert_level=rng.choice(LEVELS),
                title=f"Laporan sintetis {number}: {words[:60]}",
                what=words,
                region_id=region,
                occurred_at=reported - timedelta(hours=2),
                reported_at=reported,
                status="baru",
            )
        )
        if len(batch) == 10_000 or number == count:
            Report.objects.bulk_create(batch)
            batch = []
    generated = time.perf_counter() - started
    # A tenth of Paser's reports from the last 30 days verified, one incident each.
    recent = Report.objects.filter(
        region__code__startswith="64.01.", reported_at__gte=now - timedelta(days=30)
    )
    chosen = list(
        recent.values_list("pk", "region_id", "isu", "alert_level", "occurred_at")[: max(1, count // 200)]
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
        Report.objects.filter(pk=pk).update(
            status="terverifikasi", incident=incident, verified_by=analyst, verified_at=now
        )
        incidents += 1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"generate_s": generated, "incidents": incidents}


def measure(client: Any, path: str, rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--paser-share", type=float, default=0.1)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--queries", action="store_true", help="print each SQL query's time of one request")
    args = parser.parse_args()
    figures: dict[str, str] = {"reports": str(args.reports)}
    with fresh_database("dashboard") as kind:
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
        from waspada.testing.personas import ensure_all_personas
        from waspada.testing.two_factor import logins_complete_the_second_factor

        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        load_bundled_regions(None)
        figures["regions_s"] = f"{time.perf_counter() - started:.1f}"
        regency = Region.objects.get(code="64.01")
        ensure_default_forums(regency=regency)
        personas = ensure_all_personas(regency=regency)
        timings = generate(args.reports, args.paser_share)
        figures["generate_s"] = f"{timings['generate_s']:.1f}"
        figures["incidents"] = str(int(timings["incidents"]))
        admin = Person.objects.create_superuser(username="bench.admin", email="b@waspada.test", password=None)
        print(f"{kind}: {args.reports} reports generated in {figures['generate_s']} s", flush=True)

        from django.conf import settings
        from django.test import override_settings

        plain_static = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
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
                    "dashboard": "/situasi/",
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
                    p50, p95 = measure(client, path, args.rounds)
                    figures[f"{who}_{name}_p50_ms"] = f"{p50:.0f}"
                    figures[f"{who}_{name}_p95_ms"] = f"{p95:.0f}"
                    print(f"{who:10} {name:14} p50 {p50:7.0f} ms   p95 {p95:7.0f} ms", flush=True)
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
