"""Shared by the backup, check and health tests: fresh installations in subprocesses, snapshots.

A "fresh installation" is a new data folder plus either a new SQLite file or a new PostgreSQL
database created here (and dropped afterwards) on the test server, so that nothing the tests do
touches the test run's own database.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

PG_ADMIN_URL = os.environ.get("WASPADA_TEST_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")

# A fresh installation sees only these from the test run's environment, plus what a test gives
# it: no DATABASE_URL, no keys, no DJANGO_ALLOW_ASYNC_UNSAFE set by another test's fixtures.
_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TZ", "PYTHONPATH", "VIRTUAL_ENV")


def clean_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _KEPT}
    env.update(values)
    return env


def waspada(
    *args: str, env: dict[str, str], cwd: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the `waspada` command in its own process with exactly ``env``."""
    return subprocess.run(
        [sys.executable, "-m", "waspada", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def must(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def postgres_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextmanager
def fresh_postgres_database(prefix: str = "waspada_ops") -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; its URL. Dropped afterwards."""
    import psycopg

    if not postgres_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL}")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def encryption_keys() -> str:
    """The key(s) the test run encrypts informants with, as WASPADA_ENCRYPTION_KEY would hold them."""
    from waspada.lib import crypto

    crypto.encrypt("memastikan kunci sudah ada")  # the generated key file exists from here on
    configured = os.environ.get("WASPADA_ENCRYPTION_KEY")
    if configured:
        return configured
    return (settings.DATA_DIR / "encryption_key").read_text(encoding="ascii").strip()


def backup_key() -> str:
    """The key the test run's backups sign their manifests with (WASPADA_BACKUP_KEY's value)."""
    from waspada.ops.backup import backup_key as key

    return key(create=True).decode("utf-8")


def _plain(value: Any) -> Any:
    import datetime as dt
    from decimal import Decimal

    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time | dt.timedelta | Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def state_snapshot() -> dict[str, Any]:
    """Everything a restore must bring back, in plain JSON, comparable across databases.

    Every row of every table a backup copies (columns pointing at content types and
    permissions by their natural key, since ids differ between installations); every uploaded
    file's bytes; every informant decrypted; and the audit chain's verdict.
    """
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.storage import default_storage

    from waspada.audit.verify import verify_chain
    from waspada.lib import crypto
    from waspada.reports.models import Attachment, Informant

    contenttypes = {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()}
    permissions = {p.pk: [p.codename, *contenttypes[p.content_type_id]] for p in Permission.objects.all()}
    from waspada.ops.backup import NOT_COPIED as skip

    tables: dict[str, list[dict[str, Any]]] = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in skip or not model._meta.managed or model._meta.proxy:
            continue
        rows = []
        for row in model._base_manager.order_by("pk").values(
            *[f.attname for f in model._meta.concrete_fields]
        ):
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model is ContentType and row[f.attname] is not None:
                    row[f.attname] = contenttypes[row[f.attname]]
                elif f.is_relation and f.related_model is Permission and row[f.attname] is not None:
                    row[f.attname] = permissions[row[f.attname]]
                else:
                    row[f.attname] = _plain(row[f.attname])
            if model._meta.auto_created:
                row.pop("id", None)  # through rows: which pairs, not their own numbering
            rows.append(row)
        if model._meta.auto_created:
            rows.sort(key=lambda r: json.dumps(r, sort_keys=True))
        tables[label] = rows
    files = {}
    for attachment in Attachment.objects.order_by("pk"):
        with default_storage.open(attachment.file.name, "rb") as stored:
            files[attachment.file.name] = base64.b64encode(stored.read()).decode()
    informants = [
        {
            "report": informant.report_id,
            "name": crypto.decrypt(informant.name_encrypted),
            "contact": crypto.decrypt(informant.contact_encrypted),
            "secret": informant.is_secret,
        }
        for informant in Informant.objects.order_by("pk")
    ]
    chain = verify_chain()
    return {
        "tables": tables,
        "files": files,
        "informants": informants,
        "audit": {"ok": chain.ok, "checked": chain.checked, "head": [chain.head_id, chain.head_hash]},
    }


def snapshot_of(env: dict[str, str]) -> dict[str, Any]:
    """``state_snapshot()`` of the installation that ``env`` describes, read in a subprocess."""
    code = (
        "import json, django; django.setup();"
        "from waspada.ops.tests.backup_helpers import state_snapshot;"
        "print(json.dumps(state_snapshot()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "waspada.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
