"""Working time in WITA: weekends, Indonesian public holidays and joint leave days, and the days
off Kesbangpol adds for the regency.

National days come from the maintained ``holidays`` package (public holidays and the
government's *cuti bersama*, which close government offices too); regional days off are
``DayOff`` rows. A deadline of N working days ends at 23:59:59 WITA of the Nth working day
after the day the clock starts: a disposition made on Friday with 3 working days is due at the
end of Wednesday. A deadline in hours is wall-clock time (an ``awas`` report does not wait for
Monday).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

WITA = ZoneInfo("Asia/Makassar")
END_OF_DAY = time(23, 59, 59)


@lru_cache(maxsize=64)
def national_days_off(year: int) -> dict[date, str]:
    """Public holidays and cuti bersama for ``year``, named in Indonesian."""
    calendar = holidays.country_holidays(
        "ID", years=year, categories=(holidays.PUBLIC, holidays.GOVERNMENT), language="id"
    )
    return dict(calendar.items())


def regional_days_off(start: date, end: date) -> dict[date, str]:
    from waspada.response.models import DayOff

    return dict(DayOff.objects.filter(date__gte=start, date__lte=end).values_list("date", "name"))


def day_off_reason(day: date, regional: dict[date, str] | None = None) -> str | None:
    """Why ``day`` is not a working day ("Sabtu", a holiday's name…), or None if it is one."""
    if day.weekday() == 5:
        return "Sabtu"
    if day.weekday() == 6:
        return "Minggu"
    name = national_days_off(day.year).get(day)
    if name:
        return name
    if regional is not None:
        return regional.get(day)
    return regional_days_off(day, day).get(day)


def is_working_day(day: date, regional: dict[date, str] | None = None) -> bool:
    return day_off_reason(day, regional) is None


def add_working_days(start: datetime, days: int) -> datetime:
    """The end (23:59:59 WITA) of the ``days``-th working day after ``start``'s day in WITA."""
    if days < 1:
        raise ValueError("days must be at least 1")
    day = start.astimezone(WITA).date()
    # Regional days off for the span we are likely to walk, read in one query.
    known_until = day + timedelta(days=days * 3 + 60)
    regional = regional_days_off(day, known_until)
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if day > known_until:
            known_until = day + timedelta(days=365)
            regional.update(regional_days_off(day, known_until))
        if is_working_day(day, regional):
            counted += 1
    return datetime.combine(day, END_OF_DAY, tzinfo=WITA)


def working_days_between(start: datetime, end: datetime) -> int:
    """Working days strictly after ``start``'s day up to and including ``end``'s day (WITA)."""
    first = start.astimezone(WITA).date()
    last = end.astimezone(WITA).date()
    if last <= first:
        return 0
    regional = regional_days_off(first, last)
    return sum(
        1 for n in range(1, (last - first).days + 1) if is_working_day(first + timedelta(days=n), regional)
    )
