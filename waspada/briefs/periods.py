"""Periods of the situation reports: a week (Monday to Sunday), a month, a quarter, in WITA.

A period is a pair of dates, both inclusive. The period compared against is the one of the same
length just before it (for a calendar week, month or quarter: the previous week, month, quarter).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BriefKind(models.TextChoices):
    MINGGUAN = "mingguan", _("Mingguan")
    BULANAN = "bulanan", _("Bulanan")
    TRIWULANAN = "triwulanan", _("Triwulanan")


MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes in the current (WITA) time zone."""
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    def previous(self) -> Period:
        if self.is_calendar():
            return calendar_period(self.kind, self.start - timedelta(days=1))
        return Period(self.kind, self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def is_calendar(self) -> bool:
        return calendar_period(self.kind, self.start) == self

    def label(self) -> str:
        """ "Minggu 24-30 November 2026", "November 2026", "Triwulan IV 2026", else the two dates."""
        if self.is_calendar():
            if self.kind == BriefKind.BULANAN:
                return f"{MONTHS[self.start.month - 1]} {self.start.year}"
            if self.kind == BriefKind.TRIWULANAN:
                quarter = ("I", "II", "III", "IV")[(self.start.month - 1) // 3]
                return f"Triwulan {quarter} {self.start.year}"
        return f"{format_date(self.start)} s.d. {format_date(self.end)}"


def format_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def calendar_period(kind: str, day: date) -> Period:
    """The calendar week (Monday first), month or quarter holding ``day``."""
    if kind == BriefKind.MINGGUAN:
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=6))
    if kind == BriefKind.BULANAN:
        start = day.replace(day=1)
        return Period(kind, start, _add_months(start, 1) - timedelta(days=1))
    if kind == BriefKind.TRIWULANAN:
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(kind, start, _add_months(start, 3) - timedelta(days=1))
    raise ValueError(f"unknown brief kind {kind!r}")


def due_period(kind: str, now: datetime, hour: int) -> Period:
    """The last complete calendar period whose report is due by ``now`` (WITA).

    A weekly report is due on Monday at ``hour``:00 for the week that ended on Sunday, a monthly
    one on the 1st, a quarterly one on the first day of the quarter.
    """
    local = timezone.localtime(now)
    today = local.date()
    if local.time() < time(hour):
        today -= timedelta(days=1)  # before the hour, the previous day's schedule still holds
    current = calendar_period(kind, today)
    return calendar_period(kind, current.start - timedelta(days=1))
