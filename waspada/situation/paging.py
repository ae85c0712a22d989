"""Keyset pagination: "older than this row" instead of OFFSET, so page 4000 costs what page 1 does.

The cursor is the last row's (time, id), written as ``<microseconds since epoch>.<id>``. The
list's order is (time desc, id desc), which both lists' indexes serve. The total is counted only
up to ``COUNT_LIMIT`` ("lebih dari 1000"): counting a million visible rows exactly on every page
view is the slow part, and nobody pages through them one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q

PAGE_SIZE = 25
COUNT_LIMIT = 1000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Page:
    rows: list[Any]
    next_cursor: str | None
    is_first: bool
    count: int
    count_is_exact: bool


def encode(moment: datetime, pk: int) -> str:
    delta = moment - _EPOCH
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return f"{micros}.{pk}"


def decode(cursor: str) -> tuple[datetime, int] | None:
    try:
        micros, pk = cursor.split(".", 1)
        return _EPOCH + timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, OverflowError):
        return None


def keyset_page(queryset: Any, time_field: str, cursor: str = "", size: int = PAGE_SIZE) -> Page:
    """One page of ``queryset`` ordered newest first, after ``cursor`` (a bad cursor: the first page)."""
    ordered = queryset.order_by(f"-{time_field}", "-pk")
    position = decode(cursor) if cursor else None
    page_rows = ordered
    if position is not None:
        moment, pk = position
        page_rows = ordered.filter(
            Q(**{f"{time_field}__lt": moment}) | Q(**{time_field: moment, "pk__lt": pk})
        )
    rows = list(page_rows[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = encode(getattr(rows[-1], time_field), rows[-1].pk) if more and rows else None
    counted = queryset.order_by().values("pk")[: COUNT_LIMIT + 1].count()
    return Page(
        rows=rows,
        next_cursor=next_cursor,
        is_first=position is None,
        count=min(counted, COUNT_LIMIT),
        count_is_exact=counted <= COUNT_LIMIT,
    )
