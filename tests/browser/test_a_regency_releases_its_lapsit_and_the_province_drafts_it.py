"""Issue 18, part 3, in a real Chromium: Paser's Kesbangpol analyst releases the monthly Lapsit
to the province from the briefs page with a written assessment; the province's analyst opens the
province Lapsit page from the roll-up, sees Paser released and Penajam Paser Utara not, produces
the PDF "LAPORAN SITUASI PROVINSI" and downloads it. Screenshots docs/screenshots/
lapsit-release.png and lapsit-province.png."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from waspada.response.tests.helpers import verified
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import log_in_on_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}
ASSESSMENT = "Situasi kondusif; sengketa lahan di Long Ikis perlu dipantau bersama Polres."


@pytest.fixture
def two_regencies(desa_reporter: Any, kesbangpol_analyst: Any, ppu_reporter: Any, ppu_analyst: Any) -> None:
    verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga")
    verified(desa_reporter, kesbangpol_analyst, isu="agraria_korporasi", alert_level="waspada")
    verified(ppu_reporter, ppu_analyst, region_code="64.09.04.1005", isu="agama", alert_level="waspada")


def test_paser_releases_and_the_province_analyst_drafts_the_province_lapsit(
    chromium: Any,
    live_server: Any,
    two_regencies: None,
    kesbangpol_analyst: Any,
    province_analyst: Any,
    tmp_path: Path,
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    try:
        page = context.new_page()
        log_in_on_the_page(page, live_server.url, kesbangpol_analyst, PERSONA_PASSWORD)
        page.goto(f"{live_server.url}/ringkasan/")
        release = page.locator("#release")
        assert "Rilis laporan situasi ke provinsi" in release.inner_text()
        # the regency (Paser, the only one), the month (the default) and today's date are filled in
        release.get_by_label("Penilaian / analisis").fill(ASSESSMENT)
        release.get_by_role("button", name="Rilis ke provinsi").click()
        page.wait_for_load_state()
        assert "dirilis ke provinsi" in page.locator("main").inner_text()
        row = page.locator("#releases tbody tr").first
        assert "Kabupaten Paser" in row.inner_text()
        assert kesbangpol_analyst.display_name in row.inner_text()
        page.screenshot(path=str(SCREENSHOTS / "lapsit-release.png"), full_page=True)
        # the same month again without "Rilis ulang" is refused, shown as an error (red, bold)
        page.locator("#release").get_by_label("Penilaian / analisis").fill("Rilis kedua.")
        page.locator("#release").get_by_role("button", name="Rilis ke provinsi").click()
        page.wait_for_load_state()
        refusal = page.locator("#release [role=alert]")
        assert "Centang Rilis ulang" in refusal.inner_text()
        assert refusal.evaluate("e => getComputedStyle(e).fontWeight") == "600"
        page.screenshot(path=str(SCREENSHOTS / "lapsit-release-refused.png"), full_page=True)
    finally:
        context.close()

    context = chromium.new_context(viewport=DESKTOP, locale="id-ID", accept_downloads=True)
    try:
        page = context.new_page()
        log_in_on_the_page(page, live_server.url, province_analyst, PERSONA_PASSWORD)
        page.goto(f"{live_server.url}/situasi/provinsi/")
        page.locator("#province-lapsit-link").click()
        page.wait_for_url("**/ringkasan/provinsi/**")
        paser = page.locator("#rilis-64\\.01")
        ppu = page.locator("#rilis-64\\.09")
        assert paser.get_attribute("data-released") == "ya"
        assert kesbangpol_analyst.display_name in paser.inner_text()
        assert ppu.get_attribute("data-released") == "belum"
        assert "Belum merilis" in ppu.inner_text()
        page.get_by_label("Penilaian provinsi").fill("Provinsi memantau Long Ikis.")
        page.get_by_role("button", name="Buat PDF provinsi").click()
        page.wait_for_load_state()
        assert "Laporan situasi provinsi dibuat" in page.locator("main").inner_text()
        page.screenshot(path=str(SCREENSHOTS / "lapsit-province.png"), full_page=True)
        with page.expect_download() as download_info:
            page.locator("#province-briefs a", has_text="PDF").first.click()
        download = download_info.value
        assert download.suggested_filename.startswith("laporan-situasi-provinsi-bulanan-")
        target = tmp_path / "provinsi.pdf"
        download.save_as(str(target))
        text = subprocess.run(
            ["pdftotext", "-layout", str(target), "-"], capture_output=True, check=True, text=True
        ).stdout
        assert "LAPORAN SITUASI PROVINSI" in text
        assert "BELUM MERILIS" in text and "Penajam" in text
        assert "Situasi kondusif" in text
    finally:
        context.close()
