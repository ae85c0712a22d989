"""The dashboard, lists, map and live stamp read through visible_to: each persona sees their own picture."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from waspada.regions.models import Region
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit
from waspada.situation.tests.helpers import incident

pytestmark = pytest.mark.django_db


def _client(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def story(personas: Any) -> dict[str, Any]:
    """An agama incident (routed to FKUB), a narkoba report filed and not verified, a secret incident."""
    agama = incident(
        personas.desa_reporter,
        personas.kesbangpol_analyst,
        isu="agama",
        alert_level="siaga",
        title="Penolakan pembangunan rumah ibadah",
    )
    narkoba = submit(
        personas.desa_reporter,
        isu="narkoba",
        alert_level="waspada",
        title="Dugaan peredaran sabu di pelabuhan",
    ).report
    secret = incident(
        personas.desa_reporter,
        personas.kesbangpol_analyst,
        isu="radikalisme",
        alert_level="awas",
        classification="rahasia",
        title="Informasi rahasia kelompok bersenjata",
    )
    return {"agama": agama, "narkoba": narkoba, "secret": secret}


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("kesbangpol_analyst", {"Penolakan pembangunan", "Dugaan peredaran sabu", "Informasi rahasia"}),
        ("desa_reporter", {"Penolakan pembangunan", "Dugaan peredaran sabu", "Informasi rahasia"}),
        ("fkub_officer", {"Penolakan pembangunan"}),
        ("bnk_officer", set()),
        # siaga agama and every awas report are copied to Forkopimda; the regent is a senior role
        ("regent", {"Penolakan pembangunan", "Informasi rahasia"}),
    ],
)
def test_the_report_list_shows_only_what_the_persona_may_see(
    personas: Any, story: dict[str, Any], persona: str, sees: set[str]
) -> None:
    html = _client(getattr(personas, persona)).get("/situasi/laporan/").content.decode()
    for title in ("Penolakan pembangunan", "Dugaan peredaran sabu", "Informasi rahasia"):
        assert (title in html) == (title in sees), (persona, title)


@pytest.mark.parametrize(
    ("persona", "total", "village_status"),
    [
        ("kesbangpol_analyst", 3, "awas"),
        ("fkub_officer", 1, "siaga"),
        ("bnk_officer", 0, "normal"),
    ],
)
def test_dashboard_counts_and_map_colours_follow_visibility(
    personas: Any, story: dict[str, Any], persona: str, total: int, village_status: str
) -> None:
    client = _client(getattr(personas, persona))
    dashboard = client.get("/situasi/")
    assert dashboard.status_code == 200
    assert f'<strong data-count="total">{total}</strong>' in dashboard.content.decode()
    map_page = client.get("/situasi/peta/?region=64.01.06").content.decode()
    assert f'data-status="{LONG_IKIS_VILLAGE}">{village_status.capitalize()}' in map_page
    secret_shown = "Informasi rahasia" in dashboard.content.decode()
    assert secret_shown == (persona == "kesbangpol_analyst")


def test_an_account_without_a_forum_gets_no_situation_pages(outsider: Any) -> None:
    client = _client(outsider)
    for path in (
        "/situasi/",
        "/situasi/peta/",
        "/situasi/laporan/",
        "/situasi/insiden/",
        "/situasi/langsung.json",
        "/situasi/wilayah/64.01.06/",
    ):
        assert client.get(path).status_code == 403, path


def test_anonymous_visitors_are_sent_to_login(paser: Region) -> None:
    response = Client().get("/situasi/")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_only_the_tkd_gets_the_status_form(personas: Any) -> None:
    assert (
        "Tetapkan status"
        in _client(personas.kesbangpol_analyst).get("/situasi/wilayah/64.01.06/").content.decode()
    )
    page = _client(personas.regent).get("/situasi/wilayah/64.01.06/").content.decode()
    assert "Tetapkan status" not in page
    refused = _client(personas.regent).post(
        "/situasi/wilayah/64.01.06/", {"status": "awas", "reason": "x", "expires_at": "2099-01-01T00:00"}
    )
    assert refused.status_code == 403


def test_the_status_form_sets_and_refuses_in_indonesian(kesbangpol_analyst: Any) -> None:
    client = _client(kesbangpol_analyst)
    bad = client.post(
        "/situasi/wilayah/64.01.06/",
        {"status": "siaga", "reason": "", "expires_at": "2020-01-01T00:00"},
        follow=True,
    )
    html = bad.content.decode()
    assert "Alasan wajib diisi." in html and "Batas berlaku harus di masa depan." in html
    from django.utils import timezone

    until = (timezone.localtime() + timezone.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    ok = client.post(
        "/situasi/wilayah/64.01.06/",
        {"status": "siaga", "reason": "Rapat TKD", "expires_at": until},
        follow=True,
    )
    assert "Status wilayah ditetapkan." in ok.content.decode()
    assert 'data-status="64.01.06">Siaga' in client.get("/situasi/peta/").content.decode()


def test_the_live_stamp_changes_when_a_report_arrives(desa_reporter: Any, kesbangpol_analyst: Any) -> None:
    client = _client(kesbangpol_analyst)
    before = client.get("/situasi/langsung.json").json()["stamp"]
    assert client.get("/situasi/langsung.json").json()["stamp"] == before
    submit(desa_reporter)
    assert client.get("/situasi/langsung.json").json()["stamp"] != before
