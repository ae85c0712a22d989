"""Issue 19, part 4, in a real Chromium: the Bupati asks for last week's Lapsit and is told it waits
for approval; the Kesbangpol analyst writes analisa, prakiraan and saran tindak on the draft; the
analyst submits it and the head of Kesbangpol (the ketua of Paser's TKD), told by a notice,
returns it with a note; the analyst, told, amends and submits again; the head approves it and the
analyst is told; only then does the Bupati find his copy
and download it, numbered and carrying the analyst's text. Screenshots docs/screenshots/
lapsit-draft.png, lapsit-returned.png and lapsit-approved.png."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from waspada.notify.fanout import fan_out
from waspada.notify.models import Event
from waspada.response.tests.helpers import verified
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import log_in_on_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
ANALISA = "Penolakan warga terhadap perusahaan di Long Ikis menguat karena ganti rugi belum dibayar."
PRAKIRAAN = "Aksi blokade diperkirakan berulang bila mediasi tidak dijadwalkan pekan ini."
SARAN = "Bupati mengundang perusahaan, warga dan Polres ke mediasi paling lambat Kamis."
NOTE = "Saran tindak perlu menyebut siapa yang mengundang dan kapan."


def _fan_out() -> None:
    """What the worker does after each commit: the events fanned out to their recipients."""
    for event in Event.objects.filter(processed_at__isnull=True):
        fan_out(event.pk)


def _ask_for_last_week(page: Any, url: str) -> None:
    last_week = timezone.localdate() - timedelta(days=7)
    page.goto(f"{url}/ringkasan/")
    page.get_by_label("Jenis laporan").select_option("mingguan")
    page.get_by_label("Mulai tanggal").fill(last_week.isoformat())
    page.get_by_role("button", name="Buat PDF").click()
    page.wait_for_load_state()


def test_the_regent_gets_the_lapsit_only_after_the_head_of_kesbangpol_approves_it(
    chromium: Any,
    live_server: Any,
    desa_reporter: Any,
    kesbangpol_analyst: Any,
    tkd_head: Any,
    regent: Any,
    tmp_path: Path,
) -> None:
    verified(desa_reporter, kesbangpol_analyst, isu="agraria_korporasi", alert_level="siaga")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # the Bupati asks: nothing yet, he is told it waits for the approval
    context = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    try:
        page = context.new_page()
        log_in_on_the_page(page, live_server.url, regent, PERSONA_PASSWORD)
        _ask_for_last_week(page, live_server.url)
        main = " ".join(page.locator("main").inner_text().split())
        assert "belum disetujui Kepala Kesbangpol" in main
        assert "salinan Anda dibuat setelah disetujui" in page.locator("#waiting").inner_text()
        assert page.locator("a", has_text="PDF").count() == 0
    finally:
        context.close()

    # The analyst and the head each keep one session (a second sign-in in the same 30 s would
    # replay the two-step code, which is refused).
    analyst_room = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    head_room = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    try:
        # the analyst writes on the draft
        analyst = analyst_room.new_page()
        log_in_on_the_page(analyst, live_server.url, kesbangpol_analyst, PERSONA_PASSWORD)
        analyst.goto(f"{live_server.url}/ringkasan/")
        analyst.locator("#lapsits a", has_text="Tulis / setujui").first.click()
        analyst.wait_for_url("**/ringkasan/lapsit/**")
        assert analyst.locator("#lapsit-status").get_attribute("data-status") == "konsep"
        assert analyst.locator("#lapsit-approve").count() == 0  # the analyst does not approve
        analyst.get_by_label("Analisa").fill(ANALISA)
        analyst.get_by_label("Prakiraan").fill(PRAKIRAAN)
        analyst.get_by_label("Saran tindak").fill("Bupati mengundang para pihak ke mediasi.")
        analyst.get_by_role("button", name="Simpan").click()
        analyst.wait_for_load_state()
        assert "disimpan" in analyst.locator("main").inner_text()
        analyst.screenshot(path=str(SCREENSHOTS / "lapsit-draft.png"), full_page=True)
        lapsit_url = analyst.url
        # ... and submits it to the head of Kesbangpol
        analyst.locator("#lapsit-submit").click()
        analyst.wait_for_load_state()
        assert "menunggu persetujuan Kepala Kesbangpol" in analyst.locator("#lapsit-submitted").inner_text()
        _fan_out()

        # the head of Kesbangpol finds the notice, opens the draft, returns it with a note
        head = head_room.new_page()
        log_in_on_the_page(head, live_server.url, tkd_head, PERSONA_PASSWORD)
        head.goto(f"{live_server.url}/notifikasi/")
        head.get_by_role("link", name="menunggu persetujuan Anda").click()
        head.wait_for_url(lapsit_url)
        head.get_by_label("Catatan untuk analis").fill(NOTE)
        head.get_by_role("button", name="Kembalikan kepada analis").click()
        head.wait_for_load_state()
        assert NOTE in head.locator("#lapsit-returned").inner_text()
        _fan_out()

        # the analyst reads why, amends the saran and submits again
        analyst.goto(f"{live_server.url}/notifikasi/")
        analyst.get_by_role("link", name="dikembalikan untuk diperbaiki").click()
        analyst.wait_for_url(lapsit_url)
        assert NOTE in analyst.locator("#lapsit-returned").inner_text()
        analyst.screenshot(path=str(SCREENSHOTS / "lapsit-returned.png"), full_page=True)
        analyst.get_by_label("Saran tindak").fill(SARAN)
        analyst.get_by_role("button", name="Simpan").click()
        analyst.wait_for_load_state()
        analyst.locator("#lapsit-submit").click()
        analyst.wait_for_load_state()
        assert analyst.locator("#lapsit-submitted").count() == 1
        _fan_out()

        # the head of Kesbangpol approves: numbered and sent
        head.goto(lapsit_url)
        head.locator("#lapsit-approve").click()
        head.wait_for_load_state()
        assert head.locator("#lapsit-status").get_attribute("data-status") == "dirilis"
        nomor = head.locator("#lapsit-nomor").inner_text()
        assert nomor.startswith("300.1/1/Kesbangpol/")
        assert ANALISA in head.locator("#lapsit-analisa").inner_text()
        assert SARAN in head.locator("#lapsit-saran").inner_text()
        assert head.locator("#lapsit-form").count() == 0  # no more editing
        head.screenshot(path=str(SCREENSHOTS / "lapsit-approved.png"), full_page=True)
        _fan_out()

        # the analyst is told it was approved, with its nomor
        analyst.goto(f"{live_server.url}/notifikasi/")
        analyst.get_by_role("link", name=f"disetujui, nomor {nomor}").click()
        analyst.wait_for_url(lapsit_url)
    finally:
        analyst_room.close()
        head_room.close()

    # now the Bupati downloads his copy
    context = chromium.new_context(viewport=DESKTOP, locale="id-ID", accept_downloads=True)
    try:
        page = context.new_page()
        log_in_on_the_page(page, live_server.url, regent, PERSONA_PASSWORD)
        page.goto(f"{live_server.url}/ringkasan/")
        assert page.locator("#waiting").count() == 0
        with page.expect_download() as download_info:
            page.locator("a", has_text="PDF").first.click()
        target = tmp_path / "lapsit.pdf"
        download_info.value.save_as(str(target))
        text = subprocess.run(
            ["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True, text=True
        ).stdout
        flat = " ".join(text.split())
        assert nomor in flat and ANALISA in flat and SARAN in flat
        assert "KONSEP" not in text and "LAMPIRAN" not in text
    finally:
        context.close()
