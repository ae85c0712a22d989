"""The lists' table view (issue 20): sort by a column, choose columns, the dates labelled, bad
choices named in Indonesian (never a 500), the cards still there, numbered pages in other orders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.reports.tests.factories import submit
from waspada.situation.tests.helpers import incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client(kesbangpol_analyst: Any) -> Client:
    client = Client()
    client.force_login(kesbangpol_analyst)
    return client


@pytest.fixture
def three_reports(desa_reporter: Any) -> None:
    now = timezone.now()
    submit(desa_reporter, title="Banjir kecil", alert_level="normal", occurred_at=now - timedelta(days=3))
    submit(desa_reporter, title="Aksi massa", alert_level="awas", occurred_at=now - timedelta(days=1))
    submit(desa_reporter, title="Cekcok warga", alert_level="waspada", occurred_at=now - timedelta(days=2))


def _titles(client: Client, query: str, path: str = "/situasi/laporan/") -> list[str]:
    return [row.title for row in client.get(path + "?" + query).context["page"].rows]


def test_a_column_header_sorts_the_rows_and_a_second_click_reverses_them(
    three_reports: None, analyst_client: Client
) -> None:
    assert _titles(analyst_client, "urut=-tingkat") == ["Aksi massa", "Cekcok warga", "Banjir kecil"]
    assert _titles(analyst_client, "urut=tingkat") == ["Banjir kecil", "Cekcok warga", "Aksi massa"]
    assert _titles(analyst_client, "urut=judul") == ["Aksi massa", "Banjir kecil", "Cekcok warga"]
    assert _titles(analyst_client, "urut=-terjadi") == ["Aksi massa", "Cekcok warga", "Banjir kecil"]
    response = analyst_client.get("/situasi/laporan/?urut=-tingkat")
    level = next(h for h in response.context["headers"] if h.column.key == "tingkat")
    assert level.direction == "desc" and "urut=tingkat" in level.href  # the other way round
    assert 'aria-sort="descending"' in response.content.decode()


def test_an_unknown_sort_or_column_is_named_and_the_list_still_shows(
    three_reports: None, analyst_client: Client
) -> None:
    response = analyst_client.get("/situasi/laporan/?urut=password&kolom=judul,rahasia&tampilan=peta")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Urutan “password” tidak dikenal; diurutkan menurut waktu terbaru." in html
    assert "Kolom tidak dikenal diabaikan: rahasia." in html
    assert "Tampilan “peta” tidak dikenal; ditampilkan sebagai tabel." in html
    assert [h.column.key for h in response.context["headers"]] == ["judul"]


def test_the_chosen_columns_are_shown_and_kept_in_every_link(
    three_reports: None, analyst_client: Client
) -> None:
    response = analyst_client.get(
        "/situasi/laporan/?kolom=nomor&kolom=diverifikasi&kolom=korban&isu=agraria_korporasi"
    )
    html = response.content.decode()
    assert [h.column.key for h in response.context["headers"]] == ["nomor", "diverifikasi", "korban"]
    assert 'data-col="diverifikasi" title="Waktu laporan diverifikasi"' in html
    assert 'data-col="judul"' not in html
    # the header links, the export links and the filter form carry the columns and the filters
    assert all("kolom=nomor%2Cdiverifikasi%2Ckorban" in h.href for h in response.context["headers"])
    assert "laporan.xlsx?isu=agraria_korporasi&amp;kolom=nomor%2Cdiverifikasi%2Ckorban" in html
    assert '<input type="hidden" name="kolom" value="nomor,diverifikasi,korban">' in html


def test_the_three_dates_are_labelled(three_reports: None, analyst_client: Client) -> None:
    html = analyst_client.get("/situasi/laporan/").content.decode()
    for label in ("Terjadi", "Diterima", "Diverifikasi"):
        assert f">{label}" in html


def test_the_cards_stay_an_option(three_reports: None, analyst_client: Client) -> None:
    html = analyst_client.get("/situasi/laporan/?tampilan=kartu").content.decode()
    assert '<ul class="cards reports">' in html and "<table" not in html.split('id="live-list"')[1]
    assert "diterima" in html


def test_an_order_other_than_newest_pages_by_number_without_repeats(
    desa_reporter: Any, analyst_client: Client
) -> None:
    for n in range(30):
        submit(desa_reporter, title=f"Laporan {n:02d}")
    first = analyst_client.get("/situasi/laporan/?urut=judul")
    assert first.context["next_href"].endswith("urut=judul&halaman=2")
    second = analyst_client.get("/situasi/laporan/" + first.context["next_href"])
    titles = [r.title for r in first.context["page"].rows + second.context["page"].rows]
    assert titles == [f"Laporan {n:02d}" for n in range(30)]
    assert analyst_client.get("/situasi/laporan/?urut=judul&halaman=sembilan").status_code == 200


def test_the_incident_table_sorts_by_level(
    desa_reporter: Any, kesbangpol_analyst: Any, analyst_client: Client
) -> None:
    incident(desa_reporter, kesbangpol_analyst, title="Siaga di desa", alert_level="siaga")
    incident(desa_reporter, kesbangpol_analyst, title="Normal di desa", alert_level="normal")
    assert _titles(analyst_client, "urut=-tingkat", "/situasi/insiden/") == [
        "Siaga di desa",
        "Normal di desa",
    ]
    assert _titles(analyst_client, "urut=tingkat", "/situasi/insiden/") == ["Normal di desa", "Siaga di desa"]
    # status is not a sortable column for incidents: named, not a 500
    response = analyst_client.get("/situasi/insiden/?urut=status")
    assert response.status_code == 200 and "Urutan “status” tidak dikenal" in response.content.decode()


def _csv(response: Any) -> list[list[str]]:
    import csv
    import io

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_table_exports_its_columns_in_its_order_and_every_column_on_request(
    three_reports: None, analyst_client: Client
) -> None:
    page = analyst_client.get("/situasi/laporan/?kolom=judul,tingkat,korban&urut=-tingkat")
    html = page.content.decode()
    link = html.split('id="export-table"')[1].split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert link.startswith("/pertukaran/ekspor/laporan.csv?") and "tabel=1" in link

    rows = _csv(analyst_client.get(link))
    assert rows[0] == [
        "judul",
        "tingkat",
        "tingkat_nama",
        "korban_meninggal",
        "korban_luka",
        "korban_mengungsi",
    ]
    assert [row[0] for row in rows[1:]] == ["Aksi massa", "Cekcok warga", "Banjir kecil"]
    assert rows[1][1:3] == ["awas", "Awas"]

    # the default columns, in the table's order; the dates carry their labels' meaning
    rows = _csv(analyst_client.get("/pertukaran/ekspor/laporan.csv?tabel=1"))
    assert rows[0][:3] == ["nomor", "judul", "tingkat"]
    assert rows[0][-4:] == ["waktu_kejadian", "tanggal_kejadian", "waktu_laporan", "waktu_verifikasi"]
    assert "apa" not in rows[0] and "lintang" not in rows[0]

    # "Semua kolom": every field, as the API gives it
    every = html.split('id="export-all"')[1].split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert "tabel=1" not in every
    header = _csv(analyst_client.get(every))[0]
    assert "apa" in header and "lintang" in header and "waktu_verifikasi" in header


def test_the_incident_table_exports_its_columns(
    desa_reporter: Any, kesbangpol_analyst: Any, analyst_client: Client
) -> None:
    incident(desa_reporter, kesbangpol_analyst, title="Siaga di desa", alert_level="siaga")
    rows = _csv(analyst_client.get("/pertukaran/ekspor/insiden.csv?tabel=1&kolom=nomor,dicatat,status"))
    assert rows[0] == ["nomor", "waktu_dicatat", "status", "status_nama", "digabung_ke"]
    assert rows[1][2:4] == ["aktif", "Aktif"] and rows[1][1]
