"""Export streaming: a one-million-row CSV export through the real server, its peak memory and time.

Builds a fresh database (PostgreSQL beside the one BENCH_DATABASE_URL or DATABASE_URL names, dropped
at the end; SQLite without either), loads Kabupaten Paser with its forums and personas, and writes
``--reports`` synthetic reports spread over Paser's villages (benchmarks/synthetic.py: COPY, bulk
inserts on SQLite).
Then it starts ``waspada serve`` (gunicorn, as deployed: one worker, two threads) on 127.0.0.1,
asks ``GET /api/v1/exports/reports?format=csv`` with a superuser's API token, reads the stream to
the end, and reports:

  csv_rows     data rows received (checked against the database)
  csv_s        wall time from the request to the last byte
  csv_mb       size of the download
  csv_peak_mb  the serving worker's peak resident memory (VmHWM), read from /proc after the export
  base_mb      the same worker's resident memory just before the export (after one small API answer)
  base_peak_mb its peak before the export (the imports and the readiness page)

Target (issue 7): a one-million-row CSV export streams with peak memory under 200 MB.

Usage: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/waspada_bench \
       python benchmarks/exports.py --reports 1000000 [--format csv]
Ends with one line of key=value figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import synthetic  # benchmarks/synthetic.py
from common import fresh_database  # benchmarks/common.py

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def generate(count: int) -> float:
    """Insert ``count`` reports in Paser's villages over the last year (benchmarks/synthetic.py,
    the situation benchmark's generator: COPY on PostgreSQL); returns seconds taken."""
    from django.db import connection

    from waspada.people.models import Person

    reporter = Person.objects.get(username="reporter.lombok")
    seconds = synthetic.insert(count, "64.01", 1.0, reporter.pk, history_days=365)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return seconds


def _worker_pid(master: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        except OSError:
            children = []
        if children:
            return int(children[0])
        time.sleep(0.2)
    raise RuntimeError("gunicorn started no worker")


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--format", default="csv", choices=["csv", "hxl", "geojson", "xlsx"])
    args = parser.parse_args()
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    figures: dict[str, str] = {"reports": str(args.reports), "format": args.format}
    load_before = os.getloadavg()
    with fresh_database("exports") as kind:
        figures["database"] = kind
        os.environ["DJANGO_SETTINGS_MODULE"] = "waspada.settings"
        static_root = tempfile.mkdtemp(prefix="waspada-bench-static-")
        os.environ["STATIC_ROOT"] = static_root  # the server renders its login page (readiness check)
        import django

        django.setup()
        from django.core.management import call_command

        from waspada.forums.defaults import ensure_default_forums
        from waspada.people.models import Person
        from waspada.people.tokens import create_token
        from waspada.regions.importers import load_bundled_regions
        from waspada.regions.models import Region
        from waspada.testing.personas import ensure_all_personas
        from waspada.testing.server import _wait_until_serving, start_serve, stop
        from waspada.testing.smtp import free_port

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        load_bundled_regions("64.01")
        regency = Region.objects.get(code="64.01")
        ensure_default_forums(regency=regency)
        ensure_all_personas(regency=regency)
        figures["generate_s"] = f"{generate(args.reports):.1f}"
        print(f"{kind}: {args.reports} reports generated in {figures['generate_s']} s", flush=True)
        admin = Person.objects.create_superuser(username="bench.admin", email="b@waspada.test", password=None)
        _token, secret = create_token(person=admin, name="bench", by=admin)
        from django.db import connections

        connections.close_all()

        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "waspada.settings",
                "DEBUG": "false",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1",
                "WASPADA_HTTPS": "false",
                "LOG_LEVEL": "WARNING",
                "WASPADA_API_RATE_PER_CLIENT": "0",
                "WASPADA_API_RATE_PER_ADDRESS": "0",
            }
        )
        port = free_port()
        with tempfile.TemporaryDirectory() as tmp:
            log = Path(tmp) / "gunicorn.log"
            with log.open("wb") as log_file:
                server = start_serve(port, workers=1, threads=2, env=env, stdout=log_file)
                url = f"http://127.0.0.1:{port}"
                try:
                    _wait_until_serving(url, server, log)
                    worker = _worker_pid(server.pid)
                    # warm the API (its imports) with a small answer, so that base is the idle worker
                    warm = urllib.request.Request(  # noqa: S310 - http on the loopback
                        f"{url}/api/v1/alerts/", headers={"Authorization": f"Bearer {secret}"}
                    )
                    with urllib.request.urlopen(warm, timeout=60) as response:  # noqa: S310 - loopback
                        response.read()
                    base = _status_mb(worker, "VmRSS")
                    base_peak = _status_mb(worker, "VmHWM")
                    cpu_before = os.times()
                    started = time.perf_counter()
                    request = urllib.request.Request(  # noqa: S310 - http on the loopback
                        f"{url}/api/v1/exports/reports?format={args.format}",
                        headers={"Authorization": f"Bearer {secret}"},
                    )
                    size = 0
                    lines = 0
                    with urllib.request.urlopen(request, timeout=3600) as response:  # noqa: S310 - loopback
                        expected = int(response.headers["X-Export-Rows"])
                        first_byte = time.perf_counter() - started
                        while chunk := response.read(1 << 16):
                            size += len(chunk)
                            lines += chunk.count(b"\n")
                    elapsed = time.perf_counter() - started
                    peak = _status_mb(worker, "VmHWM")
                    worker_cpu = sum(
                        int(v)
                        for v in Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[11:13]
                    ) / os.sysconf("SC_CLK_TCK")
                finally:
                    stop(server, timeout=30)
        header_rows = {"csv": 1, "hxl": 2}.get(args.format, 0)
        rows = lines - header_rows if args.format in ("csv", "hxl") else expected
        figures.update(
            {
                "csv_rows" if args.format == "csv" else f"{args.format}_rows": str(rows),
                "expected_rows": str(expected),
                f"{args.format}_s": f"{elapsed:.1f}",
                f"{args.format}_first_byte_s": f"{first_byte:.2f}",
                f"{args.format}_mb": f"{size / 1e6:.0f}",
                f"{args.format}_peak_mb": f"{peak:.0f}",
                "base_mb": f"{base:.0f}",
                "base_peak_mb": f"{base_peak:.0f}",
                "worker_cpu_s": f"{worker_cpu:.1f}",
                "client_cpu_s": f"{sum(os.times()[:2]) - sum(cpu_before[:2]):.1f}",
            }
        )
    load_after = os.getloadavg()
    print(
        f"load before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, after "
        f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}; this process peak "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    print(
        f"{figures.get('csv_rows', rows)} rows in {elapsed:.1f} s (first byte {first_byte:.2f} s), "
        f"{size / 1e6:.0f} MB; worker RSS {base:.0f} MB before, peak {peak:.0f} MB"
    )
    figures["load1"] = f"{load_after[0]:.2f}"
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
