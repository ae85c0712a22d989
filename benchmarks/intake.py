"""Intake through the HTTP API: throughput, latency, and exactly-once under retries.

Runs `waspada serve` (gunicorn, the production application server) on PostgreSQL, on this machine, with the
load client on the same two cores. Phases:

1. sustained: C concurrent keep-alive clients post reports as fast as they can for S seconds;
2. latency: an open-loop 50 reports/s for S seconds, latency measured from the scheduled send;
3. ceiling: the same run's raw database insert rate (one INSERT + COMMIT per row into the report
   table, 4 connections), which no API can beat;
4. retries: 20 clients x 50 reports, a third of them sent twice with the same Idempotency-Key;
   the stored count must be exactly 1,000 and no response may be a 5xx.

Usage: python benchmarks/intake.py [--seconds 15] [--clients 12] [--workers 2] [--threads 6]
       [--in-process N [--profile FILE]] [--against REV [--rounds 2]]
Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/waspada_bench).
Ends with one line of key=value figures. With ``--against REV`` each round runs the whole benchmark
on this tree and on a git worktree of REV (its own code, this script), alternating which goes
first, and prints both revisions' figures, their ratio and the load average: on a shared machine
only figures from one run can be compared.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from common import code_root, run_against  # benchmarks/common.py

ROOT = code_root(Path(__file__).resolve().parents[1])
sys.path.insert(0, str(ROOT))


def payload(n: int) -> bytes:
    occurred = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    return json.dumps(
        {
            "title": f"Uji beban laporan {n}",
            "what": "Warga berkumpul di depan kantor desa menuntut kejelasan ganti rugi lahan.",
            "athg": "gangguan",
            "isu": "agraria_korporasi",
            "alert_level": "waspada",
            "region_code": "64.01.06.2006",
            "occurred_at": occurred,
            "gatra": ["ekonomi"],
        }
    ).encode()


class Client:
    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def post(self, body: bytes, key: str | None = None) -> tuple[int, float, bytes]:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if key:
            headers["Idempotency-Key"] = key
        start = time.perf_counter()
        for attempt in range(2):
            try:
                self.conn.request("POST", "/api/v1/reports/", body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                return response.status, time.perf_counter() - start, data
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        raise AssertionError("unreachable")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _database_backends(dbname: str) -> list[int]:
    """The PostgreSQL server processes serving ``dbname`` (the app's pooled connections)."""
    url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as c:
        rows = c.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,)
        ).fetchall()
    return [int(row[0]) for row in rows]


class CpuSplit:
    """Where the CPU of a phase goes: gunicorn's workers, this load client, PostgreSQL's backends."""

    def __init__(self, server_pid: int, dbname: str) -> None:
        self.server_pid, self.dbname = server_pid, dbname

    def _sample(self) -> tuple[float, float, float]:
        server = sum(_cpu_seconds(p) for p in [self.server_pid, *_children(self.server_pid)])
        database = sum(_cpu_seconds(p) for p in _database_backends(self.dbname))
        return server, time.process_time(), database

    def __enter__(self) -> CpuSplit:
        self.start = self._sample()
        return self

    def __exit__(self, *exc: object) -> None:
        end = self._sample()
        self.server, self.client, self.database = (b - a for a, b in zip(self.start, end, strict=True))


def sustained(port: int, token: str, clients: int, seconds: float) -> tuple[float, int]:
    done = [0] * clients
    errors = [0] * clients
    stop = time.perf_counter() + seconds

    def work(i: int) -> None:
        client = Client(port, token)
        n = 0
        while time.perf_counter() < stop:
            status, _, _ = client.post(payload(i * 1_000_000 + n))
            n += 1
            if status == 201:
                done[i] += 1
            else:
                errors[i] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.perf_counter() - started), sum(errors)


def fixed_rate(port: int, token: str, rate: float, seconds: float) -> list[float]:
    """Open loop: request k is due at k/rate; its latency counts from when it was due."""
    total = int(rate * seconds)
    latencies: list[float] = []
    lock = threading.Lock()
    next_index = [0]
    start = time.perf_counter() + 0.2

    def work() -> None:
        client = Client(port, token)
        while True:
            with lock:
                k = next_index[0]
                next_index[0] += 1
            if k >= total:
                return
            due = start + k / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            status, _, _ = client.post(payload(900_000_000 + k))
            finished = time.perf_counter()
            with lock:
                latencies.append(finished - due if status == 201 else float("inf"))

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def retries(port: int, token: str) -> tuple[int, int, int]:
    """20 clients x 50 distinct reports; every third is sent twice with the same key."""
    statuses: list[int] = []
    references: list[str] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        client = Client(port, token)
        for n in range(50):
            key = f"retry-{i}-{n}-{uuid.uuid4()}"
            body = payload(500_000_000 + i * 100 + n)
            sends = 2 if n % 3 == 0 else 1
            for _ in range(sends):
                status, _, data = client.post(body, key)
                with lock:
                    statuses.append(status)
                    if status == 201:
                        references.append(json.loads(data)["reference"])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server_errors = sum(1 for s in statuses if s >= 500)
    return len(set(references)), len(statuses), server_errors


def raw_insert_rate(seconds: float, template_id: int) -> float:
    """Rows/s of plain INSERT + COMMIT into the report table (4 connections): the ceiling.

    Each row copies a stored report with a fresh public id and reference, so the statement
    touches the same columns and indexes as the application's own insert.
    """
    import psycopg
    from django.conf import settings

    from waspada.reports.models import Report

    columns = [
        f.column for f in Report._meta.concrete_fields if f.column not in ("id", "public_id", "reference")
    ]
    listed = ", ".join(columns)
    statement = (
        f"INSERT INTO reports_report ({listed}, public_id, reference) "  # noqa: S608 - column names from the model
        f"SELECT {listed}, %s, %s FROM reports_report WHERE id = %s"
    )
    db = settings.DATABASES["default"]
    dsn = f"host={db['HOST']} port={db['PORT'] or 5432} user={db['USER']} dbname={db['NAME']}"
    counts = [0] * 4
    stop = time.perf_counter() + seconds

    def work(i: int) -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            n = 0
            while time.perf_counter() < stop:
                conn.execute(statement, (uuid.uuid4(), f"RAW-{i}-{n}-{uuid.uuid4().hex[:8]}", template_id))
                n += 1
            counts[i] = n

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - started)


def in_process(token: str, count: int, profile: str | None) -> None:
    """``count`` API posts through Django's WSGI handler in this process, after 30 to warm up:
    the middleware, authentication, validation, the report's transaction and the answer, with no
    HTTP server or thread switching around them. Prints the process CPU per report (and the
    statements per report); ``profile``: a cProfile of the posts on the process CPU clock."""
    import cProfile
    import io

    from django.core.wsgi import get_wsgi_application
    from django.db import connection, reset_queries

    application = get_wsgi_application()

    def post(n: int) -> None:
        body = payload(n)
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/reports/",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
        }
        statuses: list[str] = []
        answer = b"".join(application(environ, lambda status, _headers: statuses.append(status)))
        if not statuses[0].startswith("201"):
            raise SystemExit(f"post {n}: {statuses[0]} {answer[:300]!r}")

    for n in range(30):
        post(800_000_000 + n)
    connection.force_debug_cursor = True
    reset_queries()
    post(800_000_100)
    statements = len(connection.queries)
    connection.force_debug_cursor = False
    profiler = cProfile.Profile(time.process_time) if profile else None
    started = time.process_time()
    if profiler:
        profiler.enable()
    for n in range(count):
        post(800_001_000 + n)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    cpu = 1000 * (time.process_time() - started) / count
    print(
        f"in_process_posts={count} inprocess_cpu_ms={cpu:.2f} inprocess_queries={statements} "
        f"load={os.getloadavg()[0]:.1f}"
    )


def serving(port: int, *, workers: int, threads: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The production path, `waspada serve` (gunicorn, access log on), not a tuned stand-in, on
    127.0.0.1:``port``, returned once it accepts connections (up to a minute: gunicorn starts
    slowly on a loaded machine)."""
    from waspada.testing.server import start_serve

    server = start_serve(port, workers=workers, threads=threads, env=env, stdout=subprocess.DEVNULL)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument(
        "--in-process",
        type=int,
        default=0,
        metavar="N",
        help="instead of the phases: N API posts through the WSGI handler in this process, one at a "
        "time, and the process CPU each takes (no HTTP server, no threads: the application's own cost)",
    )
    parser.add_argument(
        "--profile", metavar="FILE", help="with --in-process: cProfile on the process CPU clock"
    )
    parser.add_argument("--against", metavar="REV", help="also run on this git revision, alternating")
    parser.add_argument("--rounds", type=int, default=2, help="with --against: rounds of both revisions")
    args = parser.parse_args()
    if args.against:
        argv = ["--seconds", str(args.seconds), "--clients", str(args.clients)]
        argv += ["--workers", str(args.workers), "--threads", str(args.threads)]
        compare = ["sustained_rps", "cpu_server_ms", "cpu_db_ms", "p95_ms_at_50rps", "intake_to_raw"]
        if args.in_process:
            argv += ["--in-process", str(args.in_process)]
            compare = ["inprocess_cpu_ms", "inprocess_queries"]
        run_against(Path(__file__), argv, revision=args.against, rounds=args.rounds, compare=compare)
        return

    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waspada_bench")
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    data_dir = tempfile.mkdtemp(prefix="waspada-bench-")
    os.environ.update(
        {
            "DATABASE_URL": url,
            "WASPADA_DATA_DIR": data_dir,
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "waspada.settings",
            # One token from one address at ~150 reports/s: counted by the rate limiter (its cost is
            # part of the figure) but never refused (docs/configuration.md, rate limits).
            "WASPADA_API_RATE_PER_CLIENT": "1000000",
            "WASPADA_API_RATE_PER_ADDRESS": "1000000",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command

    from waspada.forums.defaults import ensure_default_forums
    from waspada.people.tokens import create_token
    from waspada.regions.importers import load_bundled_regions
    from waspada.regions.models import Region
    from waspada.testing.personas import ensure_persona
    from waspada.testing.server import stop
    from waspada.testing.smtp import free_port

    call_command("migrate", verbosity=0)
    load_bundled_regions("64.01")
    ensure_default_forums(regency=Region.objects.get(code="64.01"))
    paser = Region.objects.get(code="64.01")
    reporter = ensure_persona("desa_reporter", regency=paser)
    _, token = create_token(person=reporter, name="benchmark", by=None)
    from django.db import connections

    connections.close_all()
    if args.in_process:
        in_process(token, args.in_process, args.profile)
        return

    port = free_port()
    env = dict(os.environ)
    server = serving(port, workers=args.workers, threads=args.threads, env=env)
    try:
        Client(port, token).post(payload(0))  # warm-up
        with CpuSplit(server.pid, name) as cpu:
            rps, errors = sustained(port, token, args.clients, args.seconds)
        stored = rps * args.seconds
        latencies = sorted(fixed_rate(port, token, 50, args.seconds))
        p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
        p50 = statistics.median(latencies) * 1000
        unique, sent, server_errors = retries(port, token)
    finally:
        stop(server, timeout=30)

    from waspada.reports.models import Report

    stored_retry = (
        Report.objects.filter(title__startswith="Uji beban laporan 5")
        .filter(title__regex=r"^Uji beban laporan 5\d{8}$")
        .count()
    )
    template = Report.objects.order_by("id").values_list("id", flat=True).first()
    ceiling = raw_insert_rate(min(args.seconds, 10), int(template or 0))
    from waspada.reports.rollups import rebuild

    rebuild()  # the raw rows bypassed the model: the rollup counts them again (reports/rollups.py)
    per = {part: 1000 * getattr(cpu, part) / max(stored, 1) for part in ("server", "client", "database")}
    total = sum(per.values())
    print(
        f"CPU per report, sustained phase: server {per['server']:.1f} ms, "
        f"load client {per['client']:.1f} ms, "
        f"PostgreSQL {per['database']:.1f} ms; {total:.1f} ms in all, so two cores cap this run at "
        f"{2000 / total:.0f} reports/s (load average {os.getloadavg()[0]:.1f})"
    )
    print(
        f"db=postgresql workers={args.workers} threads={args.threads} clients={args.clients} "
        f"sustained_rps={rps:.1f} sustained_errors={errors} "
        f"p50_ms_at_50rps={p50:.1f} p95_ms_at_50rps={p95:.1f} "
        f"raw_insert_rps={ceiling:.0f} retry_requests={sent} retry_unique_201={unique} "
        f"retry_stored={stored_retry} retry_5xx={server_errors} "
        f"cpu_server_ms={per['server']:.2f} cpu_client_ms={per['client']:.2f} "
        f"cpu_db_ms={per['database']:.2f} "
        f"intake_to_raw={rps / max(ceiling, 1):.3f} load={os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
