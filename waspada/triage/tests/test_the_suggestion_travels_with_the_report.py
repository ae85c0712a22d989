"""The triage suggestion shown on the report form travels with the report (hidden suggested_*
fields, or ``triage_suggestion`` in the API), and its correction is recorded in the report's own
transaction: stored with the report, rolled back with it, never twice for a retried report."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.people.models import Person
from waspada.people.tokens import create_token
from waspada.reports.models import Report
from waspada.triage.models import Correction

pytestmark = pytest.mark.django_db

URL = "/laporan/baru/"
VILLAGE = "64.01.06.2006"  # Lombok, Long Ikis
# What the triage suggested for the text below (as suggest-form.js writes it into the form).
SUGGESTED = {
    "suggested_isu": "agraria_korporasi",
    "suggested_athg": "ancaman",
    "suggested_level": "siaga",
    "suggested_region_code": VILLAGE,
}


def filled(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Bentrok di kebun sawit",
        "what": "Bentrok warga dengan security perusahaan sawit di Ds. Lombok, 3 orang luka.",
        "isu": "agraria_korporasi",
        "athg": "ancaman",
        "alert_level": "siaga",
        "region_code": VILLAGE,
        "region_code_text": "Lombok",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "jenis": "insidentil",
        "source_reliability": "F",
        "info_credibility": "6",
        "classification": "biasa",
        "idempotency_key": "draf-1",
    }
    values.update(overrides)
    return values


@pytest.fixture
def reporter_client(desa_reporter: Person, client: Client) -> Client:
    client.force_login(desa_reporter)
    return client


def post_form(client: Client, data: dict[str, Any]) -> Any:
    return client.post(URL, data, HTTP_ACCEPT="application/json")


def test_a_changed_suggestion_is_recorded_once_with_the_report(
    reporter_client: Client, desa_reporter: Person
) -> None:
    # The reporter disagrees with the suggested class and keeps the rest.
    response = post_form(reporter_client, filled(athg="gangguan", **SUGGESTED))

    assert response.status_code == 201, response.content
    report = Report.objects.get()
    correction = Correction.objects.get()
    assert correction.report_id == report.pk
    assert correction.source == "form"
    assert correction.created_by_id == desa_reporter.pk
    assert correction.changed == ["athg"]
    assert correction.suggested == {
        "isu": "agraria_korporasi",
        "athg": "ancaman",
        "level": "siaga",
        "region_code": VILLAGE,
    }
    assert correction.final == {
        "isu": "agraria_korporasi",
        "athg": "gangguan",
        "level": "siaga",
        "region_code": VILLAGE,
    }
    assert correction.text.startswith("Bentrok di kebun sawit\nBentrok warga")
    assert AuditEntry.objects.filter(action="triage.correction_recorded").count() == 1


def test_a_kept_suggestion_is_recorded_too_with_nothing_changed(reporter_client: Client) -> None:
    # The existing rule (docs/triage.md): every suggestion shown and submitted is training data;
    # a confirmed one has an empty ``changed``.
    response = post_form(reporter_client, filled(**SUGGESTED))

    assert response.status_code == 201, response.content
    correction = Correction.objects.get()
    assert correction.changed == []
    assert correction.report_id == Report.objects.get().pk


def test_without_a_suggestion_no_correction_is_recorded(reporter_client: Client) -> None:
    assert post_form(reporter_client, filled()).status_code == 201
    assert Report.objects.count() == 1
    assert not Correction.objects.exists()


def test_a_retried_report_records_its_correction_once(reporter_client: Client) -> None:
    # The outbox sends the same item again when the first answer was lost.
    data = filled(athg="gangguan", **SUGGESTED)
    first = post_form(reporter_client, data)
    again = post_form(reporter_client, data)

    assert first.status_code == again.status_code == 201
    assert again.json()["created"] is False
    assert Report.objects.count() == 1
    assert Correction.objects.count() == 1


def test_a_refused_report_leaves_no_correction_behind(reporter_client: Client) -> None:
    # The attachment is refused after the report was written: the whole transaction rolls back,
    # the correction with it.
    data = filled(athg="gangguan", **SUGGESTED)
    data["lampiran"] = SimpleUploadedFile("foto.jpg", b"bukan gambar sama sekali", content_type="image/jpeg")
    response = post_form(reporter_client, data)

    assert response.status_code == 422
    assert "lampiran" in {error["field"] for error in response.json()["errors"]}
    assert not Report.objects.exists()
    assert not Correction.objects.exists()
    assert not AuditEntry.objects.filter(action="triage.correction_recorded").exists()


def test_unknown_suggested_values_are_dropped_and_the_report_is_stored(reporter_client: Client) -> None:
    data = filled(
        athg="gangguan",
        suggested_isu="isu_yang_sudah_dihapus",
        suggested_athg="ancaman",
        suggested_level="genting",
        suggested_region_code="<script>",
    )
    response = post_form(reporter_client, data)

    assert response.status_code == 201, response.content
    correction = Correction.objects.get()
    assert correction.suggested == {"athg": "ancaman"}
    assert correction.final["athg"] == "gangguan" and "athg" in correction.changed


def test_nothing_usable_suggested_means_no_correction(reporter_client: Client) -> None:
    response = post_form(reporter_client, filled(suggested_isu="tidak_dikenal", suggested_level="x"))

    assert response.status_code == 201, response.content
    assert Report.objects.count() == 1
    assert not Correction.objects.exists()


def test_the_api_takes_the_suggestion_with_the_report(client: Client, desa_reporter: Person) -> None:
    _token, raw = create_token(person=desa_reporter, name="uji", by=None)
    body = {
        "title": "Bentrok di kebun sawit",
        "what": "Bentrok warga dengan security perusahaan sawit di Ds. Lombok, 3 orang luka.",
        "isu": "agraria_korporasi",
        "athg": "gangguan",
        "alert_level": "siaga",
        "region_code": VILLAGE,
        "occurred_at": timezone.now().isoformat(),
        "triage_suggestion": {
            "isu": "agraria_korporasi",
            "athg": "ancaman",
            "level": "waspada",
            "region_code": VILLAGE,
        },
    }
    response = client.post(
        "/api/v1/reports/", body, content_type="application/json", headers={"authorization": f"Bearer {raw}"}
    )

    assert response.status_code == 201, response.content
    correction = Correction.objects.get()
    assert correction.report_id == Report.objects.get().pk
    assert correction.source == "api"
    assert sorted(correction.changed) == ["athg", "level"]
    assert correction.final["region_code"] == VILLAGE
