"""Dates as the database hands them back."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def as_date(value: Any) -> date:
    """A date column or a day's truncation read back: SQLite gives text ("2026-12-07"), a
    truncation to the week may give a datetime, PostgreSQL a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value
