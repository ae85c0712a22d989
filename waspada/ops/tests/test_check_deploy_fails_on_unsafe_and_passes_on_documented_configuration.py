"""`waspada check --deploy`, run as an operator runs it: in its own process, from the environment.

It fails on a deliberately unsafe configuration, naming each problem with its fix, and passes
on the configuration documented in deploy/waspada.env.example, with only what a test must
change: paths in a temporary folder, a fresh PostgreSQL database, and the secrets in files there.
The worker is the real `waspada worker`, so the heartbeat the check reads is a real one.
"""

from __future__ import annotations

import secrets
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet

from waspada.ops.tests.backup_helpers import clean_env, fresh_postgres_database, must, waspada

ENV_EXAMPLE = Path(__file__).resolve().parents[3] / "deploy" / "waspada.env.example"


def documented_environment() -> dict[str, str]:
    """The variables of deploy/waspada.env.example, read the way systemd's EnvironmentFile does."""
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        values[name] = shlex.split(value)[0] if value else ""
    return values


def test_an_unsafe_configuration_fails_naming_each_problem(tmp_path: Path) -> None:
    env = clean_env(WASPADA_DATA_DIR=str(tmp_path / "data"), DEBUG="true", ALLOWED_HOSTS="*")

    result = waspada("check", "--deploy", env=env)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    expected = {
        "waspada.E001": "SECRET_KEY tidak ditetapkan",
        "waspada.E010": "WASPADA_ENCRYPTION_KEY tidak ditetapkan",
        "waspada.E020": "ALLOWED_HOSTS memuat wildcard",
        "waspada.E030": "DEBUG menyala",
        "waspada.E040": "WASPADA_HTTPS tidak menyala",
        "waspada.W051": "bukan PostgreSQL",
        "waspada.E052": "migrasi basis data belum dijalankan",
        "waspada.E060": "waspada worker) belum pernah berjalan",
        "waspada.E070": "Berkas statis belum dikumpulkan",
        "waspada.W090": "EMAIL_HOST tidak ditetapkan",
    }
    for check_id, message in expected.items():
        assert f"[{check_id}] " in output, check_id
        assert message in output, message
    assert output.count("Perbaikan:") >= len(expected)  # every problem says how to fix it
    assert "Instalasi BELUM siap" in output
    assert "[security.W018]" in output  # Django's own deployment checks ran too


def test_the_documented_configuration_passes(tmp_path: Path) -> None:
    documented = documented_environment()
    assert documented["WASPADA_HTTPS"] == "true"
    assert documented["DEBUG"] == "false"
    assert "*" not in documented["ALLOWED_HOSTS"]
    etc = tmp_path / "etc-waspada"
    etc.mkdir()
    (etc / "secret_key").write_text(secrets.token_urlsafe(50) + "\n")
    (etc / "encryption_key").write_text(Fernet.generate_key().decode() + "\n")
    (etc / "email_password").write_text("sandi-surel\n")
    data = tmp_path / "var-lib-waspada"

    with fresh_postgres_database("waspada_check") as url:
        changed = {
            "WASPADA_DATA_DIR": str(data),
            "DATABASE_URL": url,
            "STATIC_ROOT": str(data / "static"),
            "MEDIA_ROOT": str(data / "media"),
            "SECRET_KEY_FILE": str(etc / "secret_key"),
            "WASPADA_ENCRYPTION_KEY_FILE": str(etc / "encryption_key"),
            "EMAIL_HOST_PASSWORD_FILE": str(etc / "email_password"),
        }
        assert set(changed) <= set(documented)
        env = clean_env(**{**documented, **changed})

        must(waspada("migrate", "--verbosity", "0", env=env))
        must(waspada("collectstatic", "--noinput", "--verbosity", "0", env=env))
        worker = subprocess.Popen(
            [sys.executable, "-m", "waspada", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_heartbeat(url)
            result = waspada("check", "--deploy", env=env)
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            finally:
                if worker.poll() is None:
                    worker.kill()

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "GALAT" not in output
    assert "[waspada." not in output  # not even a warning of ours
    assert "Instalasi siap untuk produksi" in result.stdout


def _wait_for_heartbeat(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with psycopg.connect(url) as db:
            row = db.execute("SELECT count(*) FROM core_workerheartbeat").fetchone()
        if row and row[0]:
            return
        time.sleep(0.3)
    pytest.fail("the worker wrote no heartbeat within a minute")
