"""The report form without JavaScript: the place by name, and no silent defaults.

The page posts the hidden code (``region_code``, set by the picker or the default village) and
the text in the box (``region_code_text``); the server resolves the text when it names
something else than the code. Isu, ATHG and level start empty and must be chosen.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.people.models import Person
from waspada.reports.models import Report

pytestmark = pytest.mark.django_db

URL = "/laporan/baru/"


def filled(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Warga menghadang truk hauling",
        "what": "Sekitar 40 warga menutup jalan hauling dan menghadang truk perusahaan.",
        "isu": "agraria_korporasi",
        "athg": "gangguan",
        "alert_level": "siaga",
        "region_code": "",
        "region_code_text": "Lombok",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "jenis": "insidentil",
        "source_reliability": "F",
        "info_credibility": "6",
        "classification": "biasa",
    }
    values.update(overrides)
    return values


@pytest.fixture
def reporter_client(desa_reporter: Person, client: Client) -> Client:
    client.force_login(desa_reporter)
    return client


def test_the_form_opens_with_isu_athg_and_level_unchosen(reporter_client: Client) -> None:
    html = reporter_client.get(URL).content.decode()

    for name in ("isu", "athg"):
        select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
        assert select is not None
        assert '<option value="" selected>— pilih —</option>' in select.group()
        assert select.group().count("selected") == 1
    radios = re.findall(r'<input type="radio" name="alert_level"[^>]*>', html)
    assert len(radios) == 4 and not any("checked" in radio for radio in radios)


def test_a_submit_without_isu_athg_or_level_is_refused_field_by_field(reporter_client: Client) -> None:
    response = reporter_client.post(URL, filled(isu="", athg="", alert_level=""))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["isu"] == ["Pilih isu."]
    assert errors["athg"] == ["Pilih kelas ATHG."]
    assert errors["alert_level"] == ["Pilih tingkat kewaspadaan."]
    assert "Laporan belum terkirim. Periksa isian berikut:" in response.content.decode()
    assert Report.objects.count() == 0


def test_the_page_script_gets_the_same_errors_as_json(reporter_client: Client) -> None:
    response = reporter_client.post(URL, filled(isu="", alert_level=""), HTTP_ACCEPT="application/json")

    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"isu", "alert_level"}
    assert Report.objects.count() == 0


def test_the_api_requires_isu_athg_and_level_too(desa_reporter: Person, client: Client) -> None:
    client.force_login(desa_reporter)
    body = {k: v for k, v in filled().items() if k not in ("isu", "athg", "alert_level", "region_code_text")}
    body["region_code"] = "64.01.06.2006"
    response = client.post("/api/v1/reports/", body, content_type="application/json")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"isu", "athg", "alert_level"}
    assert Report.objects.count() == 0


def test_a_village_typed_by_name_files_the_report_there(reporter_client: Client) -> None:
    response = reporter_client.post(URL, filled(region_code_text="lombok"))

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.region_id == "64.01.06.2006"
    assert (report.isu, report.athg, report.alert_level) == ("agraria_korporasi", "gangguan", "siaga")


def test_a_typed_code_is_still_accepted(reporter_client: Client) -> None:
    reporter_client.post(URL, filled(region_code_text="6401062007"))
    assert Report.objects.get().region_id == "64.01.06.2007"


def test_the_chosen_code_counts_while_the_box_shows_its_name(reporter_client: Client) -> None:
    reporter_client.post(URL, filled(region_code="64.01.06.2006", region_code_text="Desa Lombok"))
    assert Report.objects.get().region_id == "64.01.06.2006"


def test_a_name_typed_over_the_default_village_wins_over_it(reporter_client: Client) -> None:
    reporter_client.post(URL, filled(region_code="64.01.06.2006", region_code_text="Pait"))
    assert Report.objects.get().region_id == "64.01.06.2007"


def test_an_ambiguous_name_asks_back_with_the_candidates_and_keeps_what_was_typed(
    reporter_client: Client,
) -> None:
    response = reporter_client.post(URL, filled(region_code_text="Long Ikis", who="Kepala desa & warga"))

    assert response.status_code == 200
    assert Report.objects.count() == 0
    html = response.content.decode()
    assert response.context["form"].errors["region_code"][0].startswith("Ada 2 wilayah bernama “Long Ikis”")
    radios = re.findall(r'<input type="radio" name="region_code_choice" value="([\d.]+)"', html)
    assert radios == ["64.01.06", "64.01.06.1001"]
    assert "Kecamatan Long Ikis, Kabupaten Paser · 64.01.06.1001" in html  # where the kelurahan lies
    assert 'name="region_code_text" value="Long Ikis"' in html
    assert "Kepala desa &amp; warga</textarea>" in html
    assert 'value="Warga menghadang truk hauling"' in html

    chosen = reporter_client.post(
        URL, filled(region_code_text="Long Ikis", region_code_choice="64.01.06.1001")
    )
    assert chosen.status_code == 302
    assert Report.objects.get().region_id == "64.01.06.1001"


def test_a_choice_that_is_not_among_the_candidates_is_not_taken(reporter_client: Client) -> None:
    response = reporter_client.post(
        URL, filled(region_code_text="Long Ikis", region_code_choice="64.01.04.2009")
    )
    assert response.status_code == 200
    assert Report.objects.count() == 0


def test_an_unknown_name_gets_a_clear_indonesian_error(reporter_client: Client) -> None:
    response = reporter_client.post(URL, filled(region_code_text="Atlantis"))

    assert response.status_code == 200
    assert response.context["form"].errors["region_code"] == [
        "Tidak ada desa/kelurahan atau kecamatan bernama “Atlantis”. Periksa ejaannya, atau tulis "
        "kode wilayahnya (mis. 64.01.06.2006)."
    ]
    assert 'name="region_code_text" value="Atlantis"' in response.content.decode()
    assert Report.objects.count() == 0


def test_an_emptied_box_is_an_error_even_with_the_default_village_behind_it(
    reporter_client: Client,
) -> None:
    response = reporter_client.post(URL, filled(region_code="64.01.06.2006", region_code_text=""))
    assert response.context["form"].errors["region_code"] == ["Tulis nama desa/kelurahan atau kecamatan."]
    assert Report.objects.count() == 0


def test_the_api_accepts_a_name_and_names_the_candidates_of_an_ambiguous_one(
    desa_reporter: Person, client: Client
) -> None:
    client.force_login(desa_reporter)
    body = {k: v for k, v in filled().items() if k != "region_code_text"}
    ambiguous = client.post(
        "/api/v1/reports/", {**body, "region_code": "Long Ikis"}, content_type="application/json"
    )
    assert ambiguous.status_code == 422
    message = next(e["message"] for e in ambiguous.json()["errors"] if e["field"] == "region_code")
    assert "Kelurahan Long Ikis, Kecamatan Long Ikis, Kabupaten Paser (64.01.06.1001)" in message

    created = client.post(
        "/api/v1/reports/", {**body, "region_code": "Lombok"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert Report.objects.get().region_id == "64.01.06.2006"


def test_the_page_script_gets_the_candidates_written_into_the_message(reporter_client: Client) -> None:
    response = reporter_client.post(URL, filled(region_code_text="Long Ikis"), HTTP_ACCEPT="application/json")

    assert response.status_code == 422
    [message] = [e["message"] for e in response.json()["errors"] if e["field"] == "region_code"]
    assert message.startswith("Ada 2 wilayah bernama “Long Ikis”.")
    assert message.endswith(
        "Pilihan: Kecamatan Long Ikis, Kabupaten Paser (64.01.06); "
        "Kelurahan Long Ikis, Kecamatan Long Ikis, Kabupaten Paser (64.01.06.1001)."
    )
    assert Report.objects.count() == 0
