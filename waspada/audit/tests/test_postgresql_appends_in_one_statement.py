"""On PostgreSQL an append holds the chain's lock for one statement: the server hashes the entry.

The server's hash must be the very one ``compute_hash`` gives, whatever the entry holds: quotes,
backslashes, non-ASCII names, control characters, nested values.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from waspada.audit.actions import record
from waspada.audit.models import AuditEntry, AuditHead
from waspada.audit.tests.helpers import append, person, tamper
from waspada.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite appends under its database write lock, in Python")


def test_once_the_head_exists_an_append_is_a_single_statement() -> None:
    append(1)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        record(action="report.submitted", actor=None, object_type="reports.report", object_id="7")
    statements = [q["sql"] for q in queries.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")]
    statements = [sql for sql in statements if not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert len(statements) == 1
    assert "FOR UPDATE" in statements[0]


def test_the_servers_hash_is_the_one_python_computes_for_awkward_content() -> None:
    analyst = person(first_name="Dewi", last_name='Ñ "Lémbok" \\ ')
    append(1)
    with transaction.atomic():
        entry = record(
            action="report.submitted",
            actor=analyst,
            object_type="reports.report",
            object_id="SKD-6401-2026-000001",
            changes={
                "judul": 'Warga "Dayak Paser" \\ berkumpul\tdi Desa Lémbok\u0001 — 10 %',
                "nested": {"b": [1, 2.5, None, True], "a": "ありがとう"},
                "@id-0@": "@prev-0@",
            },
        )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.entry_hash == entry.entry_hash == stored.compute_hash()
    assert AuditHead.objects.get(pk=1).entry_id == entry.pk
    result = verify_chain()
    assert result.ok, result.problems
    assert result.checked == 2


def test_an_edited_entry_written_by_the_server_is_still_caught() -> None:
    second = append(3)[1]
    tamper(second.pk, "object_id", "99")
    result = verify_chain()
    assert not result.ok
    assert any(f"#{second.pk}" in problem for problem in result.problems)
