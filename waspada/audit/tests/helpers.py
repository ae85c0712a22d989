"""Shared by the audit tests: people, entries, and editing the database as an attacker would."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from waspada.audit import guards
from waspada.audit.actions import record
from waspada.audit.models import AuditEntry


def person(username: str = "analis.kesbangpol", **extra: Any) -> Any:
    return get_user_model().objects.create_user(username=username, password="rahasia-sekali-123", **extra)


def append(count: int, *, actor: Any = None, action: str = "membership.added") -> list[AuditEntry]:
    entries = []
    for number in range(count):
        with transaction.atomic():
            entries.append(
                record(
                    action=action,
                    actor=actor,
                    object_type="forums.membership",
                    object_id=str(number),
                    changes={"role": [None, "anggota"], "n": number},
                    channel="system",
                )
            )
    return entries


def tamper(entry_id: int, column: str, value: Any) -> None:
    """Overwrite one column of one entry by hand, triggers dropped first."""
    placeholder = "CAST(%s AS jsonb)" if column == "changes" and connection.vendor == "postgresql" else "%s"
    raw_sql(f"UPDATE audit_auditentry SET {column} = {placeholder} WHERE id = %s", [value, entry_id])  # noqa: S608


def delete_by_hand(*entry_ids: int) -> None:
    marks = ", ".join(["%s"] * len(entry_ids))
    raw_sql(f"DELETE FROM audit_auditentry WHERE id IN ({marks})", list(entry_ids))  # noqa: S608


def raw_sql(sql: str, params: list[Any] | None = None) -> None:
    """Run SQL with the append-only triggers dropped, as someone with database access would."""
    guards.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
    finally:
        guards.install(connection)
