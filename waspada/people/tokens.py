"""Personal API tokens: make, check and revoke.

A token is ``wsp_`` followed by 40 random URL-safe characters (240 bits). The database keeps
only its SHA-256 digest, so a copy of the database does not give anyone API access; a
digest of a high-entropy secret needs no slow hash, and a lookup by digest takes constant
time whatever the number of tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.audit.actions import record
from waspada.people.models import ApiToken, Person

PREFIX = "wsp_"
# Writing last_used_at on every request would turn each API read into a write; once a
# minute is enough to show a person which of their tokens are in use.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(*, person: Person, name: str, by: Person | None) -> tuple[ApiToken, str]:
    """Make a token for ``person``; returns the stored row and the token, shown only once."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Nama token wajib diisi, mis. 'Aplikasi ponsel'.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Nama token paling panjang 100 karakter.")})
    if not person.is_active:
        raise ValidationError(_("Akun %(person)s tidak aktif.") % {"person": person})
    raw = PREFIX + secrets.token_urlsafe(30)
    with transaction.atomic():
        token = ApiToken.objects.create(person=person, name=name, digest=digest_of(raw), hint=raw[:8])
        record(action="token.created", actor=by, obj=token, changes={"person": person.username, "name": name})
    return token, raw


def revoke_token(*, token: ApiToken, by: Person | None) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(action="token.revoked", actor=by, obj=token, changes={"person": token.person_id})
    return token


def revoke_all_tokens(
    *, person: Person, by: Person | None, reason: str, request: Any = None, channel: str | None = None
) -> int:
    """Revoke every live token of ``person``: what a password change, a password reset and a
    second-factor reset do, in the caller's transaction, so that a token taken with the old
    password or phone stops working with it. One audit entry (``token.revoked_all``) with the
    reason and how many; returns that number."""
    with transaction.atomic():
        live = list(ApiToken.objects.live().select_for_update().filter(person_id=person.pk).order_by("pk"))
        if not live:
            return 0
        ApiToken.objects.filter(pk__in=[token.pk for token in live]).update(revoked_at=timezone.now())
        extra: dict[str, Any] = {"request": request}
        if channel is not None:
            extra["channel"] = channel
        record(
            action="token.revoked_all",
            actor=by,
            obj=person,
            changes={"reason": reason, "count": len(live), "tokens": [token.pk for token in live]},
            **extra,
        )
    return len(live)


def _live_token(digest: str) -> ApiToken | None:
    """``ApiToken.objects.live().select_related("person").filter(digest=digest).first()`` in one
    plain statement: every API request asks it, and compiling that queryset cost more than the
    lookup (docs/benchmarks.md, intake). Values pass through the fields' database converters, as
    the ORM's would."""
    from django.db import connections, router

    alias = router.db_for_read(ApiToken)
    connection = connections[alias]
    token_table, person_table = ApiToken._meta.db_table, Person._meta.db_table
    parts: list[tuple[Any, str, list[Any]]] = [
        (ApiToken, token_table, list(ApiToken._meta.concrete_fields)),
        (Person, person_table, list(Person._meta.concrete_fields)),
    ]
    columns = ", ".join(f'{table}."{f.column}"' for _model, table, fields in parts for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {token_table} "  # noqa: S608 - names from the models
            f'INNER JOIN {person_table} ON {person_table}."id" = {token_table}."person_id" '
            f'WHERE {token_table}."digest" = %s AND {token_table}."revoked_at" IS NULL LIMIT 1',
            [digest],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    values = iter(row)
    made: list[Any] = []
    for model, table, fields in parts:
        converted = []
        for f in fields:
            value = next(values)
            col = f.get_col(table)
            for convert in connection.ops.get_db_converters(col) + col.get_db_converters(connection):
                value = convert(value, col, connection)
            converted.append(value)
        made.append(model.from_db(alias, [f.attname for f in fields], converted))
    token, person = made
    ApiToken.person.field.set_cached_value(token, person)
    return token


def person_for_token(raw: str) -> Person | None:
    """The active person a live token belongs to, or None."""
    if not raw.startswith(PREFIX):
        return None
    token = _live_token(digest_of(raw))
    if token is None or not token.person.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person
