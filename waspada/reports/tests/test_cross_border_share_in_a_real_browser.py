"""In a real browser on a phone: Paser's analyst shares an incident on the northern border with
Penajam Paser Utara's TKD from the incident's page, and PPU's analyst opens the summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.regions.importers import load_paser_boundaries
from waspada.reports.actions import verify_report
from waspada.reports.models import IncidentShare
from waspada.reports.tests.factories import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
WHERE = "Simpang jalan hauling KM 31 dekat jembatan Sungai Telake"
REASON = "Truk hauling dari Long Kali melintas ke Babulu; warga kedua kabupaten ikut menghadang."


def _sign_in(page: Any, live_server: Any, person: Any) -> None:
    client = Client()
    client.force_login(person)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip


def test_pasers_analyst_shares_an_incident_and_ppus_analyst_opens_the_summary(
    chromium: Any, live_server: Any, desa_reporter: Any, kesbangpol_analyst: Any, ppu_analyst: Any
) -> None:
    load_paser_boundaries()
    report = submit(
        desa_reporter,
        title="Warga menghadang truk hauling batu bara di perbatasan",
        region_code="64.01.08.2008",  # Muara Toyu, Long Kali: on the border with PPU
        latitude=-1.1654321,
        longitude=116.3024681,
        where_detail=WHERE,
        informant_name="Pak Sumarno Rahasia",
    ).report
    incident = verify_report(report=report, by=kesbangpol_analyst)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    paser = chromium.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = paser.new_page()
    _sign_in(page, live_server, kesbangpol_analyst)
    page.goto(f"{live_server.url}/laporan/insiden/{incident.reference}/")
    offer = page.locator("#bagikan-tetangga")
    offer.get_by_role("heading", name="Bagikan ke TKD tetangga").wait_for()
    assert "Penajam Paser Utara" in offer.get_by_test_id("neighbours").inner_text()
    offer.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "cross-border-share-1-offer.png"), full_page=True)
    chosen = offer.get_by_label("TKD penerima").locator("option").first.inner_text()
    assert "Penajam Paser Utara" in chosen and "tetangga" in chosen
    offer.get_by_label("Alasan berbagi").fill(REASON)
    offer.get_by_role("button", name="Bagikan").click()
    page.get_by_text("Insiden dibagikan ke").wait_for()
    page.locator("#bagikan-tetangga").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "cross-border-share-2-shared.png"), full_page=True)
    paser.close()

    share = IncidentShare.objects.get()
    assert share.forum.jurisdiction_id == "64.09" and share.reason == REASON
    assert AuditEntry.objects.filter(action="incident.shared", actor=kesbangpol_analyst).exists()

    ppu = chromium.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = ppu.new_page()
    _sign_in(page, live_server, ppu_analyst)
    page.goto(f"{live_server.url}/laporan/insiden/")
    page.get_by_role("link", name=incident.reference).first.click()
    page.get_by_test_id("shared-notice").wait_for()
    text = page.locator("main").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "cross-border-share-3-neighbour.png"), full_page=True)
    ppu.close()
    assert incident.title in text and "Kecamatan Long Kali" in text and REASON in text
    for secret in ("Muara Toyu", WHERE, "Sumarno", "1654321", "3024681", report.reference):
        assert secret not in text, secret
