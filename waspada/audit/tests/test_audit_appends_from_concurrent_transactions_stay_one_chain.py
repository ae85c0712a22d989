"""Appends racing from several transactions queue up behind each other: one chain, no fork."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from waspada.audit.models import AuditEntry
from waspada.audit.tests.concurrent_appends import PER_THREAD, THREADS, append_concurrently
from waspada.audit.verify import verify_chain


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_concurrent_appends_form_one_valid_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("threads need a server database; SQLite is covered by the file-database test below")
    errors = append_concurrently()
    assert errors == []
    assert AuditEntry.objects.count() == THREADS * PER_THREAD
    result = verify_chain()
    assert result.ok, result.problems
    assert result.checked == THREADS * PER_THREAD


def test_on_sqlite_concurrent_appends_form_one_valid_chain(tmp_path) -> None:
    # A real SQLite file with the installation's settings (WAL, IMMEDIATE transactions), in a
    # separate process, because the test runner's in-memory database locks differently.
    env = {**os.environ, "WASPADA_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "waspada.audit.tests.concurrent_appends"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["entries"] == THREADS * PER_THREAD
    assert outcome["ok"], outcome["problems"]
