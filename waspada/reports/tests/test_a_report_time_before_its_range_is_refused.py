"""A report's time of reporting is in this system's era (issue "Hardening from a hostile review",
point 5): its reference carries the year it was reported, so 1968 (a number read as a timestamp)
or 1900 gave references like ``SKD-6401-1968-000001``."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from waspada.people.models import Person
from waspada.reports.models import Report
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", [1900, 1968, 1999])
def test_a_reporting_time_before_2000_is_refused_naming_the_field(desa_reporter: Person, year: int) -> None:
    when = datetime(year, 6, 1, tzinfo=UTC)
    with pytest.raises(ValidationError) as refused:
        submit(desa_reporter, reported_at=when, occurred_at=when)
    assert refused.value.message_dict == {"reported_at": ["Waktu lapor tidak boleh sebelum tahun 2000."]}
    assert not Report.objects.exists()


def test_a_report_from_the_first_day_of_2000_is_kept(desa_reporter: Person) -> None:
    when = datetime(2000, 1, 1, tzinfo=UTC)
    report = submit(desa_reporter, reported_at=when, occurred_at=when).report
    assert report.reference.startswith("SKD-6401-2000-")
