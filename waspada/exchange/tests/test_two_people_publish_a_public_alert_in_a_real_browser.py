"""In a real browser on a phone: Kesbangpol's analyst writes a public alert, previews its CAP
document and feed entry, and submits it; it waits. The head of Kesbangpol (ketua TKD) approves it
and only then is it in the public feed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.exchange.models import Alert, AlertProposal, ProposalStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
HEADLINE = "Blokade jalan hauling KM 12 di Long Ikis"
PHONE = {"width": 360, "height": 740}


def _sign_in(page: Any, live_server: Any, person: Any) -> None:
    client = Client()
    client.force_login(person)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip


def _public_feed() -> str:
    return Client().get("/pertukaran/peringatan/atom.xml").content.decode()


def test_two_people_publish_a_public_alert_and_one_alone_cannot(
    chromium: Any, live_server: Any, kesbangpol_analyst: Any, tkd_head: Any
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    analyst = chromium.new_context(viewport=PHONE, locale="id-ID")
    page = analyst.new_page()
    _sign_in(page, live_server, kesbangpol_analyst)
    page.goto(f"{live_server.url}/pertukaran/peringatan/baru/")
    assert page.locator("#a-isu").input_value() == "" and page.locator("#a-level").input_value() == ""
    page.locator("#a-region").select_option("64.01.06")
    page.locator("#a-isu").select_option("agraria_korporasi")
    page.locator("#a-level").select_option("siaga")
    page.get_by_label("Judul").fill(HEADLINE)
    page.get_by_label("Uraian").fill("Sekitar 200 warga menutup jalan hauling KM 12 sejak pukul 06.00 WITA.")
    page.get_by_label("Petunjuk bagi penerima").fill("Hindari jalan hauling KM 12; lewat desa Sebakung.")
    page.get_by_role("button", name="Pratinjau").click()
    preview = page.locator("#pratinjau")
    preview.get_by_text("Perlu dua orang.").wait_for()
    assert "Kecamatan Long Ikis, Kabupaten Paser, Kalimantan Timur" in preview.inner_text()
    assert "<scope>Public</scope>" in preview.inner_text()
    assert not AlertProposal.objects.exists()
    page.screenshot(path=str(SCREENSHOTS / "alert-two-keys-1-preview.png"), full_page=True)
    page.get_by_role("button", name="Terbitkan atau ajukan").click()
    page.get_by_text("Menunggu persetujuan orang kedua").wait_for()
    assert page.locator("#approve").count() == 0  # the proposer has no approve button
    page.screenshot(path=str(SCREENSHOTS / "alert-two-keys-2-waiting.png"), full_page=False)
    analyst.close()

    proposal = AlertProposal.objects.get()
    assert proposal.status == ProposalStatus.MENUNGGU and not Alert.objects.exists()
    assert HEADLINE not in _public_feed()

    head = chromium.new_context(viewport=PHONE, locale="id-ID")
    page = head.new_page()
    _sign_in(page, live_server, tkd_head)
    page.goto(f"{live_server.url}/pertukaran/peringatan/usulan/")
    page.get_by_role("link", name=HEADLINE).click()
    page.locator("#approve").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "alert-two-keys-3-approver.png"), full_page=False)
    page.locator("#approve").click()
    page.get_by_text("Usulan disetujui; peringatan diterbitkan.").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "alert-two-keys-4-published.png"), full_page=True)
    head.close()

    alert = Alert.objects.get()
    assert alert.issued_by == kesbangpol_analyst and alert.scope == "Public"
    assert alert.identifier in _public_feed()
    assert AuditEntry.objects.filter(action="alert.approved", actor=tkd_head).exists()
