from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from waspada.reports.models import Report
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


def _errors(reporter, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        submit(reporter, **overrides)
    return caught.value.message_dict


def test_an_unknown_region_is_named_in_the_error(desa_reporter) -> None:
    errors = _errors(desa_reporter, region_code="99.99.99.9999")
    assert errors["region_code"] == ["Kode wilayah 99.99.99.9999 tidak dikenal."]


def test_a_report_must_be_placed_in_a_village_or_district(desa_reporter) -> None:
    assert "region_code" in _errors(desa_reporter, region_code="64.01")


def test_every_bad_field_is_reported_at_once(desa_reporter) -> None:
    errors = _errors(
        desa_reporter,
        title="",
        isu="perang",
        alert_level="darurat",
        gatra=["ekonomi", "ekonomi"],
        occurred_at=timezone.now() + timedelta(days=2),
        latitude=120.0,
        longitude=116.0,
    )
    assert {"title", "isu", "alert_level", "gatra", "occurred_at", "latitude"} <= set(errors)
    assert errors["title"] == ["Wajib diisi."]
    assert Report.objects.count() == 0


def test_huge_text_is_refused_with_its_length(desa_reporter) -> None:
    errors = _errors(desa_reporter, what="x" * 6000)
    assert errors["what"] == ["Terlalu panjang: 6000 karakter, maksimal 5000."]


def test_a_reporter_cannot_file_through_a_forum_they_do_not_belong_to(desa_reporter) -> None:
    assert "reporter_forum_code" in _errors(desa_reporter, reporter_forum_code="BNK-6401")
