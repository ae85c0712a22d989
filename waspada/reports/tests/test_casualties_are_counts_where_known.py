"""Casualties (dead, injured, displaced) are optional whole numbers: left empty they are "not
known", which is not 0, on the form, the API, the chat template and the report page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.people.models import Person
from waspada.reports.actions import update_casualties
from waspada.reports.models import Report
from waspada.reports.tests.factories import submit
from waspada.reports.tests.test_reporter_names_the_place_and_chooses_every_class import URL, filled

pytestmark = pytest.mark.django_db


def test_a_report_that_says_nothing_about_casualties_stores_them_as_unknown(desa_reporter: Person) -> None:
    report = submit(desa_reporter).report
    report.refresh_from_db()
    assert (report.casualties_dead, report.casualties_injured, report.casualties_displaced) == (
        None,
        None,
        None,
    )
    assert report.casualties_text == (
        "meninggal belum diketahui, luka belum diketahui, mengungsi belum diketahui; 0 warga terdampak"
    )


def test_a_zero_is_kept_as_a_zero_and_a_count_as_the_count(desa_reporter: Person) -> None:
    report = submit(desa_reporter, casualties_dead=0, casualties_injured=4, casualties_displaced=120).report
    report.refresh_from_db()
    assert (report.casualties_dead, report.casualties_injured, report.casualties_displaced) == (0, 4, 120)
    assert report.casualties_text == "0 meninggal, 4 luka, 120 mengungsi; 0 warga terdampak"


def test_a_negative_or_huge_count_is_refused_by_the_action_naming_the_field(desa_reporter: Person) -> None:
    with pytest.raises(ValidationError) as caught:
        submit(desa_reporter, casualties_dead=-1, casualties_displaced=10_000_001)
    errors = caught.value.message_dict
    assert errors["casualties_dead"] == ["Tidak boleh negatif: -1. Kosongkan bila belum diketahui."]
    assert errors["casualties_displaced"] == ["Terlalu besar: 10000001, paling besar 10.000.000."]
    assert Report.objects.count() == 0


@pytest.fixture
def reporter_client(desa_reporter: Person, client: Client) -> Client:
    client.force_login(desa_reporter)
    return client


def test_the_form_leaves_the_counts_empty_and_stores_empty_as_unknown(reporter_client: Client) -> None:
    html = reporter_client.get(URL).content.decode()
    assert 'name="casualties_dead"' in html and 'name="casualties_displaced"' in html
    assert "Kosongkan bila belum diketahui; isi 0 bila memang tidak ada." in html

    response = reporter_client.post(URL, filled(casualties_dead="", casualties_injured="2"))

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.casualties_dead, report.casualties_injured, report.casualties_displaced) == (None, 2, None)


def test_the_form_refuses_a_negative_or_a_word_field_by_field(reporter_client: Client) -> None:
    response = reporter_client.post(URL, filled(casualties_dead="-3", casualties_displaced="dua ratus"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["casualties_dead"] == ["Tidak boleh negatif. Kosongkan bila belum diketahui."]
    assert errors["casualties_displaced"] == [
        "Tulis bilangan bulat (0, 1, 2, …), atau kosongkan bila belum diketahui."
    ]
    assert Report.objects.count() == 0


def _api_body(**overrides: Any) -> dict[str, Any]:
    body = {k: v for k, v in filled().items() if k != "region_code_text"}
    body["region_code"] = "64.01.06.2006"
    body.update(overrides)
    return body


def test_the_api_takes_null_or_absent_as_unknown_and_says_so_back(reporter_client: Client) -> None:
    response = reporter_client.post(
        "/api/v1/reports/",
        _api_body(casualties_dead=None, casualties_injured=3),
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    out = response.json()
    assert (out["casualties_dead"], out["casualties_injured"], out["casualties_displaced"]) == (None, 3, None)
    report = Report.objects.get()
    assert (report.casualties_dead, report.casualties_injured, report.casualties_displaced) == (None, 3, None)


def test_the_api_answers_a_negative_count_with_422_naming_the_field(reporter_client: Client) -> None:
    response = reporter_client.post(
        "/api/v1/reports/", _api_body(casualties_displaced=-5), content_type="application/json"
    )

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["message"]) for e in errors] == [
        ("casualties_displaced", "Terlalu kecil: paling kecil 0.")
    ]
    assert Report.objects.count() == 0


def test_the_report_page_says_which_counts_are_not_known(
    reporter_client: Client, desa_reporter: Person
) -> None:
    report = submit(desa_reporter, casualties_dead=2).report
    html = reporter_client.get(f"/laporan/{report.reference}/").content.decode()
    assert "2 meninggal, luka belum diketahui, mengungsi belum diketahui; 0 warga terdampak" in html


def test_the_tkd_analyst_updates_the_toll_with_a_reason_and_it_is_audited(
    desa_reporter: Person, kesbangpol_analyst: Person, client: Client
) -> None:
    report = submit(desa_reporter).report
    client.force_login(kesbangpol_analyst)
    url = f"/laporan/{report.reference}/triase/"
    page = client.get(f"/laporan/{report.reference}/").content.decode()
    assert 'name="action" value="casualties"' in page

    client.post(
        url, {"action": "casualties", "casualties_dead": "1", "casualties_injured": "", "reason": "Data RSUD"}
    )

    report.refresh_from_db()
    assert (report.casualties_dead, report.casualties_injured, report.casualties_displaced) == (1, None, None)
    entry = AuditEntry.objects.get(action="report.casualties_updated")
    assert entry.changes == {"casualties_dead": [None, 1], "reason": "Data RSUD"}


def test_a_bad_count_or_a_missing_reason_is_refused_naming_the_field(
    desa_reporter: Person, kesbangpol_analyst: Person, client: Client
) -> None:
    report = submit(desa_reporter).report
    client.force_login(kesbangpol_analyst)
    url = f"/laporan/{report.reference}/triase/"

    response = client.post(
        url, {"action": "casualties", "casualties_dead": "dua", "reason": "x"}, follow=True
    )
    said = [str(m) for m in response.context["messages"]]
    assert said == [
        "Korban meninggal: Tulis bilangan bulat (0, 1, 2, …), atau kosongkan bila belum diketahui."
    ]
    response = client.post(
        url, {"action": "casualties", "casualties_injured": "-2", "reason": ""}, follow=True
    )
    said = [str(m) for m in response.context["messages"]]
    assert said == [
        "Korban luka: Tidak boleh negatif: -2. Kosongkan bila belum diketahui.",
        "Alasan: Alasan wajib diisi.",
    ]
    report.refresh_from_db()
    assert report.casualties_dead is None and report.casualties_injured is None
    assert not AuditEntry.objects.filter(action="report.casualties_updated").exists()


def test_only_the_deciding_tkd_updates_the_toll(desa_reporter: Person) -> None:
    report = submit(desa_reporter).report
    with pytest.raises(PermissionError):
        update_casualties(
            report=report, by=desa_reporter, dead=3, injured=None, displaced=None, reason="Saya tahu"
        )


def test_the_api_updates_the_toll_for_the_tkd_and_refuses_others(
    desa_reporter: Person, kesbangpol_analyst: Person, client: Client
) -> None:
    report = submit(desa_reporter).report
    url = f"/api/v1/reports/{report.reference}/casualties"
    body = {
        "casualties_dead": 2,
        "casualties_injured": None,
        "casualties_displaced": 40,
        "reason": "Data RSUD",
    }

    client.force_login(desa_reporter)
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(kesbangpol_analyst)
    missing = client.post(url, {"casualties_dead": 2, "reason": "x"}, content_type="application/json")
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} == {"casualties_injured", "casualties_displaced"}
    response = client.post(url, body, content_type="application/json")

    assert response.status_code == 200, response.content
    out = response.json()
    assert (out["casualties_dead"], out["casualties_injured"], out["casualties_displaced"]) == (2, None, 40)
    assert AuditEntry.objects.filter(action="report.casualties_updated").count() == 1
