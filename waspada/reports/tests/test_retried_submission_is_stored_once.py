from datetime import timedelta

import pytest
from django.utils import timezone

from waspada.reports.actions import IdempotencyConflict
from waspada.reports.models import Report
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


def test_a_retry_with_the_same_key_returns_the_first_report(desa_reporter) -> None:
    seen_at = timezone.now() - timedelta(hours=2)
    first = submit(desa_reporter, idempotency_key="draf-1", occurred_at=seen_at)
    again = submit(desa_reporter, idempotency_key="draf-1", occurred_at=seen_at)
    assert first.created and not again.created
    assert again.report.pk == first.report.pk
    assert Report.objects.count() == 1


def test_the_same_key_for_a_different_report_is_refused(desa_reporter) -> None:
    submit(desa_reporter, idempotency_key="draf-1")
    with pytest.raises(IdempotencyConflict):
        submit(desa_reporter, idempotency_key="draf-1", title="Laporan lain sama sekali")
    assert Report.objects.count() == 1


def test_keys_belong_to_their_person(desa_reporter, kecamatan_fkdm_chair) -> None:
    submit(desa_reporter, idempotency_key="k")
    submit(kecamatan_fkdm_chair, idempotency_key="k")
    assert Report.objects.count() == 2


def test_without_a_key_each_submission_is_a_new_report(desa_reporter) -> None:
    submit(desa_reporter)
    submit(desa_reporter)
    assert Report.objects.count() == 2
