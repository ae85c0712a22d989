"""On a 360 px phone in a real Chromium: the reporter types her WhatsApp number in the notification
settings, Waspada sends a code to it (the Cloud API stand-in), she enters it and the number is
linked; then a voice note sent with her report plays on the report page (Chromium decodes the
Ogg/Opus file: its duration is read). Screenshots: docs/screenshots/journeys/whatsapp-*.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from waspada.notify.models import ChatAccount
from waspada.reports.actions import attach_file
from waspada.reports.tests.factories import submit
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.whatsapp import ogg_opus_voice_note, running_fake_whatsapp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "journeys"
SITI = "6281234500001"


def log_in(page: Any, url: str, person: Any) -> None:
    page.goto(f"{url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(person.username)
    page.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{url}/")


def test_she_links_her_number_with_the_code_and_plays_her_voice_note(
    phone: Any, live_server: Any, desa_reporter: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with running_fake_whatsapp(
        templates={("waspada_kode", "id"): "*{{1}}* adalah kode verifikasi Anda."}
    ) as api:
        settings.WASPADA_WHATSAPP_API_URL = api.url
        settings.WASPADA_WHATSAPP_ACCESS_TOKEN = api.token
        settings.WASPADA_WHATSAPP_PHONE_NUMBER_ID = api.phone_number_id

        log_in(phone, live_server.url, desa_reporter)
        phone.goto(f"{live_server.url}/notifikasi/pengaturan/")
        phone.get_by_role("textbox", name="Nomor WhatsApp").fill("0812 3450 0001")
        phone.get_by_role("button", name="Kirim kode ke WhatsApp").click()
        phone.wait_for_selector("text=Kode 6 angka dikirim")
        (sent,) = api.sent
        code = re.search(r"\*(\d{6})\*", sent["shown"])[1]  # type: ignore[index]
        assert sent["to"] == SITI
        phone.get_by_label(f"Kode yang dikirim ke {SITI}").scroll_into_view_if_needed()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        phone.screenshot(path=str(SCREENSHOTS / "whatsapp-link-1-code-sent.png"), full_page=True)

        phone.get_by_label(f"Kode yang dikirim ke {SITI}").fill(code)
        phone.get_by_role("button", name="Tautkan", exact=True).click()
        phone.wait_for_selector(f"text=Nomor WhatsApp {SITI} tertaut")
        assert ChatAccount.objects.get(channel="whatsapp").address == SITI
        assert f"WhatsApp: {SITI}" in phone.locator("main").inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        phone.screenshot(path=str(SCREENSHOTS / "whatsapp-link-2-linked.png"), full_page=True)

    # A voice note sent with her report (stored through the upload checks) plays on its page.
    report = submit(desa_reporter, title="Suara gaduh di balai desa").report
    attach_file(
        report=report, uploader=desa_reporter, data=ogg_opus_voice_note(), original_name="whatsapp-audio"
    )
    phone.goto(f"{live_server.url}/laporan/{report.reference}/")
    audio = phone.locator("audio.voice-note")
    audio.scroll_into_view_if_needed()
    # Chromium plays it to the end (muted: a headless browser plays nothing aloud): the Ogg/Opus
    # file decodes, all of its second. The duration shows as infinite before the end: the file
    # route answers without byte ranges, so the player cannot look at the last page first.
    played = phone.evaluate(
        """() => new Promise((done) => {
            const a = document.querySelector('audio.voice-note');
            a.addEventListener('ended', () => done(a.currentTime));
            a.addEventListener('error', () => done(-1));
            a.muted = true; a.play();
        })"""
    )
    assert 0.9 < played < 1.2, played  # fifty 20 ms frames
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(SCREENSHOTS / "whatsapp-voice-note-on-the-report.png"), full_page=True)
