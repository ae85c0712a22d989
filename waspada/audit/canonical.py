"""Canonical JSON for the audit chain: one byte string per entry, whichever database stored it.

An entry's hash is computed when it is written and again, years later, from what the
database hands back. Both must produce the same bytes, so every value is reduced to plain
JSON types *before* it is stored, in a form that survives a round trip through SQLite's
JSON text and PostgreSQL's ``jsonb`` unchanged:

- floats that are whole numbers become ints (``jsonb`` prints ``1e16`` back as an integer),
  and NaN/infinity become strings (JSON has no such numbers);
- datetimes become ISO-8601 in UTC with microseconds, dates and times ISO-8601;
- Decimals and UUIDs become strings, model instances their primary key, choices their value.

Anything else is refused with ``TypeError`` rather than written as an unreadable ``repr``.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import math
import uuid
from collections.abc import Mapping
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.db import models
from django.utils.functional import Promise

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first entry: there is nothing before it."""


def utc_iso(value: dt.datetime) -> str:
    """ISO-8601 in UTC with microseconds, e.g. ``2025-06-01T02:30:00.000000+00:00``.

    A naive datetime cannot be placed on the timeline, so it is refused: with USE_TZ every
    datetime Django hands back is aware.
    """
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime in an audit entry; use django.utils.timezone.now()")
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def jsonable(value: Any) -> Any:
    """``value`` reduced to plain JSON types in the canonical form described above."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, str):
        return str(value)  # drops str subclasses (SafeString, TextChoices) to a plain str
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() else value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return utc_iso(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds() if value.microseconds else int(value.total_seconds())
    if isinstance(value, uuid.UUID | PurePath | Promise):
        return str(value)
    if isinstance(value, models.Model):
        return jsonable(value.pk)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((jsonable(item) for item in value), key=canonical_json)
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    raise TypeError(f"cannot record a {type(value).__name__} in the audit trail: {value!r}")


def canonical_json(value: Any) -> str:
    """The one serialisation of ``value`` that hashes are computed over."""
    return json.dumps(
        jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
