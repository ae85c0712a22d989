"""Exports (CSV, HXL, GeoJSON, XLSX) stream exactly the reports and incidents each persona may see,
with the list filters, the exact point only for the reporter and the TKD, never the informant."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import StreamingHttpResponse

from waspada.audit.models import AuditEntry
from waspada.exchange.exports import INCIDENT_COLUMNS, REPORT_COLUMNS
from waspada.exchange.tests.helpers import STANDARDS, body, client_for, rows_of
from waspada.people.tokens import create_token
from waspada.regions.importers import load_paser_boundaries
from waspada.regions.models import Region
from waspada.reports.models import Incident, Report
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit
from waspada.situation.tests.helpers import incident

pytestmark = pytest.mark.django_db
FORMATS = ("csv", "hxl", "geojson", "xlsx")
INFORMANT = "Haji Informan Tersembunyi"


@pytest.fixture
def story(personas: Any) -> dict[str, Any]:
    hauling = submit(
        personas.desa_reporter,
        title="=Warga menghadang truk hauling",
        latitude=-1.7512,
        longitude=116.2101,
        where_detail="Di belakang gudang pupuk",
        informant_name=INFORMANT,
        informant_contact="0812-0000-1111",
    ).report
    narkoba = submit(personas.desa_reporter, isu="narkoba", title="Dugaan peredaran sabu di pelabuhan").report
    agama = incident(
        personas.desa_reporter,
        personas.kesbangpol_analyst,
        isu="agama",
        alert_level="siaga",
        title="Penolakan pembangunan rumah ibadah",
    )
    secret = incident(
        personas.desa_reporter,
        personas.kesbangpol_analyst,
        isu="radikalisme",
        alert_level="awas",
        classification="rahasia",
        title="Informasi rahasia kelompok bersenjata",
    )
    return {"hauling": hauling, "narkoba": narkoba, "agama": agama, "secret": secret}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "persona",
    ["kesbangpol_analyst", "desa_reporter", "kecamatan_fkdm_chair", "fkub_officer", "bnk_officer", "regent"],
)
def test_a_report_export_holds_exactly_the_reports_the_person_may_see(
    story: dict[str, Any], personas: Any, persona: str, fmt: str
) -> None:
    person = getattr(personas, persona)
    response = client_for(person).get(f"/pertukaran/ekspor/laporan.{fmt}")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    data = body(response)
    header, rows = rows_of(fmt, data)
    expected = set(Report.objects.visible_to(person).values_list("reference", flat=True))
    assert {row["nomor"] for row in rows} == expected
    assert len(rows) == len(expected) == int(response["X-Export-Rows"])
    if fmt != "geojson":
        assert header == [c.key for c in REPORT_COLUMNS]
    if fmt != "xlsx":  # the xlsx is compressed: its cells are checked through openpyxl below
        assert INFORMANT.encode() not in data and b"0812-0000-1111" not in data
    for row in rows:
        assert INFORMANT not in json.dumps(row, default=str)
    hidden = set(Report.objects.values_list("title", flat=True)) - set(
        Report.objects.visible_to(person).values_list("title", flat=True)
    )
    text = json.dumps(rows, default=str)
    for title in hidden:
        assert title.lstrip("=") not in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_incident_export_holds_exactly_the_incidents_the_person_may_see(
    story: dict[str, Any], personas: Any, fmt: str
) -> None:
    for person in (personas.kesbangpol_analyst, personas.fkub_officer, personas.regent, personas.bnk_officer):
        response = client_for(person).get(f"/pertukaran/ekspor/insiden.{fmt}")
        header, rows = rows_of(fmt, body(response))
        expected = set(Incident.objects.visible_to(person).values_list("reference", flat=True))
        assert {row["nomor"] for row in rows} == expected, person
        if fmt not in ("geojson",) and rows:
            assert header == [c.key for c in INCIDENT_COLUMNS]


def test_others_get_nothing_where_the_village_has_no_centroid(story: dict[str, Any], personas: Any) -> None:
    # the bundled code list carries no centroids; only imported boundaries bring them
    _header, rows = rows_of(
        "csv", body(client_for(personas.kecamatan_fkdm_chair).get("/pertukaran/ekspor/laporan.csv"))
    )
    row = next(r for r in rows if r["nomor"] == story["hauling"].reference)
    assert (row["lintang"], row["bujur"], row["ketepatan_lokasi"]) == ("", "", "")


def test_the_exact_point_goes_only_to_the_reporter_and_the_tkd(story: dict[str, Any], personas: Any) -> None:
    load_paser_boundaries()
    reference = story["hauling"].reference
    village = Region.objects.get(code=LONG_IKIS_VILLAGE)
    assert village.latitude is not None
    for person, exact in (
        (personas.desa_reporter, True),
        (personas.kesbangpol_analyst, True),
        (personas.kecamatan_fkdm_chair, False),  # sees its villages' FKDM reports, not their points
    ):
        _header, rows = rows_of("csv", body(client_for(person).get("/pertukaran/ekspor/laporan.csv")))
        row = next(r for r in rows if r["nomor"] == reference)
        if exact:
            assert (row["lintang"], row["bujur"], row["ketepatan_lokasi"]) == ("-1.7512", "116.2101", "titik")
            assert row["keterangan_tempat"] == "Di belakang gudang pupuk"
        else:
            assert (float(row["lintang"]), float(row["bujur"])) == (village.latitude, village.longitude)
            assert row["ketepatan_lokasi"] == "desa"
            assert row["keterangan_tempat"] == ""
        assert row["adm4_kode"] == LONG_IKIS_VILLAGE and row["adm3_kode"] == "64.01.06"
        assert row["adm2_nama"] == "Kabupaten Paser" and row["adm1_kode"] == "64"


def test_filters_are_the_lists_filters_and_the_audit_records_each_export(
    story: dict[str, Any], kesbangpol_analyst: Any
) -> None:
    response = client_for(kesbangpol_analyst).get(
        "/pertukaran/ekspor/laporan.csv?isu=narkoba&region=64.01.06"
    )
    _header, rows = rows_of("csv", body(response))
    assert [row["nomor"] for row in rows] == [story["narkoba"].reference]
    entry = AuditEntry.objects.filter(action="exchange.exported").latest("pk")
    assert entry.actor == kesbangpol_analyst
    assert entry.changes == {
        "target": "laporan",
        "format": "csv",
        "filter": "isu=narkoba&region=64.01.06",
        "rows": 1,
    }


def test_free_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised_in_csv(
    story: dict[str, Any], kesbangpol_analyst: Any
) -> None:
    _header, rows = rows_of("csv", body(client_for(kesbangpol_analyst).get("/pertukaran/ekspor/laporan.csv")))
    assert "'=Warga menghadang truk hauling" in {row["judul"] for row in rows}
    _header, rows = rows_of(
        "xlsx", body(client_for(kesbangpol_analyst).get("/pertukaran/ekspor/laporan.xlsx"))
    )
    assert "=Warga menghadang truk hauling" in {
        row["judul"] for row in rows
    }  # an inline string, never a formula


def test_the_hxl_row_uses_only_hashtags_and_attributes_the_standard_defines(
    story: dict[str, Any], kesbangpol_analyst: Any
) -> None:
    knowledge = (STANDARDS / "hxl-knowledge-base.json").read_text()
    tags = set(__import__("re").findall(r'"hashtag": "([a-z0-9_]+)"', knowledge))
    attributes = set(__import__("re").findall(r'"attribute": "([a-z0-9_]+)"', knowledge))
    data = body(client_for(kesbangpol_analyst).get("/pertukaran/ekspor/laporan.hxl")).decode()
    hashtag_row = data.splitlines()[1].split(",")
    assert hashtag_row == [c.hxl for c in REPORT_COLUMNS]
    for cell in filter(None, hashtag_row + [c.hxl for c in INCIDENT_COLUMNS]):
        tag, *attrs = cell.lstrip("#").split("+")
        assert tag in tags, cell
        assert set(attrs) <= attributes, cell
    for needed in ("#date+occurred", "#date+reported", "#adm4+code", "#adm1+name", "#geo+lat", "#geo+lon"):
        assert needed in hashtag_row


def test_bad_filters_are_refused_with_indonesian_messages(
    story: dict[str, Any], kesbangpol_analyst: Any
) -> None:
    response = client_for(kesbangpol_analyst).get(
        "/pertukaran/ekspor/laporan.csv?isu=bukan_isu&since=kemarin"
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pilihan tidak dikenal untuk isu" in html and "Tanggal since tidak valid" in html
    assert not AuditEntry.objects.filter(action="exchange.exported").exists()
    assert client_for(kesbangpol_analyst).get("/pertukaran/ekspor/laporan.pdf").status_code == 404


def test_people_without_a_forum_seat_export_nothing(story: dict[str, Any], outsider: Any) -> None:
    assert client_for(outsider).get("/pertukaran/ekspor/laporan.csv").status_code == 403
    assert client_for(None).get("/pertukaran/ekspor/laporan.csv").status_code == 302  # to the login page


def test_the_api_streams_the_same_export_to_a_token_holder(
    story: dict[str, Any], personas: Any, kesbangpol_admin: Any
) -> None:
    _token, secret = create_token(person=personas.fkub_officer, name="gis", by=kesbangpol_admin)
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = client.get("/api/v1/exports/incidents?format=geojson")
    assert response.status_code == 200 and response.streaming
    _header, rows = rows_of("geojson", body(response))
    assert {r["nomor"] for r in rows} == set(
        Incident.objects.visible_to(personas.fkub_officer).values_list("reference", flat=True)
    )
    bad = client.get("/api/v1/exports/reports?format=pdf&isu=x")
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"format", "isu"}  # every bad field at once
    bad = client.get("/api/v1/exports/reports?isu=x")
    assert bad.status_code == 422 and bad.json()["errors"][0]["message"].startswith("Pilihan tidak dikenal")


def test_the_situation_lists_link_to_their_exports_with_the_same_filters(
    story: dict[str, Any], kesbangpol_analyst: Any
) -> None:
    html = client_for(kesbangpol_analyst).get("/situasi/laporan/?isu=narkoba").content.decode()
    assert 'href="/pertukaran/ekspor/laporan.csv?isu=narkoba"' in html
    html = client_for(kesbangpol_analyst).get("/situasi/insiden/").content.decode()
    assert 'href="/pertukaran/ekspor/insiden.hxl"' in html


def test_the_exchange_page_is_for_forum_members_and_linked_from_the_situation_pages(
    story: dict[str, Any], kesbangpol_analyst: Any, outsider: Any
) -> None:
    html = client_for(kesbangpol_analyst).get("/pertukaran/?isu=agama").content.decode()
    assert 'href="/pertukaran/ekspor/insiden.geojson?isu=agama"' in html
    assert 'href="/pertukaran/peringatan/baru/"' in html
    assert 'href="/pertukaran/"' in client_for(kesbangpol_analyst).get("/situasi/laporan/").content.decode()
    assert client_for(outsider).get("/pertukaran/").status_code == 403
