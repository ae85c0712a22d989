"""Django's `flush`, able to empty the audit table on SQLite.

On SQLite `flush` deletes rows with DELETE, which the audit table's triggers refuse; every
transactional test (live server, browser tests) ends with a flush. This lifts the triggers
for the purge and puts them back in the same transaction. PostgreSQL empties tables with
TRUNCATE, which the row triggers do not see, so there it is Django's command unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from waspada.audit import guards


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        alias = options.get("database") or DEFAULT_DB_ALIAS
        connection = connections[alias]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with transaction.atomic(using=alias):
            guarded = guards.present(connection)
            guards.remove(connection)
            super().handle(**options)
            if guarded:
                guards.install(connection)
