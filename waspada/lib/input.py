"""The rules every value sent to a page must keep, whatever form or field it is for.

One place, so that a form or a query parameter added tomorrow is covered without a line of its
own (``security/input.py`` applies them to every page request; the API's parser applies the same
character rules to JSON, queries and paths in ``waspada/api.py``):

- **No NUL character** (U+0000): PostgreSQL can neither store nor compare text holding one, and
  SQLite would keep it, even in the append-only audit trail, where it would make a restore into
  PostgreSQL impossible. Nobody types it.
- **No lone surrogate** (U+D800 to U+DFFF on its own): not a character; no encoder can write it.
- **Dates within 1 January 1900 to 31 December 2100**: a value that is a whole ISO date or date
  and time (``2026-12-07``, ``2026-12-07T09:30``) with a year outside that range is a typing
  mistake, and a day past the last one the calendar holds overflows (``9999-12-31`` plus one day).
- **Whole numbers within a 64-bit id**: a value made only of digits that is larger than any
  database id (2**63 - 1, nineteen digits) is refused; telephone numbers (at most 15 digits) and NIKs
  (16) stay well inside. The same holds for a number-only segment of the path.
- **A year parameter** (``…__year``, the admin's date drill-down) is a year within that range.

Each refusal names the field and the reason, in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2100, 12, 31)
MAX_ID = 2**63 - 1

# A whole value that is an ISO date, optionally with a time (and a zone): its year is checked.
_ISO_DAY = re.compile(r"([+-]?\d{4,})-\d{1,2}-\d{1,2}(?:[T ][\d:.,]+(?:Z|[+-][\d:]+)?)?", re.ASCII)
_WHOLE_NUMBER = re.compile(r"[+-]?\d+", re.ASCII)


@dataclass(frozen=True)
class Refusal:
    field: str
    code: str  # null_character, surrogate, date_range, number_range
    message: str


def _has_lone_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _date_refusal(field: str) -> Refusal:
    return Refusal(
        field,
        "date_range",
        _("Tanggal pada isian “%(field)s” harus antara 1 Januari 1900 dan 31 Desember 2100.")
        % {"field": field},
    )


def refusal_of(name: str, value: str) -> Refusal | None:
    """Why ``value`` sent as field ``name`` is refused, or None when it keeps every rule."""
    shown = name if "\x00" not in name and not _has_lone_surrogate(name) else "?"
    if "\x00" in value:
        return Refusal(
            shown,
            "null_character",
            _("Isian “%(field)s” berisi karakter NUL (kode 0), yang tidak diizinkan.") % {"field": shown},
        )
    if _has_lone_surrogate(value):
        return Refusal(
            shown,
            "surrogate",
            _("Isian “%(field)s” berisi karakter yang tidak sah (surrogate Unicode tanpa pasangan).")
            % {"field": shown},
        )
    text = value.strip()
    if _WHOLE_NUMBER.fullmatch(text):
        digits = text.lstrip("+-").lstrip("0")
        # compared by length first: int() of thousands of digits is itself refused by Python
        if len(digits) > 19 or (len(digits) == 19 and int(digits) > MAX_ID):
            return Refusal(
                shown, "number_range", _("Angka pada isian “%(field)s” terlalu besar.") % {"field": shown}
            )
    if (
        name.endswith("__year")
        and text
        and not (text.isascii() and text.isdigit() and 1900 <= int(text) <= 2100)
    ):
        # the admin's date drill-down (``started_at__year=…``): a year, within the same range
        return _date_refusal(shown)
    day = _ISO_DAY.fullmatch(text) if len(text) <= 60 else None
    if day is not None and not EARLIEST_DAY.year <= int(day.group(1)) <= LATEST_DAY.year:
        return _date_refusal(shown)
    return None


def first_refusal(items: Iterable[tuple[str, list[str]]]) -> Refusal | None:
    """The first refused value (or field name) among ``items``: a QueryDict's ``lists()``."""
    for name, values in items:
        if "\x00" in name or _has_lone_surrogate(name):
            return refusal_of("?", name)
        for value in values:
            if not isinstance(value, str):
                continue  # an uploaded file: checked by content in lib/uploads.py
            refused = refusal_of(name, value)
            if refused is not None:
                return refused
    return None


def path_id_out_of_range(path: str) -> bool:
    """Whether a number-only segment of ``path`` is larger than any database id could be."""
    return any(
        len(segment) > 18 and segment.isascii() and segment.isdigit() and int(segment) > MAX_ID
        for segment in path.split("/")
    )
