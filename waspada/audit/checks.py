"""System checks for the audit trail's assumptions about the database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def sqlite_serialises_appends(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """On SQLite, appends stay one chain only if each write transaction starts with the lock.

    ``record()`` reads the newest hash, then inserts. In SQLite's default DEFERRED mode two
    transactions can both read before either writes; IMMEDIATE takes the write lock at BEGIN,
    so the second waits for the first to commit and then reads its hash.
    """
    return sqlite_errors(settings.DATABASES)


def sqlite_errors(databases: Mapping[str, Mapping[str, Any]]) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for alias, database in databases.items():
        if database.get("ENGINE") != "django.db.backends.sqlite3":
            continue
        mode = str(database.get("OPTIONS", {}).get("transaction_mode") or "").upper()
        if mode != "IMMEDIATE":
            errors.append(
                Error(
                    f"Database {alias!r}: SQLite must use OPTIONS transaction_mode 'IMMEDIATE'.",
                    hint="Without it concurrent audit appends fail or race; see waspada/audit/actions.py.",
                    id="audit.E001",
                )
            )
    return errors
