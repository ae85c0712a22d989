"""Issue 18 part 3: a regency's TKD senior releases (rilis) its Lapsit of a period to the province
with a written assessment; the province's TKD drafts "LAPORAN SITUASI PROVINSI" from the releases,
naming the regencies that have not released. Nothing rahasia and no informant travels."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.briefs.actions import (
    AlreadyReleased,
    brief_path,
    create_province_brief,
    release_situation,
)
from waspada.briefs.models import Brief, Release
from waspada.briefs.periods import BriefKind, Period, calendar_period
from waspada.briefs.tests.helpers import SCREENSHOTS, at, first_page_png, pdf_text
from waspada.regions.models import Region
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Rencana penyerangan gudang logistik"
INFORMANT = "Sukarti Binti Lamaddukelleng"
ASSESSMENT = "Situasi Paser kondusif; sengketa lahan di Long Ikis perlu dipantau."
SEPAKU = "64.09.04.1005"


def last_month() -> Period:
    this_month = calendar_period(BriefKind.BULANAN, timezone.localdate())
    return calendar_period(BriefKind.BULANAN, this_month.start - timedelta(days=1))


def _flat(content: bytes) -> str:
    return " ".join(pdf_text(content, layout=False).split())


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def world(desa_reporter, kesbangpol_analyst, ppu_reporter, ppu_analyst, kaltim) -> dict[str, Any]:
    """Last month in Paser: two agama reports and an agraria one (one verified into an awas
    incident), plus a rahasia report with an informant; one report in PPU."""
    month = last_month()
    when = at(month.start + timedelta(days=9))
    for isu in ("agama", "agama", "agraria_korporasi"):
        submit(desa_reporter, isu=isu, reported_at=when, occurred_at=when - timedelta(hours=1))
    notable = submit(
        desa_reporter,
        title="Bentrok warga di jalan hauling",
        isu="agraria_korporasi",
        alert_level="awas",
        reported_at=when,
        occurred_at=when - timedelta(hours=1),
    ).report
    verify_report(report=notable, by=kesbangpol_analyst)
    secret = submit(
        desa_reporter,
        title=SECRET_TITLE,
        isu="agama",
        alert_level="awas",
        classification="rahasia",
        reported_at=when,
        occurred_at=when - timedelta(hours=1),
        informant_name=INFORMANT,
        informant_contact="0812-555-0199",
    ).report
    verify_report(report=secret, by=kesbangpol_analyst)
    submit(ppu_reporter, region_code=SEPAKU, isu="agama", reported_at=when, occurred_at=when)
    return {
        "paser": Region.objects.get(code="64.01"),
        "ppu": Region.objects.get(code="64.09"),
        "month": month,
    }


def test_paser_tkd_head_releases_the_monthly_lapsit_audited_without_anything_rahasia(world, tkd_head) -> None:
    release = release_situation(
        regency=world["paser"], period=world["month"], assessment=ASSESSMENT, by=tkd_head
    )
    content = release.content
    # 4 non-rahasia reports (the rahasia one left out), by isu: agama 2, agraria 2
    assert content["total"] == 4
    assert {r["key"]: r["current"] for r in content["by_isu"]} == {"agama": 2, "agraria_korporasi": 2}
    assert [i["title"] for i in content["notable"]] == ["Bentrok warga di jalan hauling"]
    assert SECRET_TITLE not in str(content) and INFORMANT not in str(content)
    entry = AuditEntry.objects.get(action="brief.released")
    assert entry.actor == tkd_head
    assert entry.changes["regency"] == "64.01" and entry.changes["assessment"] == ASSESSMENT


def test_a_second_release_is_refused_unless_rilis_ulang_and_rilis_ulang_is_audited(
    world, tkd_head, kesbangpol_analyst
) -> None:
    release_situation(regency=world["paser"], period=world["month"], assessment=ASSESSMENT, by=tkd_head)
    with pytest.raises(AlreadyReleased, match="sudah dirilis"):
        release_situation(
            regency=world["paser"], period=world["month"], assessment="Lain", by=kesbangpol_analyst
        )
    again = release_situation(
        regency=world["paser"],
        period=world["month"],
        assessment="Penilaian baru",
        by=kesbangpol_analyst,
        replace=True,
    )
    assert Release.objects.count() == 1
    assert again.released_by == kesbangpol_analyst and again.times_released == 2
    entry = AuditEntry.objects.get(action="brief.re_released")
    assert entry.changes["before"]["assessment"] == ASSESSMENT


@pytest.mark.parametrize("who", ["ppu_analyst", "province_analyst", "desa_reporter"])
def test_only_paser_deciding_tkd_seniors_may_release_paser_lapsit(world, who, request) -> None:
    person = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied, match="Tim Kewaspadaan Dini"):
        release_situation(regency=world["paser"], period=world["month"], assessment=ASSESSMENT, by=person)
    response = client_for(person).post(
        "/ringkasan/rilis/",
        {
            "regency": "64.01",
            "kind": "bulanan",
            "day": world["month"].start.isoformat(),
            "assessment": ASSESSMENT,
        },
    )
    assert response.status_code == 403
    assert not Release.objects.exists()
    assert not AuditEntry.objects.filter(action="brief.released").exists()


def test_the_briefs_page_releases_and_then_says_by_whom_and_when(world, kesbangpol_analyst) -> None:
    client = client_for(kesbangpol_analyst)
    page = client.get("/ringkasan/").content.decode()
    assert "Rilis laporan situasi ke provinsi" in page
    response = client.post(
        "/ringkasan/rilis/",
        {
            "regency": "64.01",
            "kind": "bulanan",
            "day": world["month"].start.isoformat(),
            "assessment": ASSESSMENT,
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "dirilis ke provinsi" in html
    assert kesbangpol_analyst.display_name in html.split('id="releases"')[1]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"assessment": ""}, "assessment", "Tulis penilaian / analisis"),
        ({"assessment": "x" * 2001}, "assessment", "paling banyak 2000 karakter"),
        ({"kind": "harian"}, "kind", "Jenis laporan tidak dikenal"),
        ({"day": "kemarin"}, "day", "Tanggal tidak sah"),
        ({"day": "2099-01-01"}, "day", "masa depan"),
    ],
)
def test_bad_release_input_names_the_field_in_indonesian_and_stores_nothing(
    world, kesbangpol_analyst, data, field, message
) -> None:
    form = {
        "regency": "64.01",
        "kind": "bulanan",
        "day": world["month"].start.isoformat(),
        "assessment": ASSESSMENT,
    }
    response = client_for(kesbangpol_analyst).post("/ringkasan/rilis/", {**form, **data})
    assert response.status_code == 400
    html = response.content.decode()
    error = html.split(f'id="release-{field}-error">')[1].split("</p>")[0]
    assert message in error
    assert not Release.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="brief.").exists()


def test_the_province_draft_names_both_regencies_sums_and_quotes_and_holds_nothing_rahasia(
    world, tkd_head, ppu_analyst, province_analyst
) -> None:
    month = world["month"]
    release_situation(regency=world["paser"], period=month, assessment=ASSESSMENT, by=tkd_head)
    client = client_for(province_analyst)
    page = client.get(
        "/ringkasan/provinsi/", {"kind": "bulanan", "day": month.start.isoformat()}
    ).content.decode()
    assert 'id="rilis-64.01" data-released="ya"' in page
    assert 'id="rilis-64.09" data-released="belum"' in page
    response = client.post(
        "/ringkasan/provinsi/",
        {
            "provinsi": "64",
            "kind": "bulanan",
            "day": month.start.isoformat(),
            "assessment": "Provinsi waspada.",
        },
    )
    assert response.status_code == 302
    brief = Brief.objects.get(recipient=province_analyst, province_id="64")
    content = client.get(f"/ringkasan/{brief.pk}/unduh/").content
    text, flat = pdf_text(content), _flat(content)
    assert "LAPORAN SITUASI PROVINSI" in flat
    assert "Paser" in flat and "Penajam Paser Utara" in flat
    assert "BELUM MERILIS" in flat
    assert "Kabupaten/kota yang belum merilis Kabupaten Penajam Paser Utara (64.09)" in flat
    assert f"\u201c{ASSESSMENT}\u201d" in flat and tkd_head.display_name in flat
    assert "Provinsi waspada." in flat
    assert "Bentrok warga di jalan hauling" in flat
    assert SECRET_TITLE not in flat and INFORMANT not in flat and "0812-555-0199" not in flat
    # per isu, summed across the regencies that released (Paser only): agama 2, agraria 2
    assert re.search(r"Agama, rumah ibadah +2 +0 +\+2", text), text
    assert re.search(r"Agraria: warga dan perusahaan +2 +0 +\+2", text), text
    assert AuditEntry.objects.filter(action="brief.created", changes__province="64").exists()
    first_page_png(content, SCREENSHOTS / "brief-situasi-provinsi.png")

    # PPU releases too: both named as released, the sums add up
    release_situation(regency=world["ppu"], period=month, assessment="PPU aman.", by=ppu_analyst)
    brief = create_province_brief(province=world["paser"].parent, period=month, recipient=province_analyst)
    content = brief_path(brief).read_bytes()
    text, flat = pdf_text(content), _flat(content)
    assert "BELUM MERILIS" not in flat and "Semua kabupaten/kota sudah merilis" in flat
    assert re.search(r"Jumlah \(yang merilis\) +5 +0 +\+5", text), text
    assert re.search(r"Agama, rumah ibadah +3 +0 +\+3", text), text  # Paser's 2 and PPU's 1
    assert "\u201cPPU aman.\u201d" in flat


@pytest.mark.parametrize("who", ["kesbangpol_analyst", "ppu_analyst", "tkd_head", "governor"])
def test_regency_people_and_the_governor_cannot_open_the_province_lapsit(world, who, request) -> None:
    person = request.getfixturevalue(who)
    client = client_for(person)
    assert client.get("/ringkasan/provinsi/").status_code == 403
    assert client.post("/ringkasan/provinsi/", {"kind": "bulanan", "day": "2026-01-01"}).status_code == 403
    with pytest.raises(PermissionDenied):
        create_province_brief(province=world["paser"].parent, period=world["month"], recipient=person)
    assert not Brief.objects.exists()


def test_a_bad_province_period_names_the_field_and_makes_nothing(world, province_analyst) -> None:
    response = client_for(province_analyst).post(
        "/ringkasan/provinsi/", {"kind": "harian", "day": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "Jenis laporan tidak dikenal" in response.content.decode()
    assert not Brief.objects.exists()


def test_the_rollup_links_the_province_lapsit_for_the_province_analyst_only(
    world, province_analyst, governor
) -> None:
    assert (
        'id="province-lapsit-link"' in client_for(province_analyst).get("/situasi/provinsi/").content.decode()
    )
    assert 'id="province-lapsit-link"' not in client_for(governor).get("/situasi/provinsi/").content.decode()
    assert 'id="province-lapsit-link"' in client_for(province_analyst).get("/ringkasan/").content.decode()
