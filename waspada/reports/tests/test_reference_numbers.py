import re

import pytest

from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


def test_reference_names_the_regency_and_year_and_counts_up(desa_reporter) -> None:
    first = submit(desa_reporter).report
    second = submit(desa_reporter).report
    assert re.fullmatch(r"SKD-6401-20\d\d-\d{6}", first.reference)
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_many_reports_never_share_a_reference(desa_reporter) -> None:
    references = {submit(desa_reporter).report.reference for _ in range(30)}
    assert len(references) == 30
