"""Database triggers that refuse UPDATE and DELETE on the audit table.

They catch what the ORM guards cannot: raw SQL, a query tool, another program using the
same database. Someone who can drop triggers can still edit rows; that is what the hash
chain and ``waspada audit verify`` are for.

Installed by migration ``0002_append_only_guards``. Changing the SQL here changes what a
fresh install gets, so a change needs a new migration that reinstalls the triggers.

PostgreSQL has no TRUNCATE trigger on purpose: Django's ``flush`` (and every transactional
test) empties tables with TRUNCATE. SQLite's ``flush`` uses DELETE, so the audit app's
``flush`` command lifts these triggers for the duration of the purge.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditentry"

_MESSAGE = "audit_auditentry is append-only (jejak audit tidak boleh diubah atau dihapus)"

_POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_auditentry_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{_MESSAGE}: % refused', TG_OP USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    f"""
    CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_auditentry_append_only()
    """,
]
_POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_auditentry_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_auditentry_append_only()",
]

_SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{_MESSAGE}: UPDATE refused'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS audit_auditentry_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{_MESSAGE}: DELETE refused'); END
    """,
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditentry_no_update",
    "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
]


def _statements(connection: BaseDatabaseWrapper, *, install: bool) -> list[str]:
    if connection.vendor == "postgresql":
        return _POSTGRESQL_INSTALL if install else _POSTGRESQL_REMOVE
    if connection.vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_REMOVE
    return []  # other databases: the ORM guards and the chain still apply


def present(connection: BaseDatabaseWrapper) -> bool:
    """Whether the SQLite triggers are installed (the migration may not have run yet)."""
    if connection.vendor != "sqlite":
        raise NotImplementedError("present() is only needed for SQLite")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        row = cursor.fetchone()
    return bool(row and row[0])


def install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=True):
            cursor.execute(statement)


def remove(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=False):
            cursor.execute(statement)
