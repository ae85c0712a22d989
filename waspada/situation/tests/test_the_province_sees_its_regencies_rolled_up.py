"""The province's roll-up (/situasi/provinsi/ and GET /api/v1/situation/provinsi): one row per
regency with its assessed status, reports by isu and level, open and late dispositions and
signals, for the province's TKD (and, saying what it cannot see, the Gubernur's Forkopimda)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.detection.models import Signal
from waspada.regions.importers import load_paser_boundaries
from waspada.response.models import Disposition
from waspada.response.tests.helpers import verified

pytestmark = pytest.mark.django_db

SEPAKU = "64.09.04.1005"
BABULU = "64.09.03.2001"


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _signal(region: str, explanation: str) -> Signal:
    today = timezone.localdate()
    return Signal.objects.create(
        region_id=region,
        isu="agraria_korporasi",
        period_start=today - timedelta(days=6),
        period_end=today,
        detector="farrington",
        observed=9,
        expected=2,
        threshold=6,
        explanation=explanation,
    )


@pytest.fixture
def province_world(desa_reporter, kesbangpol_analyst, ppu_reporter, ppu_analyst) -> dict[str, Any]:
    verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga")
    verified(ppu_reporter, ppu_analyst, region_code=SEPAKU, isu="agraria_korporasi", alert_level="waspada")
    secret = verified(
        ppu_reporter,
        ppu_analyst,
        region_code=BABULU,
        isu="narkoba",
        alert_level="waspada",
        classification="rahasia",
    )
    # PPU's FKUB… no: the rahasia report's narkoba forum (BNK-6409) missed its deadline
    late = secret.dispositions.get(forum__code="BNK-6409")
    Disposition.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    return {
        "ppu_signal": _signal("64.09.04", "Laporan agraria di Sepaku minggu ini 9, biasanya 2"),
        "province_signal": _signal("64", "Laporan agraria di Kalimantan Timur minggu ini 9, biasanya 2"),
    }


def _row(html: str, code: str) -> str:
    match = re.search(rf'<tr id="kab-{re.escape(code)}".*?</tr>', html, re.S)
    assert match, f"no row for {code}"
    return match.group(0)


def test_the_province_analyst_sees_both_regencies_with_status_counts_late_work_and_signals(
    province_world, province_analyst
) -> None:
    load_paser_boundaries()
    html = client_for(province_analyst).get("/situasi/provinsi/").content.decode()
    paser, ppu = _row(html, "64.01"), _row(html, "64.09")
    assert 'data-status="64.01">Siaga' in paser
    assert 'data-status="64.09">Waspada' in ppu
    assert re.search(r'data-reports="64.09">2<', ppu)  # the rahasia one too: the analyst is senior
    assert re.search(r'data-reports="64.01">1<', paser)
    assert 'data-late="64.09" class="overdue">1<' in ppu
    assert 'data-late="64.01">0<' in paser
    assert 'data-signals="64.09">1<' in ppu
    assert "Laporan agraria di Kalimantan Timur" in html  # the province's own signal
    # Paser is drawn on the map; PPU has no boundary: listed by name, not dropped
    assert 'data-code="64.01"' in html and 'data-unmapped="64.09"' in html
    assert 'data-unmapped="64.01"' not in html
    assert "Sebagian gambaran tidak ditampilkan" not in html


def test_the_period_narrows_the_counts_and_a_bad_date_is_named(province_world, province_analyst) -> None:
    client = client_for(province_analyst)
    long_ago = client.get("/situasi/provinsi/?since=2020-01-01&until=2020-01-31").content.decode()
    assert re.search(r'data-reports="64.09">0<', _row(long_ago, "64.09"))
    bad = client.get("/situasi/provinsi/?since=kemarin")
    assert bad.status_code == 200 and "Tanggal since tidak valid" in bad.content.decode()


def test_the_governor_sees_the_province_analysts_picture_and_is_told_what_he_may_not_open(
    province_world, governor, province_analyst
) -> None:
    """Rule 13: the Gubernur's Forkopimda gets the same counts and statuses as the province's
    analyst; the reports he may not open are counted and said, never listed."""
    html = client_for(governor).get("/situasi/provinsi/").content.decode()
    analyst = client_for(province_analyst).get("/situasi/provinsi/").content.decode()
    def cells(page: str, regency: str) -> str:  # the signals column is the senior TKD's alone
        row = re.sub(r'<td data-label="Sinyal">.*?</td>', "", _row(page, regency), flags=re.S)
        return " ".join(row.split())

    for regency in ("64.01", "64.09"):
        assert cells(html, regency) == cells(analyst, regency), regency
    assert re.search(r'data-reports="64.09">[1-9]', _row(html, "64.09"))
    assert "Sebagian gambaran tidak ditampilkan" in html
    assert "laporan dalam gambaran ini tidak dapat Anda buka" in html
    assert "Laporan agraria di Sepaku" not in html and 'data-signals="64.09"' not in html
    assert "Sinyal deteksi dini hanya ditampilkan kepada jajaran senior TKD" in html


@pytest.mark.parametrize("who", ["kesbangpol_analyst", "regent", "ppu_analyst", "ppu_regent", "outsider"])
def test_regency_people_and_outsiders_are_refused_the_rollup(province_world, who, request) -> None:
    person = request.getfixturevalue(who)
    assert client_for(person).get("/situasi/provinsi/").status_code == 403
    assert client_for(person).get("/api/v1/situation/provinsi").status_code == 403
    assert "Rekap provinsi" not in client_for(person).get("/").content.decode()


def test_another_province_than_ones_own_answers_404(province_world, province_analyst) -> None:
    assert client_for(province_analyst).get("/situasi/provinsi/?provinsi=63").status_code == 404


def test_the_home_page_links_the_province_analyst_to_the_rollup(province_world, province_analyst) -> None:
    html = client_for(province_analyst).get("/").content.decode()
    assert 'href="/situasi/provinsi/" data-province-rollup' in html


def test_the_api_twin_answers_the_same_numbers(province_world, province_analyst) -> None:
    answer = client_for(province_analyst).get("/api/v1/situation/provinsi")
    assert answer.status_code == 200
    body = answer.json()
    rows = {row["code"]: row for row in body["regencies"]}
    assert set(rows) == {"64.01", "64.09"}
    assert rows["64.09"]["status"] == "waspada" and rows["64.09"]["reports"] == 2
    assert rows["64.09"]["late_dispositions"] == 1 and rows["64.09"]["by_isu"]["narkoba"] == 1
    assert rows["64.01"]["status"] == "siaga" and body["province_signals"] == 1
    assert body["withheld"] == []
    bad = client_for(province_analyst).get("/api/v1/situation/provinsi?since=kemarin")
    assert bad.status_code == 422
