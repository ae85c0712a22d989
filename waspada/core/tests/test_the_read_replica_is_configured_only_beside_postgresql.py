"""DATABASE_REPLICA_URL: the router is installed only with it, beside a PostgreSQL primary; the pages
opted in to replica reads exist and are read-only pages. Runs anywhere (no server needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from waspada.core.dbrouter import READ_YOUR_WRITES_COOKIE

_SHOW = (
    "import json, waspada.settings as s; "
    "print(json.dumps([sorted(s.DATABASES), getattr(s, 'DATABASE_ROUTERS', []), s.REPLICA_LAG_BUDGET]))"
)


def _load_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "WASPADA_DATA_DIR": str(tmp_path), **env}
    for name in ("DATABASE_URL", "DATABASE_REPLICA_URL", "WASPADA_REPLICA_LAG_BUDGET"):
        if name not in env:
            environ.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", _SHOW], env=environ, capture_output=True, text=True, check=False
    )


def test_without_a_replica_url_there_is_no_router(tmp_path: Path) -> None:
    result = _load_settings(tmp_path)
    assert json.loads(result.stdout) == [["default"], [], 10]


def test_a_replica_beside_postgresql_installs_the_router(tmp_path: Path) -> None:
    result = _load_settings(
        tmp_path,
        DATABASE_URL="postgres://waspada@db1:5432/waspada",
        DATABASE_REPLICA_URL="postgres://waspada@db2:5432/waspada",
        WASPADA_REPLICA_LAG_BUDGET="5",
    )
    assert json.loads(result.stdout) == [["default", "replica"], ["waspada.core.dbrouter.ReplicaRouter"], 5]


@pytest.mark.parametrize(
    "env",
    [
        {"DATABASE_REPLICA_URL": "postgres://waspada@db2:5432/waspada"},  # the primary is SQLite
        {"DATABASE_URL": "postgres://waspada@db1/waspada", "DATABASE_REPLICA_URL": "sqlite:///x.db"},
    ],
)
def test_a_replica_that_is_not_postgresql_streaming_from_postgresql_stops_the_start(
    tmp_path: Path, env: dict[str, str]
) -> None:
    result = _load_settings(tmp_path, **env)
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URL" in result.stderr and "PostgreSQL" in result.stderr


def _view_names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= _view_names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_page_opted_in_to_replica_reads_exists() -> None:
    missing = set(settings.REPLICA_READ_VIEWS) - _view_names(get_resolver())
    assert not missing, f"REPLICA_READ_VIEWS names no route: {sorted(missing)}"


@pytest.mark.skipif("replica" in settings.DATABASES, reason="a replica is configured in this run")
@pytest.mark.django_db
def test_without_a_replica_a_write_sets_no_read_your_writes_marker(kesbangpol_analyst: object) -> None:
    client = Client()
    client.force_login(kesbangpol_analyst)
    response = client.post("/situasi/pencarian/", {"target": "laporan", "query": "", "name": "Semua"})
    assert response.status_code == 302
    assert READ_YOUR_WRITES_COOKIE not in response.cookies
