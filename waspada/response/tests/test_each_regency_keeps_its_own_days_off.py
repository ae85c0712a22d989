"""Each regency keeps its own days off: a day off stops the clocks of the places it belongs to.

A ``DayOff`` of Paser (64.01) moves the deadlines of Paser's reports and dispositions and not
Penajam Paser Utara's (64.09); one of the province (64) moves both; one without a region (the
whole installation) moves every clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from waspada.regions.models import Region
from waspada.reports.verification import verification_deadline
from waspada.response.actions import deadline_for
from waspada.response.calendar import WITA, add_working_days, day_off_reason, working_days_between
from waspada.response.models import DayOff
from waspada.response.tests.helpers import verified

pytestmark = pytest.mark.django_db

PASER_VILLAGE = "64.01.06.2001"  # Desa Lombok, Long Ikis
PPU_VILLAGE = "64.09.04.1005"  # Kelurahan Sepaku, Penajam Paser Utara
# Friday 27 November 2026, 10:00 WITA: three working days end on Wednesday 2 December.
FRIDAY = datetime(2026, 11, 27, 10, 0, tzinfo=WITA)
TUESDAY = date(2026, 12, 1)


def wita_end(*args: int) -> datetime:
    return datetime(*args, 23, 59, 59, tzinfo=WITA)


def day_off(region: str | None, on: date = TUESDAY, name: str = "Hari jadi") -> DayOff:
    return DayOff.objects.create(date=on, name=name, region_id=region)


def test_a_paser_day_off_moves_a_paser_deadline_and_not_a_ppu_one(kaltim: Region) -> None:
    day_off("64.01", name="Hari Jadi Kabupaten Paser")
    assert add_working_days(FRIDAY, 3, region=PASER_VILLAGE) == wita_end(2026, 12, 3)
    assert add_working_days(FRIDAY, 3, region=PPU_VILLAGE) == wita_end(2026, 12, 2)
    assert day_off_reason(TUESDAY, region=PASER_VILLAGE) == "Hari Jadi Kabupaten Paser"
    assert day_off_reason(TUESDAY, region=PPU_VILLAGE) is None


def test_a_ppu_day_off_does_not_move_a_paser_deadline(kaltim: Region) -> None:
    day_off("64.09", name="Hari Jadi Kabupaten Penajam Paser Utara")
    assert add_working_days(FRIDAY, 3, region=PASER_VILLAGE) == wita_end(2026, 12, 2)
    assert add_working_days(FRIDAY, 3, region="64.09") == wita_end(2026, 12, 3)


def test_an_installation_wide_day_off_moves_both_regencies(kaltim: Region) -> None:
    day_off(None)
    assert add_working_days(FRIDAY, 3, region=PASER_VILLAGE) == wita_end(2026, 12, 3)
    assert add_working_days(FRIDAY, 3, region=PPU_VILLAGE) == wita_end(2026, 12, 3)
    assert add_working_days(FRIDAY, 3, region=None) == wita_end(2026, 12, 3)


def test_a_province_day_off_moves_both_regencies_of_the_province(kaltim: Region) -> None:
    day_off("64", name="Hari Jadi Provinsi Kalimantan Timur")
    assert add_working_days(FRIDAY, 3, region=PASER_VILLAGE) == wita_end(2026, 12, 3)
    assert add_working_days(FRIDAY, 3, region=PPU_VILLAGE) == wita_end(2026, 12, 3)
    assert add_working_days(FRIDAY, 3, region="64") == wita_end(2026, 12, 3)
    # a clock with no place counts only the installation's own days off
    assert add_working_days(FRIDAY, 3, region=None) == wita_end(2026, 12, 2)


def test_the_regency_s_own_name_is_given_when_the_whole_installation_is_off_too(kaltim: Region) -> None:
    day_off(None, name="Cuti bersama daerah")
    day_off("64.01", name="Hari Jadi Kabupaten Paser")
    assert day_off_reason(TUESDAY, region=PASER_VILLAGE) == "Hari Jadi Kabupaten Paser"
    assert day_off_reason(TUESDAY, region=PPU_VILLAGE) == "Cuti bersama daerah"


def test_working_days_between_counts_the_places_days_off(kaltim: Region) -> None:
    day_off("64.01")
    end = datetime(2026, 12, 2, 9, tzinfo=WITA)
    assert working_days_between(FRIDAY, end, region=PASER_VILLAGE) == 2
    assert working_days_between(FRIDAY, end, region=PPU_VILLAGE) == 3


def test_a_deadline_reads_the_days_off_in_one_query(kaltim: Region, django_assert_num_queries) -> None:
    for n in range(5):
        day_off("64.01", on=TUESDAY + timedelta(days=7 * n))
    with django_assert_num_queries(1):
        add_working_days(FRIDAY, 20, region=PASER_VILLAGE)


def test_disposition_and_verification_deadlines_follow_the_place(kaltim: Region) -> None:
    day_off("64.01")
    assert deadline_for("waspada", "acknowledge", FRIDAY, region=PASER_VILLAGE) == wita_end(2026, 12, 3)
    assert deadline_for("waspada", "acknowledge", FRIDAY, region=PPU_VILLAGE) == wita_end(2026, 12, 2)
    assert verification_deadline("normal", FRIDAY, region=PASER_VILLAGE) == wita_end(2026, 12, 3)
    assert verification_deadline("normal", FRIDAY, region=PPU_VILLAGE) == wita_end(2026, 12, 2)


def _next_working_day() -> date:
    """The first working day after today (WITA) in the installation's calendar."""
    return add_working_days(timezone.now(), 1, region=None).date()


def test_a_paser_day_off_moves_the_deadlines_of_paser_reports_and_dispositions_only(
    desa_reporter, kesbangpol_analyst, ppu_reporter, ppu_analyst
) -> None:
    # Tomorrow's working day is Paser's day off: Paser's clocks skip it, PPU's do not.
    day_off("64.01", on=_next_working_day(), name="Hari Jadi Kabupaten Paser")
    paser = verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="normal")
    ppu = verified(ppu_reporter, ppu_analyst, region_code=PPU_VILLAGE, isu="agama", alert_level="normal")

    assert paser.verify_due_at == add_working_days(paser.received_at, 4, region=None)
    assert ppu.verify_due_at == add_working_days(ppu.received_at, 3, region=None)

    paser_fkub = paser.dispositions.get(forum__code="FKUB-6401")
    ppu_fkub = ppu.dispositions.get(forum__code="FKUB-6409")
    # "normal": acknowledged within 5 working days
    assert paser_fkub.due_at == add_working_days(paser_fkub.created_at, 6, region=None)
    assert ppu_fkub.due_at == add_working_days(ppu_fkub.created_at, 5, region=None)


def test_one_day_off_per_date_for_the_installation_and_per_date_and_region(kaltim: Region) -> None:
    day_off(None)
    day_off("64.01")
    day_off("64.09")  # the same date in another regency is another row
    with pytest.raises(IntegrityError), transaction.atomic():
        day_off(None)
    with pytest.raises(IntegrityError), transaction.atomic():
        day_off("64.01")
