"""Writing the audit trail: ``record()`` and the helpers actions use to describe a change.

Every action in every app calls ``record()`` inside the same ``transaction.atomic()`` block
as the change it describes, so a rolled-back change leaves no entry and no entry exists
without its change::

    with transaction.atomic():
        before = snapshot(membership, ["role", "ended_at"])
        membership.role = Role.KETUA
        membership.save(update_fields=["role"])
        record(action="membership.changed", actor=by, obj=membership,
               changes=diff(before, snapshot(membership, ["role", "ended_at"])), request=request)

Appends are serialised so that the chain never forks: on PostgreSQL by a row lock on the head
(one statement that locks, chains, hashes, inserts and moves the head; an advisory lock while
there is no head row yet), on SQLite by the IMMEDIATE transaction mode the settings configure
(every write transaction takes the database's write lock when it begins; see ``checks.py``).
The lock is held until the caller's transaction ends, so an action records its entry as late
as it can: whatever it writes before runs in parallel with other appenders. The
unique constraint on ``prev_hash`` is the last line: a second entry pointing at the same
predecessor cannot be stored.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.http import HttpRequest
from django.utils import timezone

from waspada.audit.canonical import GENESIS_HASH, canonical_json, jsonable
from waspada.audit.models import AuditEntry, AuditHead, Channel

if TYPE_CHECKING:
    from waspada.people.models import Person

# Any constant works; it only has to be the same in every process that appends.
_POSTGRESQL_LOCK_KEY = 0x5741_5350_4144_41  # "WASPADA"

USER_AGENT_MAX = 255


class NotInTransactionError(RuntimeError):
    """``record()`` was called outside ``transaction.atomic()``."""


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from, normalised, or None if there is no usable one.

    Only REMOTE_ADDR for now. Behind a reverse proxy that is the proxy's address; reading
    X-Forwarded-For safely needs the list of trusted proxies, which belongs here, in this
    one function, when a deployment needs it.
    """
    if request is None:
        return None
    raw = str(request.META.get("REMOTE_ADDR") or "").strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # "::ffff:10.0.0.1" is the IPv4 client 10.0.0.1
    return str(address)


def user_agent(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("HTTP_USER_AGENT") or "")[:USER_AGENT_MAX]


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` on ``instance``, JSON-ready, for a later ``diff()``.

    A foreign key is recorded as the related object's primary key (``forum`` → its id), so
    taking a snapshot never runs a query.
    """
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            raise ValueError(f"snapshot() takes concrete fields; {name} is a to-many relation")
        attname = getattr(field, "attname", name)
        values[name] = jsonable(getattr(instance, attname))
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{"field": [old, new]}`` for every key whose value differs (missing counts as None)."""
    changed: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = jsonable(before.get(key)), jsonable(after.get(key))
        if old != new:
            changed[key] = [old, new]
    return changed


def actor_label(actor: Person | None) -> str:
    """How the actor is named in the trail: "Budi Santoso (budi)", or just the username."""
    if actor is None:
        return ""
    username = actor.get_username()
    name = actor.display_name
    return (username if name == username else f"{name} ({username})")[:300]


def record(
    *,
    action: str,
    actor: Person | None,
    obj: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    request: HttpRequest | None = None,
    channel: str = Channel.WEB,
    object_type: str | None = None,
    object_id: str | None = None,
) -> AuditEntry:
    """Append one entry to the audit trail and return it.

    Preconditions: called inside the caller's ``transaction.atomic()`` (else
    ``NotInTransactionError``); ``actor`` is None only for the system itself; ``changes``
    holds values ``jsonable()`` accepts and never a secret (no informant identities, no
    passwords: the trail is read by administrators).

    Steps, all in the caller's transaction:
    1. take the append lock (PostgreSQL: the head row, see ``_append_in_one_statement``, or
       the advisory lock while there is no head row; SQLite already holds its write lock);
    2. read the newest entry's hash, or the genesis hash for the first entry;
    3. take the next id, hash the new entry over all its fields, insert it;
    4. move the head checkpoint to it.
    """
    if not action or len(action) > 64:
        raise ValueError("action must be a short verb such as 'report.submitted'")
    if channel not in Channel.values:
        raise ValueError(f"unknown audit channel {channel!r}; one of {Channel.values}")
    connection = connections[DEFAULT_DB_ALIAS]
    if not connection.in_atomic_block:
        raise NotInTransactionError(
            "record() must run inside the transaction.atomic() block of the change it records"
        )
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = str(obj)[:200]
    else:
        object_repr = ""

    entry = AuditEntry(
        occurred_at=timezone.now(),
        actor=actor,
        actor_label=actor_label(actor),
        action=action,
        object_type=object_type or "",
        object_id=(object_id or "")[:64],
        object_repr=object_repr,
        changes=jsonable(dict(changes or {})),
        source_ip=client_ip(request),
        user_agent=user_agent(request),
        channel=str(channel),
    )
    if connection.vendor == "postgresql" and _append_in_one_statement(connection, entry):
        return entry
    _lock(connection)
    _last_id, last_hash, new_id = _last_and_next(connection)
    entry.id = new_id
    entry.prev_hash = last_hash or GENESIS_HASH
    entry.entry_hash = entry.compute_hash()
    entry.save(force_insert=True)
    # One upsert moves the head (the row is created by the first append).
    _move_head(connection, entry)
    return entry


def _move_head(connection: Any, entry: AuditEntry) -> None:
    head = AuditHead._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {head} (id, entry_id, entry_hash, updated_at) VALUES (1, %s, %s, %s) "  # noqa: S608
            "ON CONFLICT (id) DO UPDATE SET entry_id = excluded.entry_id, "
            "entry_hash = excluded.entry_hash, updated_at = excluded.updated_at",
            [entry.pk, entry.entry_hash, entry.occurred_at],
        )


def _append_in_one_statement(connection: Any, entry: AuditEntry) -> bool:
    """PostgreSQL: lock the head, chain, insert and move the head in one statement.

    The lock on the head row is held until the caller's transaction ends, so appends queue
    behind each other exactly as with the advisory lock, but the time each holds it shrinks to
    one round trip and the commit: the entry is hashed by the server (``sha256`` over the same
    canonical JSON that ``compute_hash`` produces, with the id and previous hash put in place
    of two one-off tokens), so no Python runs while the lock is held. In READ COMMITTED, a
    ``FOR UPDATE`` that waited re-reads the head as the appender before it left it.

    Returns False, having written nothing, when there is no head row yet (the first entry, or
    after ``flush``): the caller then takes the advisory-lock path, which creates it.
    """
    token = secrets.token_hex(16)
    id_token, prev_token = f"@id-{token}@", f"@prev-{token}@"
    payload = entry.hash_payload() | {"id": id_token, "prev_hash": prev_token}
    template = canonical_json(payload)
    if template.count(id_token) != 1 or template.count(prev_token) != 1:
        return False  # a token inside the content itself: astronomically unlikely, but exact
    table, head = AuditEntry._meta.db_table, AuditHead._meta.db_table
    sql = f"""
        WITH locked AS (SELECT entry_hash FROM {head} WHERE id = 1 FOR UPDATE),
        new AS (
            SELECT locked.entry_hash AS prev, nextval(pg_get_serial_sequence(%(table)s, 'id')) AS id
            FROM locked
        ),
        inserted AS (
            INSERT INTO {table} (id, occurred_at, actor_id, actor_label, action, object_type,
                object_id, object_repr, changes, source_ip, user_agent, channel, prev_hash, entry_hash)
            SELECT new.id, %(occurred_at)s, %(actor_id)s, %(actor_label)s, %(action)s, %(object_type)s,
                %(object_id)s, %(object_repr)s, %(changes)s::jsonb, %(source_ip)s, %(user_agent)s,
                %(channel)s, new.prev,
                encode(sha256(convert_to(replace(
                    replace(%(template)s, %(quoted_id_token)s, new.id::text), %(prev_token)s, new.prev
                ), 'UTF8')), 'hex')
            FROM new
            RETURNING id, prev_hash, entry_hash
        )
        UPDATE {head}
        SET entry_id = inserted.id, entry_hash = inserted.entry_hash, updated_at = %(occurred_at)s
        FROM inserted WHERE {head}.id = 1
        RETURNING inserted.id, inserted.prev_hash, inserted.entry_hash
    """  # noqa: S608 - table names from the models; every value is a parameter
    params = {
        "table": table,
        "occurred_at": entry.occurred_at,
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": json.dumps(entry.changes, ensure_ascii=False),
        "source_ip": entry.source_ip,
        "user_agent": entry.user_agent,
        "channel": entry.channel,
        "template": template,
        "quoted_id_token": f'"{id_token}"',
        "prev_token": prev_token,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    entry.id, entry.prev_hash, entry.entry_hash = int(row[0]), row[1], row[2]
    entry._state.adding = False
    entry._state.db = connection.alias
    return True


def _lock(connection: Any) -> None:
    """Serialise appends until the end of the caller's transaction.

    PostgreSQL: the advisory lock queues the appenders that found no head row; then the head
    row, if another appender has created it meanwhile, is locked as the one-statement path
    locks it, so both paths queue behind the same lock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_POSTGRESQL_LOCK_KEY])
            cursor.execute(f"SELECT 1 FROM {AuditHead._meta.db_table} WHERE id = 1 FOR UPDATE")  # noqa: S608


def _last_and_next(connection: Any) -> tuple[int, str | None, int]:
    """The newest entry's id and hash, and the new entry's id, in one round trip.

    The id is known before the insert because the hash covers it. PostgreSQL: the table's
    own identity sequence, so ids are never reused even after a rollback. Elsewhere: one past
    the newest entry (the write lock is held).
    """
    table = AuditEntry._meta.db_table
    newest = f"(SELECT {{}} FROM {table} ORDER BY id DESC LIMIT 1)"  # noqa: S608 - model's table name
    if connection.vendor == "postgresql":
        sequence = "nextval(pg_get_serial_sequence(%s, 'id'))"
        sql = f"SELECT {newest.format('id')}, {newest.format('entry_hash')}, {sequence}"
        params: list[Any] = [table]
    else:
        sql = f"SELECT {newest.format('id')}, {newest.format('entry_hash')}, NULL"
        params = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        last_id, last_hash, next_id = cursor.fetchone()
    last_id = int(last_id or 0)
    return last_id, last_hash, int(next_id) if next_id is not None else last_id + 1
