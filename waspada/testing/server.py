"""The production application server for tests: gunicorn through ``waspada serve``, on 127.0.0.1.

``running_production_server()`` prepares an installation of its own, as an operator would:
its own data folder and database (a SQLite file, or a new PostgreSQL database next to the one
``DATABASE_URL`` names), ``collectstatic`` into a temporary STATIC_ROOT, ``migrate``, then a
setup step in a separate process (regions, forums, personas with their authenticators), and
finally ``python -m waspada serve --no-collectstatic``. Settings are production ones: DEBUG off,
a generated SECRET_KEY and encryption key, ALLOWED_HOSTS 127.0.0.1. ``WASPADA_HTTPS`` stays off
because there is no TLS on the loopback: with it on, cookies would be Secure (never sent over
http) and every request redirected to https. The HTTPS settings are tested on their own.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from waspada.testing.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]

# Run in the server's own environment: make Paser, its forums and the personas; give the
# personas who must use a second factor an authenticator; print their secrets.
_SETUP = """
import json
from waspada.forums.defaults import ensure_default_forums
from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Region
from waspada.testing.personas import ensure_persona
from waspada.testing.two_factor import enrol_totp

load_bundled_regions("64.01")
paser = Region.objects.get(code="64.01")
ensure_default_forums(regency=paser)
secrets = {}
for key in ("desa_reporter", "kesbangpol_analyst", "kesbangpol_admin"):
    person = ensure_persona(key, regency=paser)
    if key != "desa_reporter":
        secrets[key] = enrol_totp(person)
print("SECRETS=" + json.dumps(secrets))
"""


@dataclass
class ProductionServer:
    url: str
    totp_secrets: dict[str, str]
    env: dict[str, str] = field(repr=False)
    log: Path = field(repr=False)


def run_waspada(args: list[str], env: dict[str, str], *, timeout: float = 300) -> str:
    """``waspada ARGS`` in a process of its own with ``env``; its output, or RuntimeError."""
    done = subprocess.run(
        [sys.executable, "-m", "waspada", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"waspada {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextmanager
def served_database(base_url: str, data_dir: Path) -> Iterator[str]:
    """A database of the server's own: a new PostgreSQL database beside ``base_url``'s, or a file."""
    if not base_url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{data_dir / 'waspada.sqlite3'}"
        return
    import psycopg

    server, _slash, _name = base_url.rpartition("/")
    name = f"waspada_served_{uuid.uuid4().hex[:10]}"
    admin = server.replace("postgres://", "postgresql://", 1) + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_serve(
    port: int, *, workers: int, threads: int, env: dict[str, str], stdout: Any
) -> subprocess.Popen[bytes]:
    """`waspada serve` (gunicorn, as deployed) on 127.0.0.1:``port``; the caller stops it."""
    command = [sys.executable, "-m", "waspada", "serve", "--no-collectstatic"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads)]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=stdout, stderr=subprocess.STDOUT)


@contextmanager
def running_production_server(tmp: Path, *, workers: int = 2) -> Iterator[ProductionServer]:
    data_dir = tmp / "data"
    static_root = tmp / "static"
    data_dir.mkdir(parents=True)
    with served_database(os.environ.get("DATABASE_URL", ""), data_dir) as database_url:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("WASPADA_", "DJANGO_", "PYTEST_")) and key not in {"DEBUG", "DATABASE_URL"}
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "waspada.settings",
                "DEBUG": "false",
                "DATABASE_URL": database_url,
                "WASPADA_DATA_DIR": str(data_dir),
                "STATIC_ROOT": str(static_root),
                "SECRET_KEY": secrets.token_urlsafe(50),
                "WASPADA_ENCRYPTION_KEY": Fernet.generate_key().decode(),
                "ALLOWED_HOSTS": "127.0.0.1",
                "WASPADA_HTTPS": "false",
                "LOG_LEVEL": "WARNING",
            }
        )
        run_waspada(["collectstatic", "--noinput", "--verbosity", "0"], env)
        run_waspada(["migrate", "--noinput", "--verbosity", "0"], env)
        output = run_waspada(["shell", "--no-startup", "-c", _SETUP], env)
        totp_secrets = json.loads(output.split("SECRETS=", 1)[1].strip())

        port = free_port()
        log = tmp / "gunicorn.log"
        with log.open("wb") as log_file:
            server = start_serve(port, workers=workers, threads=2, env=env, stdout=log_file)
            url = f"http://127.0.0.1:{port}"
            try:
                _wait_until_serving(url, server, log)
                yield ProductionServer(url=url, totp_secrets=totp_secrets, env=env, log=log)
            finally:
                stop(server)


def stop(process: subprocess.Popen[Any], timeout: float = 20) -> None:
    """Ask ``process`` to end (SIGTERM), and kill it when it has not ended within ``timeout``
    seconds: a test or a benchmark never leaves a server behind, nor hangs on one."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"waspada serve exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/akun/masuk/", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"waspada serve did not answer within {timeout} s:\n{log.read_text()}")
