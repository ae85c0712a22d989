"""Each way a report row is written moves the rollup in the same transaction (reports/rollups.py),
and a write that rolls back moves nothing. After each path the rollup equals a direct count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat

from waspada.reports.models import Report, ReportRollup, ReportStatus
from waspada.reports.rollups import direct_counts, rollup_counts
from waspada.reports.tests.factories import TANAH_GROGOT, submit

pytestmark = pytest.mark.django_db


def _equal() -> dict:
    counts = rollup_counts()
    assert counts == direct_counts()
    return counts


def _by(field: str) -> dict[str, int]:
    index = ("day", "region", "isu", "alert_level", "status", "classification").index(field)
    totals: dict[str, int] = {}
    for bucket, n in rollup_counts().items():
        totals[str(bucket[index])] = totals.get(str(bucket[index]), 0) + n
    return totals  # buckets of 0 are left out


def test_filing_a_report_counts_it_once(desa_reporter) -> None:
    submit(desa_reporter, alert_level="siaga", classification="terbatas")
    assert _equal() and _by("alert_level") == {"siaga": 1} and _by("classification") == {"terbatas": 1}


def test_saving_a_key_field_moves_the_report_to_its_new_bucket(desa_reporter) -> None:
    report = submit(desa_reporter).report
    report.status = ReportStatus.DITOLAK
    report.save(update_fields=["status"])
    assert _by("status") == {"ditolak": 1}
    report.isu, report.region_id = "bencana", TANAH_GROGOT
    report.save()  # every field
    assert _by("isu") == {"bencana": 1}
    _equal()


def test_a_field_left_out_of_update_fields_keeps_its_stored_bucket(desa_reporter) -> None:
    report = submit(desa_reporter).report
    report.status = ReportStatus.DITOLAK
    report.isu = "bencana"  # changed on the instance, not written
    report.save(update_fields=["status"])
    assert _by("isu") == {"agraria_korporasi": 1} and _by("status") == {"ditolak": 1}
    _equal()


def test_a_stale_instance_takes_its_count_from_the_stored_bucket(desa_reporter) -> None:
    report = submit(desa_reporter).report
    stale = Report.objects.get(pk=report.pk)
    Report.objects.filter(pk=report.pk).update(alert_level="siaga")  # changed since ``stale`` was read
    stale.status = ReportStatus.DITOLAK
    stale.save()  # writes alert_level "waspada" back with the status
    assert _by("alert_level") == {"waspada": 1}
    _equal()


def test_writing_other_fields_moves_nothing(desa_reporter) -> None:
    report = submit(desa_reporter).report
    before = list(ReportRollup.objects.values_list("n", flat=True))
    report.title = "Judul baru"
    report.save(update_fields=["title"])
    Report.objects.filter(pk=report.pk).update(people_affected=5)
    assert list(ReportRollup.objects.values_list("n", flat=True)) == before
    _equal()


def test_a_time_written_as_an_expression_lands_where_the_database_put_it(desa_reporter) -> None:
    report = submit(desa_reporter, reported_at=datetime(2026, 3, 9, 12, tzinfo=UTC)).report
    report.reported_at = F("reported_at") + timedelta(days=3)
    report.save(update_fields=["reported_at"])
    assert [bucket[0].isoformat() for bucket, n in rollup_counts().items() if n] == ["2026-03-12"]
    _equal()


def test_a_time_given_as_text_lands_on_the_day_stored(desa_reporter) -> None:
    report = submit(desa_reporter).report
    report.reported_at = "2026-03-09T23:30:00+00:00"  # 07:30 WITA on the 10th
    report.save(update_fields=["reported_at"])
    assert [bucket[0].isoformat() for bucket in rollup_counts()] == ["2026-03-10"]
    _equal()


def test_a_queryset_update_of_a_key_field_moves_every_row(desa_reporter) -> None:
    for level in ("normal", "waspada", "siaga"):
        submit(desa_reporter, alert_level=level)
    assert Report.objects.exclude(alert_level="siaga").update(status=ReportStatus.DITOLAK) == 2
    assert _by("status") == {"baru": 1, "ditolak": 2}
    Report.objects.update(region_id=Concat(Value(TANAH_GROGOT), Value("")))  # an expression
    assert _by("region") == {TANAH_GROGOT: 3}
    _equal()


def test_bulk_create_and_bulk_update_count_their_rows(desa_reporter) -> None:
    template = submit(desa_reporter).report
    copies = []
    for number in range(3):
        copy = Report.objects.get(pk=template.pk)
        copy.pk, copy.public_id, copy.reference = None, None, f"SKD-COPY-{number}"
        copy.isu = "bencana"
        copies.append(copy)
    import uuid

    for copy in copies:
        copy.public_id = uuid.uuid4()
    Report.objects.bulk_create(copies)
    assert _by("isu") == {"agraria_korporasi": 1, "bencana": 3}
    for copy in copies[:2]:
        copy.classification = "rahasia"
    Report.objects.bulk_update(copies[:2], ["classification", "title"])
    assert _by("classification") == {"biasa": 2, "rahasia": 2}
    _equal()
    with pytest.raises(TypeError):
        Report.objects.bulk_create(copies, ignore_conflicts=True)


def test_deleting_reports_takes_them_away(desa_reporter) -> None:
    first, second, _awas = (
        submit(desa_reporter, alert_level=level).report for level in ("normal", "siaga", "awas")
    )
    # an awas report is routed at once: its dispositions hold it (PROTECT); only the other two go
    first.delete()
    assert "normal" not in _by("alert_level")
    Report.objects.filter(pk=second.pk).delete()
    assert _by("alert_level") == {"awas": 1}
    _equal()


def test_a_write_that_rolls_back_moves_nothing(desa_reporter) -> None:
    report = submit(desa_reporter).report
    with pytest.raises(RuntimeError), transaction.atomic():
        report.status = ReportStatus.DITOLAK
        report.save(update_fields=["status"])
        Report.objects.update(isu="bencana")
        raise RuntimeError("the action failed after writing")
    assert _by("status") == {"baru": 1} and _by("isu") == {"agraria_korporasi": 1}
    _equal()
