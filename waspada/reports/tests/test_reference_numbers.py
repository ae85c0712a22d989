import re
from datetime import timedelta

import pytest
from django.utils import timezone

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


def test_a_retried_submission_takes_no_number(desa_reporter) -> None:
    seen_at = timezone.now() - timedelta(hours=1)
    first = submit(desa_reporter, idempotency_key="draf-7", occurred_at=seen_at).report
    assert not submit(desa_reporter, idempotency_key="draf-7", occurred_at=seen_at).created
    after = submit(desa_reporter).report
    assert int(after.reference[-6:]) == int(first.reference[-6:]) + 1


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_failed_submission_skips_its_number_and_never_reuses_it(
    desa_reporter, monkeypatch
) -> None:
    """The number is taken in a short transaction of its own, so the counter row is not locked for
    the whole submission; a submission that fails afterwards leaves a gap, not a reusable number."""
    from django.db import connection

    from waspada.reports import actions
    from waspada.reports.models import Report

    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes the number inside the report's own transaction")
    before = submit(desa_reporter).report

    def broken_event(*args: object, **kwargs: object) -> None:
        raise RuntimeError("notification store unavailable")

    monkeypatch.setattr(actions, "report_event", broken_event)
    with pytest.raises(RuntimeError):
        submit(desa_reporter)
    monkeypatch.undo()
    assert Report.objects.count() == 1
    after = submit(desa_reporter).report
    assert int(after.reference[-6:]) == int(before.reference[-6:]) + 2
