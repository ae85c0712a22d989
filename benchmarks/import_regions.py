"""Region import speed: one regency, the whole country, a re-import, and boundary polygons.

Runs in a fresh database so that figures are comparable between runs: a new SQLite file in a
temporary WASPADA_DATA_DIR by default, or, when DATABASE_URL points at PostgreSQL, a temporary
database created beside the one named there and dropped at the end. Phases, in order:

1. paser: the bundled code list restricted to Kabupaten Paser (``--only 64.01``), empty database;
2. country: all 91,599 regions into an empty database (the Paser rows are removed first);
3. country_reimport: the same files again, every row an upsert;
4. boundaries: Paser's kecamatan and village polygons (packaged in waspada/regions/data/paser/);
5. search: median time of a name search through the HTTP API with the whole country loaded.

Usage: python benchmarks/import_regions.py
Environment: DATABASE_URL (optional, e.g. postgres://postgres@127.0.0.1:5432/waspada_bench).
Ends with one line of key=value figures.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import fresh_database  # benchmarks/common.py

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    figures: dict[str, str] = {}
    with fresh_database("regions") as kind:
        os.environ["DJANGO_SETTINGS_MODULE"] = "waspada.settings"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", interactive=False, verbosity=0)

        from waspada.regions.importers import PASER_BOUNDARIES_DIR, import_boundaries, load_bundled_regions
        from waspada.regions.models import Level, Region

        seconds, result = timed(lambda: load_bundled_regions("64.01"))
        print(f"paser:            {seconds:6.2f} s  {result.summary()}", file=sys.stderr)
        figures["paser_s"] = f"{seconds:.2f}"

        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Region._meta.db_table}")  # noqa: S608 - our own table name
        seconds, result = timed(lambda: load_bundled_regions(None))
        print(f"country:          {seconds:6.2f} s  {result.summary()}", file=sys.stderr)
        figures["country_s"] = f"{seconds:.2f}"

        seconds, result = timed(lambda: load_bundled_regions(None))
        print(f"country reimport: {seconds:6.2f} s  {result.summary()}", file=sys.stderr)
        figures["country_reimport_s"] = f"{seconds:.2f}"
        figures["villages"] = str(Region.objects.filter(level=Level.DESA).count())

        files = [
            PASER_BOUNDARIES_DIR / "paser_kecamatan.geojson",
            PASER_BOUNDARIES_DIR / "paser_desa_kelurahan.geojson",
        ]
        seconds, results = timed(lambda: [import_boundaries(path) for path in files])
        updated = sum(result.total_updated for result in results)
        print(f"boundaries:       {seconds:6.2f} s  {updated} wilayah", file=sys.stderr)
        figures["boundaries_s"] = f"{seconds:.2f}"

        figures["search_ms"] = f"{search_latency_ms():.1f}"
        figures["db"] = kind
        connection.close()
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


def search_latency_ms() -> float:
    """Median time of a few typical picker searches through the API, whole country loaded."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_user(username="bench.wilayah", password="Bench-Wilayah-2026!")  # noqa: S106
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    queries = ["lombok", "long ikis", "tanjung harapan", "su", "6401062006", "kampung baru"]
    samples = []
    for _round in range(5):
        for query in queries:
            started = time.perf_counter()
            response = client.get("/api/v1/regions/", {"q": query, "limit": 20})
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"search {query!r}: HTTP {response.status_code} {response.content[:200]!r}")
    return statistics.median(samples)


if __name__ == "__main__":
    main()
