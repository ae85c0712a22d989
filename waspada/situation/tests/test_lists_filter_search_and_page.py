"""Report and incident lists: every filter, narrative search, keyset pages, saved searches."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, TANAH_GROGOT, submit
from waspada.situation.models import SavedSearch
from waspada.situation.tests.helpers import incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst_client(kesbangpol_analyst: Any) -> Client:
    client = Client()
    client.force_login(kesbangpol_analyst)
    return client


def _titles(client: Client, query: str, path: str = "/situasi/laporan/") -> set[str]:
    html = client.get(path + "?" + query).content.decode()
    return {title for title in ("Bentrokan", "Sabu", "Banjir", "Rumah ibadah") if title in html}


def test_filters_narrow_the_list(desa_reporter: Any, kesbangpol_analyst: Any, analyst_client: Client) -> None:
    submit(
        desa_reporter,
        title="Bentrokan warga dan perusahaan",
        isu="agraria_korporasi",
        alert_level="siaga",
        athg="ancaman",
    )
    submit(
        desa_reporter,
        title="Sabu di pelabuhan",
        isu="narkoba",
        alert_level="waspada",
        region_code=TANAH_GROGOT,
    )
    submit(desa_reporter, title="Banjir merendam jalan", isu="bencana", alert_level="normal", athg="hambatan")
    incident(
        desa_reporter, kesbangpol_analyst, title="Rumah ibadah ditolak", isu="agama", alert_level="siaga"
    )
    assert _titles(analyst_client, "") == {"Bentrokan", "Sabu", "Banjir", "Rumah ibadah"}
    assert _titles(analyst_client, "isu=narkoba") == {"Sabu"}
    assert _titles(analyst_client, "alert_level=siaga") == {"Bentrokan", "Rumah ibadah"}
    assert _titles(analyst_client, "athg=hambatan") == {"Banjir"}
    assert _titles(analyst_client, "status=terverifikasi") == {"Rumah ibadah"}
    assert _titles(analyst_client, "region=64.01.06") == {
        "Bentrokan",
        "Banjir",
        "Rumah ibadah",
    }  # with its villages
    assert _titles(analyst_client, f"region={LONG_IKIS_VILLAGE}&isu=bencana") == {"Banjir"}
    assert _titles(analyst_client, "forum=FKUB-6401") == {"Rumah ibadah"}  # disposed to FKUB
    assert _titles(analyst_client, "forum=FKUB-6401&disposition=terbuka") == {"Rumah ibadah"}
    assert _titles(analyst_client, "disposition=terlambat") == set()
    assert _titles(analyst_client, "since=2000-01-01&until=2000-01-31") == set()
    assert _titles(analyst_client, "isu=agama", "/situasi/insiden/") == {"Rumah ibadah"}
    assert _titles(analyst_client, "region=64.01.04", "/situasi/insiden/") == set()


def test_search_finds_words_in_the_narrative_and_prefixes(desa_reporter: Any, analyst_client: Client) -> None:
    submit(
        desa_reporter, title="Bentrokan di jalan hauling", what="Warga memblokade jalan tambang sejak pagi."
    )
    submit(desa_reporter, title="Sabu disita", what="Polisi menyita paket narkotika di pelabuhan.")
    assert _titles(analyst_client, "q=memblokade") == {"Bentrokan"}
    assert _titles(analyst_client, "q=PELABUHAN+paket") == {"Sabu"}
    assert _titles(analyst_client, "q=bentrok") == {"Bentrokan"}  # a word's beginning
    assert _titles(analyst_client, "q=pelabuhan+tambang") == set()  # every word must match
    assert _titles(analyst_client, "q=%27%3B+drop+table") == set()  # punctuation is not syntax


def test_bad_filter_values_are_named_in_indonesian(analyst_client: Client) -> None:
    html = analyst_client.get("/situasi/laporan/?isu=perang&since=kemarin&region=99.99").content.decode()
    assert "Pilihan tidak dikenal untuk isu: perang." in html
    assert "Tanggal since tidak valid (tulis TTTT-BB-HH): kemarin." in html
    assert "Wilayah dengan kode 99.99 tidak ditemukan." in html


def test_pages_follow_each_other_without_repeats(desa_reporter: Any, analyst_client: Client) -> None:
    refs = {submit(desa_reporter, title=f"Laporan nomor {n}").report.reference for n in range(30)}
    first = analyst_client.get("/situasi/laporan/")
    page1 = first.context["page"]
    assert len(page1.rows) == 25 and page1.next_cursor and page1.count == 30
    page2 = analyst_client.get(f"/situasi/laporan/?after={page1.next_cursor}").context["page"]
    assert len(page2.rows) == 5 and page2.next_cursor is None
    seen = [r.reference for r in page1.rows + page2.rows]
    assert len(set(seen)) == 30 and set(seen) == refs
    assert analyst_client.get("/situasi/laporan/?after=rubbish").context["page"].is_first


def test_a_search_is_saved_reused_and_deleted(kesbangpol_analyst: Any, analyst_client: Client) -> None:
    response = analyst_client.post(
        "/situasi/pencarian/",
        {"name": "Narkoba Long Ikis", "target": "laporan", "query": "isu=narkoba&region=64.01.06&bogus=1"},
        follow=True,
    )
    assert "Pencarian disimpan." in response.content.decode()
    saved = SavedSearch.objects.get(person=kesbangpol_analyst)
    assert saved.query == "isu=narkoba&region=64.01.06"
    assert AuditEntry.objects.filter(action="saved_search.saved").exists()
    html = analyst_client.get("/situasi/laporan/").content.decode()
    assert 'href="?isu=narkoba&amp;region=64.01.06">Narkoba Long Ikis' in html
    empty = analyst_client.post(
        "/situasi/pencarian/", {"name": " ", "target": "laporan", "query": ""}, follow=True
    )
    assert "Nama pencarian wajib diisi." in empty.content.decode()
    analyst_client.post(f"/situasi/pencarian/{saved.pk}/hapus/")
    assert not SavedSearch.objects.exists()


def test_someone_elses_saved_search_cannot_be_deleted(kesbangpol_analyst: Any, fkub_officer: Any) -> None:
    saved = SavedSearch.objects.create(person=kesbangpol_analyst, name="x", query="isu=agama")
    client = Client()
    client.force_login(fkub_officer)
    assert client.post(f"/situasi/pencarian/{saved.pk}/hapus/").status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()
