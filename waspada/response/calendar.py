"""Working time in WITA: weekends, Indonesian public holidays and joint leave days, and the days
off each regency's (or the province's) Kesbangpol adds.

National days come from the maintained ``holidays`` package (public holidays and the
government's *cuti bersama*, which close government offices too); regional days off are
``DayOff`` rows. A clock runs in a place (the region of the report or of the disposition's
report): a ``DayOff`` stops it when the row is installation-wide (no region) or belongs to the
place's regency or its province. Paser's hari jadi does not stop Penajam Paser Utara's clocks,
and a day off of Kalimantan Timur stops both.

A deadline of N working days ends at 23:59:59 WITA of the Nth working day after the day the
clock starts: a disposition made on Friday with 3 working days is due at the
end of Wednesday. A deadline in hours is wall-clock time (an ``awas`` report does not wait for
Monday).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Q

from waspada.lib.dates import as_date

WITA = ZoneInfo("Asia/Makassar")
END_OF_DAY = time(23, 59, 59)


@lru_cache(maxsize=64)
def national_days_off(year: int) -> dict[date, str]:
    """Public holidays and cuti bersama for ``year``, named in Indonesian."""
    calendar = holidays.country_holidays(
        "ID", years=year, categories=(holidays.PUBLIC, holidays.GOVERNMENT), language="id"
    )
    return dict(calendar.items())


def places_of(region: str | None) -> list[str]:
    """The region codes whose days off stop a clock running in ``region``: its province and its
    regency ("64.01.06.2001" → ["64", "64.01"]). None (no place known): none of them."""
    if not region:
        return []
    parts = region.split(".")
    return [".".join(parts[:n]) for n in (1, 2) if len(parts) >= n]


def days_off_q(region: str | None) -> Q:
    """The ``DayOff`` rows that count in ``region``: the installation's, its regency's, its province's."""
    return Q(region__isnull=True) | Q(region_id__in=places_of(region))


def regional_days_off(start: date, end: date, region: str | None = None) -> dict[date, str]:
    """The regional days off between ``start`` and ``end`` that count in ``region``, in one query.

    When a day is off both for the whole installation and for the place, the place's own name
    is given (the most specific row wins).
    """
    from django.db import connection

    from waspada.response.models import DayOff

    # Every report filed computes a deadline, so this is one plain statement, not a queryset
    # compiled each time (docs/benchmarks.md, intake); the same rows as
    # DayOff.objects.filter(days_off_q(region), date__range=(start, end)).
    table = DayOff._meta.db_table
    places = places_of(region)
    marks = ", ".join(["%s"] * len(places))
    in_place = f' OR "region_id" IN ({marks})' if places else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "date", "name" FROM {table} WHERE ("region_id" IS NULL{in_place}) '  # noqa: S608 - table name from the model
            'AND "date" >= %s AND "date" <= %s ORDER BY "date", "region_id" NULLS FIRST',
            [*places, start, end],
        )
        rows = cursor.fetchall()
    return {as_date(day): name for day, name in rows}


def day_off_reason(
    day: date, regional: Mapping[date, str] | None = None, *, region: str | None = None
) -> str | None:
    """Why ``day`` is not a working day in ``region`` ("Sabtu", a holiday's name…), or None if it
    is one. ``regional``: the regional days off already read for the place (else one query)."""
    if day.weekday() == 5:
        return "Sabtu"
    if day.weekday() == 6:
        return "Minggu"
    name = national_days_off(day.year).get(day)
    if name:
        return name
    if regional is not None:
        return regional.get(day)
    return regional_days_off(day, day, region).get(day)


def is_working_day(
    day: date, regional: Mapping[date, str] | None = None, *, region: str | None = None
) -> bool:
    return day_off_reason(day, regional, region=region) is None


def add_working_days(
    start: datetime,
    days: int,
    *,
    region: str | None = None,
    regional: Mapping[date, str] | None = None,
) -> datetime:
    """The end (23:59:59 WITA) of the ``days``-th working day after ``start``'s day in WITA, for a
    clock running in ``region`` (a region code; None counts installation-wide days off only).

    ``regional``: the regional days off to use instead of reading them (a data migration that
    must not read today's ``DayOff`` table).
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    day = start.astimezone(WITA).date()
    if regional is not None:
        return _count(day, days, lambda _start, _end: dict(regional))
    return _count(day, days, lambda first, last: regional_days_off(first, last, region))


def _count(day: date, days: int, read: Callable[[date, date], dict[date, str]]) -> datetime:
    # Regional days off for the span we are likely to walk, read in one query.
    known_until = day + timedelta(days=days * 3 + 60)
    regional = read(day, known_until)
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if day > known_until:
            known_until = day + timedelta(days=365)
            regional.update(read(day, known_until))
        if is_working_day(day, regional):
            counted += 1
    return datetime.combine(day, END_OF_DAY, tzinfo=WITA)


def working_days_between(start: datetime, end: datetime, *, region: str | None = None) -> int:
    """Working days strictly after ``start``'s day up to and including ``end``'s day (WITA), in
    ``region``."""
    first = start.astimezone(WITA).date()
    last = end.astimezone(WITA).date()
    if last <= first:
        return 0
    regional = regional_days_off(first, last, region)
    return sum(
        1 for n in range(1, (last - first).days + 1) if is_working_day(first + timedelta(days=n), regional)
    )
