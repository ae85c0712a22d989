"""Load as users make it (issue 25, point 4): readers and analysts while intake runs.

Builds (or, with ``--keep``, reuses) the synthetic database of benchmarks/dashboard.py (every
Indonesian region, ``--reports`` reports from benchmarks/synthetic.py, incidents, the forums of
``--regencies`` regencies and the province, the personas), starts `waspada serve` (gunicorn, as
benchmarks/intake.py does, after ``collectstatic``), logs the viewers in over HTTP through the
login page and its second step (real sessions, as a browser gets them): a superuser, the Paser
analyst (Kesbangpol), the province analyst and the Bupati; and opens the command-room walls
through display tokens for Paser and for the province. Then, for ``--seconds``, all at once:

  dashboard   ``--readers`` minus ``--walls`` readers (default 6), each asking ``/situasi/`` every
              ``--refresh`` seconds (default 5; a wall in a real room refreshes every 30-60 s:
              ``--refresh 30``), as the superuser, the Paser analyst, the province analyst and
              the Bupati in turn;
  wall        ``--walls`` readers (default 4), each asking ``/situasi/layar/`` every ``--refresh``
              seconds, half through Paser's display token, half through the province's;
  search      ``--analysts`` analysts (default 5: the Paser analyst, the province analyst, the
              superuser in turn), each running ``/situasi/laporan/?q=...`` with one or two words
              of an isu's vocabulary (benchmarks/synthetic.py) every ``--search-every`` seconds
              (default 4, drawn between half and one and a half times that);
  intake      ``--intake-rate`` reports/s (default 50) posted to ``/api/v1/reports/`` open loop,
              as benchmarks/intake.py's latency phase posts them (latency from when each was due).

The readers and analysts start at random moments within their first interval (not all at once)
and each opens a new connection per request (a refresh several seconds apart outlives
gunicorn's keep-alive). Every page is read to its end. Any answer other than 2xx/3xx is an error.
Prints per kind: count, p50, p95, max, errors and whether p95 < 300 ms (the issue's target,
which is stated for 10 million reports: say at which scale you measured); the load average
before and after, the server's (gunicorn's) and PostgreSQL's CPU seconds over the run; and one
final line of key=value figures.

Usage (a clean checkout, PostgreSQL on 127.0.0.1; a new database, dropped at the end):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/waspada_load \\
    python benchmarks/load.py --reports 300000 --seconds 120
or generating once and measuring again on the kept database (and data directory):
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/waspada_load_bench \\
    python benchmarks/load.py --keep --reports 300000 --seconds 120 [--refresh 30]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import math
import os
import random
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import dashboard  # benchmarks/dashboard.py
import intake  # benchmarks/intake.py
import synthetic  # benchmarks/synthetic.py

TARGET_MS = 300.0
KINDS = ("dashboard", "wall", "search", "intake")


class Browser:
    """A browser's session: cookies kept between requests, a new connection for each request."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, bytes, str]:
        """Status, body (read to its end) and Location of one request."""
        headers = {"Host": "127.0.0.1", "Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                jar: SimpleCookie = SimpleCookie()
                jar.load(header)
                for name, morsel in jar.items():
                    if morsel.value and morsel["max-age"] not in ("0",):
                        self.cookies[name] = morsel.value
                    else:
                        self.cookies.pop(name, None)
            return response.status, data, response.headers.get("Location", "")
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, bytes, str]:
        return self.request("GET", path)


def _path_of(location: str) -> str:
    parts = urlsplit(location)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def _csrf(page: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1).decode()


def log_in(port: int, username: str, password: str, secret: str | None) -> Browser:
    """Log in through the login page (and the second step, with the authenticator's code)."""
    from waspada.testing.two_factor import totp_code

    browser = Browser(port)
    status, page, _ = browser.get("/akun/masuk/")
    assert status == 200, status
    form = {"csrfmiddlewaretoken": _csrf(page), "username": username, "password": password}
    status, page, location = browser.request("POST", "/akun/masuk/", form)
    assert status == 302, (username, status, page[:500])
    if "dua-langkah" in location:
        assert secret, f"{username}: a second step but no authenticator"
        step = _path_of(location)
        status, page, _ = browser.get(step)
        assert status == 200, (username, step, status)
        # the step's own ``next`` is in its address (the page's first ``next`` field belongs to
        # the language switch, which returns to this very page)
        form = {"csrfmiddlewaretoken": _csrf(page), "code": totp_code(secret)}
        status, page, location = browser.request("POST", step, form)
        assert status == 302 and "dua-langkah" not in location, (username, status, location, page[:500])
    status, _, location = browser.get("/situasi/")
    assert status == 200, (username, "/situasi/", status, location)
    return browser


@dataclass
class Results:
    """Latencies (ms) and errors per kind, shared by the threads."""

    times: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    errors: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, ok: bool) -> None:
        with self.lock:
            if ok:
                self.times[kind].append(ms)
            else:
                self.errors[kind] += 1


def reader(
    kind: str,
    browser: Browser,
    paths: Any,
    every: tuple[float, float],
    stop: float,
    results: Results,
    seed: int,
) -> None:
    """Ask ``paths()`` (a new path each time) every ``every`` seconds (drawn between its two
    bounds) until ``stop``, starting at a random moment within the first interval."""
    rng = random.Random(seed)
    due = time.perf_counter() + rng.uniform(0, every[1])
    while True:
        delay = min(due, stop) - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        if time.perf_counter() >= stop:
            return
        started = time.perf_counter()
        try:
            status, _, _ = browser.get(paths(rng))
            ok = 200 <= status < 400
        except (OSError, http.client.HTTPException):
            ok = False
        results.add(kind, (time.perf_counter() - started) * 1000, ok)
        due = max(due + rng.uniform(*every), time.perf_counter())


def dashboard_path(_rng: random.Random) -> str:
    return "/situasi/"


def wall_path(_rng: random.Random) -> str:
    return "/situasi/layar/"


def search_terms(rng: random.Random) -> str:
    """``/situasi/laporan/?q=`` with one or two words of an isu's vocabulary, as analysts type."""
    isu = rng.choice(list(synthetic.ISU_WORDS))
    words = rng.sample(synthetic.ISU_WORDS[isu], k=rng.choice((1, 2)))
    return "/situasi/laporan/?" + urlencode({"q": " ".join(words)})


def nearest_rank(ordered: list[float], share: float) -> float:
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else float("nan")


def prepare(args: argparse.Namespace, figures: dict[str, str]) -> dict[str, Any]:
    """The database as benchmarks/dashboard.py builds it (or the kept one), the viewers with an
    authenticator and a password, display tokens for the walls, and an API token for intake."""
    from django.core.management import call_command

    from waspada.forums.defaults import ensure_default_forums
    from waspada.people.actions import set_person_password
    from waspada.people.models import Person
    from waspada.people.tokens import create_token
    from waspada.regions.importers import load_bundled_regions
    from waspada.regions.models import Region
    from waspada.reports.models import Report
    from waspada.situation.actions import create_display_token
    from waspada.testing.personas import PERSONA_PASSWORD, ensure_all_personas, ensure_persona
    from waspada.testing.two_factor import enrol_totp

    call_command("migrate", interactive=False, verbosity=0)
    existing = Report.objects.count() if args.keep else 0
    if existing:
        print(f"reusing {existing} reports already in the kept database", flush=True)
        personas = ensure_all_personas(regency=Region.objects.get(code="64.01"))
    else:
        started = time.perf_counter()
        load_bundled_regions(None)
        regency = Region.objects.get(code="64.01")
        ensure_default_forums(regency=regency)
        personas = ensure_all_personas(regency=regency)
        timings = dashboard.generate(args.reports, args.paser_share, args.history_days, args.province_share)
        figures["generate_s"] = f"{time.perf_counter() - started:.0f}"
        print(f"{args.reports} reports generated in {figures['generate_s']} s", flush=True)
        del timings
    figures["reports"] = str(Report.objects.count())
    regencies, forums = dashboard.ensure_forums(args.regencies)
    figures["regencies"], figures["forums"] = str(regencies), str(forums)
    paser = Region.objects.get(code="64.01")
    province_analyst = ensure_persona("province_analyst", regency=paser)
    admin, _created = Person.objects.get_or_create(
        username="bench.admin", defaults={"email": "b@waspada.test", "is_superuser": True, "is_staff": True}
    )
    admin = set_person_password(person=admin, password=PERSONA_PASSWORD, by=None)
    viewers = {
        "superuser": admin,
        "analyst": personas.kesbangpol_analyst,
        "province": province_analyst,
        "bupati": personas.regent,
    }
    secrets = {label: enrol_totp(person) for label, person in viewers.items()}
    walls = {}
    for code in ("64.01", "64"):
        _token, raw = create_display_token(
            region=Region.objects.get(code=code), name=f"load {code}", by=admin
        )
        walls[code] = raw
    _row, api_token = create_token(person=personas.desa_reporter, name="load benchmark", by=None)
    return {
        "usernames": {label: person.username for label, person in viewers.items()},
        "password": PERSONA_PASSWORD,
        "secrets": secrets,
        "walls": walls,
        "api_token": api_token,
    }


def run(args: argparse.Namespace, setup: dict[str, Any], figures: dict[str, str]) -> None:
    from waspada.testing.server import run_waspada, stop
    from waspada.testing.smtp import free_port

    env = dict(os.environ)
    run_waspada(["collectstatic", "--noinput", "--verbosity", "0"], env)
    port = free_port()
    server = intake.serving(port, workers=args.workers, threads=args.threads, env=env)
    try:
        sessions = {
            label: log_in(port, username, setup["password"], setup["secrets"][label])
            for label, username in setup["usernames"].items()
        }
        print(f"logged in over HTTP: {', '.join(setup['usernames'].values())}", flush=True)
        screens = []
        for code, raw in setup["walls"].items():
            screen = Browser(port)
            status, _, _ = screen.get(f"/situasi/layar/t/{raw}/")
            assert status == 302, (code, status)
            screens.append(screen)
        intake.Client(port, setup["api_token"]).post(intake.payload(0))  # warm-up
        for browser in [*sessions.values(), *screens]:  # warm each worker's imports a little
            browser.get("/situasi/layar/" if browser in screens else "/situasi/")

        results = Results()
        refresh = (args.refresh, args.refresh)
        search_every = (args.search_every / 2, args.search_every * 1.5)
        dashboard_viewers = ["superuser", "analyst", "province", "bupati"]
        searchers = ["analyst", "province", "superuser"]
        threads: list[threading.Thread] = []
        start = time.perf_counter()
        stop = start + args.seconds
        for number in range(args.readers):
            if number < args.walls:
                kind, browser, paths = "wall", screens[number % len(screens)], wall_path
            else:
                viewer = dashboard_viewers[(number - args.walls) % len(dashboard_viewers)]
                kind, browser, paths = "dashboard", sessions[viewer], dashboard_path
            threads.append(
                threading.Thread(target=reader, args=(kind, browser, paths, refresh, stop, results, number))
            )
        for number in range(args.analysts):
            browser = sessions[searchers[number % len(searchers)]]
            threads.append(
                threading.Thread(
                    target=reader,
                    args=("search", browser, search_terms, search_every, stop, results, 1000 + number),
                )
            )
        intake_latencies: list[float] = []

        def stream() -> None:
            intake_latencies.extend(
                intake.fixed_rate(port, setup["api_token"], args.intake_rate, args.seconds)
            )

        threads.append(threading.Thread(target=stream))
        load_before = os.getloadavg()
        figures["load_before"] = f"{load_before[0]:.2f}"
        print(
            f"{time.strftime('%H:%M:%S', time.gmtime())} UTC: {args.readers} readers ({args.walls} walls), "
            f"{args.analysts} analysts, intake {args.intake_rate}/s for {args.seconds:.0f} s; "
            f"load average {' '.join(f'{x:.2f}' for x in load_before)}",
            flush=True,
        )
        with intake.CpuSplit(server.pid, figures["database_name"]) as cpu:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        elapsed = time.perf_counter() - start
    finally:
        stop(server, timeout=30)
    for latency in intake_latencies:
        results.add("intake", latency * 1000, math.isfinite(latency))
    load_after = os.getloadavg()
    figures["load_after"] = f"{load_after[0]:.2f}"
    print(f"{'kind':10} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6}  p95 < 300 ms")
    met = True
    for kind in KINDS:
        ordered = sorted(results.times[kind])
        p50, p95 = nearest_rank(ordered, 0.5), nearest_rank(ordered, 0.95)
        peak = ordered[-1] if ordered else float("nan")
        ok = bool(ordered) and p95 < TARGET_MS and not results.errors[kind]
        met = met and ok
        print(
            f"{kind:10} {len(ordered):6} {p50:8.0f} {p95:8.0f} {peak:8.0f} {results.errors[kind]:6}  "
            f"{'yes' if ok else 'NO'}"
        )
        figures[f"{kind}_n"] = str(len(ordered))
        figures[f"{kind}_p50_ms"] = f"{p50:.0f}"
        figures[f"{kind}_p95_ms"] = f"{p95:.0f}"
        figures[f"{kind}_max_ms"] = f"{peak:.0f}"
        figures[f"{kind}_errors"] = str(results.errors[kind])
    intake_done = len(results.times["intake"])
    print(
        f"over {elapsed:.0f} s: intake {intake_done} reports accepted (201) "
        f"of {len(intake_latencies)} posted "
        f"({intake_done / args.seconds:.1f}/s); CPU seconds: "
        f"server (gunicorn) {cpu.server:.1f}, PostgreSQL {cpu.database:.1f}, load client {cpu.client:.1f} "
        f"({(cpu.server + cpu.database + cpu.client) / elapsed:.2f} of 2 cores); load average "
        f"{' '.join(f'{x:.2f}' for x in load_before)} before, "
        f"{' '.join(f'{x:.2f}' for x in load_after)} after"
    )
    figures["seconds"] = f"{elapsed:.0f}"
    figures["cpu_server_s"] = f"{cpu.server:.1f}"
    figures["cpu_db_s"] = f"{cpu.database:.1f}"
    figures["cpu_client_s"] = f"{cpu.client:.1f}"
    figures["p95_under_300"] = "yes" if met else "no"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--paser-share", type=float, default=0.1)
    parser.add_argument("--province-share", type=float, default=0.15)
    parser.add_argument("--history-days", type=int, default=730)
    parser.add_argument("--regencies", default="10", help="as benchmarks/dashboard.py --regencies")
    parser.add_argument("--keep", action="store_true", help="use (and keep) BENCH_DATABASE_URL's database")
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--readers", type=int, default=10, help="dashboards and walls together")
    parser.add_argument("--walls", type=int, default=4, help="how many of the readers are walls")
    parser.add_argument("--refresh", type=float, default=5, help="seconds between a reader's requests")
    parser.add_argument("--analysts", type=int, default=5)
    parser.add_argument("--search-every", type=float, default=4, help="mean seconds between searches")
    parser.add_argument("--intake-rate", type=float, default=50, help="reports/s through the API")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=6)
    args = parser.parse_args()
    figures: dict[str, str] = {
        "readers": str(args.readers),
        "walls": str(args.walls),
        "refresh_s": f"{args.refresh:g}",
        "analysts": str(args.analysts),
        "intake_rate": f"{args.intake_rate:g}",
        "workers": str(args.workers),
        "threads": str(args.threads),
        "started_utc": time.strftime("%Y-%m-%dT%H:%M", time.gmtime()),
    }
    if args.keep:
        url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waspada_load_bench")
    else:
        base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/waspada_load")
        url = base.rsplit("/", 1)[0] + f"/waspada_load_{os.getpid()}"
    assert url.startswith(("postgres://", "postgresql://")), "PostgreSQL only: the server and its pool"
    figures["database_name"] = url.rsplit("/", 1)[1]
    os.environ.update(
        {
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "waspada.settings",
            # As benchmarks/intake.py: counted by the rate limiter, never refused.
            "WASPADA_API_RATE_PER_CLIENT": "1000000",
            "WASPADA_API_RATE_PER_ADDRESS": "1000000",
        }
    )
    try:
        with dashboard.kept_database(url):
            import django

            django.setup()
            setup = prepare(args, figures)
            from django.db import connections

            connections.close_all()
            run(args, setup, figures)
    finally:
        if not args.keep:
            import psycopg

            with contextlib.suppress(Exception):
                from django.db import connections

                connections.close_all()
            shutil.rmtree(os.environ.get("WASPADA_DATA_DIR", "/nonexistent"), ignore_errors=True)
            admin_url = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1) + "/postgres"
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{figures["database_name"]}" WITH (FORCE)')
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


if __name__ == "__main__":
    main()
