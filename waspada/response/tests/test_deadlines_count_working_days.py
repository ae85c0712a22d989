"""Deadlines in working days skip weekends, national holidays, joint leave and regional days off."""

from datetime import datetime

import pytest

from waspada.response.calendar import WITA, add_working_days, day_off_reason, working_days_between
from waspada.response.models import DayOff


def wita(*args: int) -> datetime:
    return datetime(*args, tzinfo=WITA)


@pytest.mark.django_db
def test_three_working_days_from_a_friday_end_on_wednesday_night() -> None:
    assert add_working_days(wita(2026, 11, 27, 10, 0), 3) == wita(2026, 12, 2, 23, 59, 59)


@pytest.mark.django_db
def test_a_deadline_spanning_nyepi_and_idul_fitri_2026_skips_the_whole_holiday_week() -> None:
    # Thu 19 March 2026 is Nyepi; Fri 20 and Mon 23 to Tue 24 are cuti bersama around Idul Fitri
    # (Sat 21, Sun 22). The first working day after the 19th is Wed 25 March.
    assert day_off_reason(wita(2026, 3, 20).date()) is not None
    assert day_off_reason(wita(2026, 3, 24).date()) is not None
    assert add_working_days(wita(2026, 3, 19, 9, 30), 3) == wita(2026, 3, 27, 23, 59, 59)


@pytest.mark.django_db
def test_christmas_and_the_weekend_do_not_count() -> None:
    # Wed 23 Dec 2026 → Thu 24 (cuti bersama), Fri 25 (Natal), Sat, Sun: Mon 28 is day 1.
    assert add_working_days(wita(2026, 12, 23, 15, 0), 1) == wita(2026, 12, 28, 23, 59, 59)


@pytest.mark.django_db
def test_a_regional_day_off_added_by_kesbangpol_moves_the_deadline() -> None:
    start = wita(2026, 11, 27, 10, 0)
    DayOff.objects.create(date=wita(2026, 12, 1).date(), name="Hari jadi uji coba")
    assert add_working_days(start, 3) == wita(2026, 12, 3, 23, 59, 59)
    assert day_off_reason(wita(2026, 12, 1).date()) == "Hari jadi uji coba"


@pytest.mark.django_db
def test_the_day_counts_in_wita_not_utc() -> None:
    # 23:30 WITA on Monday is still Monday in Paser (15:30 UTC), so day 1 is Tuesday.
    from datetime import UTC

    late_monday = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)
    assert add_working_days(late_monday, 1) == wita(2026, 12, 1, 23, 59, 59)


@pytest.mark.django_db
def test_working_days_between_counts_only_working_days() -> None:
    assert working_days_between(wita(2026, 11, 27, 9), wita(2026, 12, 2, 9)) == 3
    assert working_days_between(wita(2026, 12, 2, 9), wita(2026, 11, 27, 9)) == 0
