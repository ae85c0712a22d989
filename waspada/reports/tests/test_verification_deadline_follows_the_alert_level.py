"""Each unverified report carries a verification deadline set by its alert level."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from waspada.lib.env import ConfigError, env_deadline
from waspada.reports.actions import Reclassification, verify_report
from waspada.reports.tests.factories import submit
from waspada.reports.verification import span_text, verification_deadline
from waspada.response.calendar import WITA

pytestmark = pytest.mark.django_db

# Friday 6 March 2026, 10:00 WITA: no holiday that day, the next Monday is a working day too.
FRIDAY_MORNING = datetime(2026, 3, 6, 10, 0, tzinfo=WITA)


def test_awas_gives_one_hour_and_siaga_four_hours_of_wall_clock_time() -> None:
    assert verification_deadline("awas", FRIDAY_MORNING) == FRIDAY_MORNING + timedelta(hours=1)
    assert verification_deadline("siaga", FRIDAY_MORNING) == FRIDAY_MORNING + timedelta(hours=4)


def test_waspada_gives_one_working_day_skipping_the_weekend() -> None:
    assert verification_deadline("waspada", FRIDAY_MORNING) == datetime(2026, 3, 9, 23, 59, 59, tzinfo=WITA)


def test_normal_gives_three_working_days() -> None:
    assert verification_deadline("normal", FRIDAY_MORNING) == datetime(2026, 3, 11, 23, 59, 59, tzinfo=WITA)


def test_the_deadlines_are_configurable(settings) -> None:
    settings.WASPADA_VERIFY_DEADLINES = {**settings.WASPADA_VERIFY_DEADLINES, "siaga": (30, "menit")}
    assert verification_deadline("siaga", FRIDAY_MORNING) == FRIDAY_MORNING + timedelta(minutes=30)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4 jam", (4, "jam")),
        ("30 menit", (30, "menit")),
        ("2 hari kerja", (2, "hari_kerja")),
        ("", (1, "jam")),
    ],
)
def test_a_deadline_is_written_as_people_say_it(value: str, expected: tuple[int, str]) -> None:
    assert env_deadline("X", (1, "jam"), environ={"X": value}) == expected


@pytest.mark.parametrize("value", ["4", "empat jam", "0 jam", "3 minggu", "-1 jam"])
def test_a_deadline_that_cannot_be_read_stops_the_start(value: str) -> None:
    with pytest.raises(ConfigError, match="X="):
        env_deadline("X", (1, "jam"), environ={"X": value})


def test_a_submitted_report_stores_its_deadline_from_its_arrival(desa_reporter) -> None:
    report = submit(desa_reporter, alert_level="siaga").report
    report.refresh_from_db()
    assert report.verify_due_at is not None
    assert abs(report.verify_due_at - (report.received_at + timedelta(hours=4))) < timedelta(minutes=1)


def test_correcting_the_level_recomputes_the_deadline_from_the_same_start(
    desa_reporter, kesbangpol_analyst
) -> None:
    report = submit(desa_reporter, alert_level="normal").report
    verify_report(report=report, by=kesbangpol_analyst, corrections=Reclassification(alert_level="awas"))
    report.refresh_from_db()
    assert report.alert_level == "awas"
    assert report.verify_due_at == verification_deadline("awas", report.received_at)


@pytest.mark.parametrize(
    ("span", "said"),
    [
        (timedelta(seconds=20), "1 menit"),
        (timedelta(minutes=40), "40 menit"),
        (timedelta(hours=2, minutes=59), "2 jam"),
        (timedelta(hours=47), "47 jam"),
        (timedelta(days=3, hours=5), "3 hari"),
    ],
)
def test_a_span_reads_as_people_say_it(span: timedelta, said: str) -> None:
    assert span_text(span) == said
