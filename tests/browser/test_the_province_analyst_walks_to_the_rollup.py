"""Issue 18, part 3, in a real Chromium: the province's Kesbangpol analyst goes from the home page
to the province's roll-up, at a desk (1366x768) and on a phone (360 px): both regencies, their
status, counts and late work; Paser on the map, Penajam Paser Utara (no boundary) listed by name.
Screenshots docs/screenshots/province-rollup-desktop.png and province-rollup-phone.png."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from waspada.detection.models import Signal
from waspada.regions.importers import load_paser_boundaries
from waspada.response.models import Disposition
from waspada.response.tests.helpers import verified
from waspada.testing.browser import PHONE
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import log_in_on_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 768}
SEPAKU, BABULU = "64.09.04.1005", "64.09.03.2001"  # Penajam Paser Utara


@pytest.fixture
def two_regencies(desa_reporter: Any, kesbangpol_analyst: Any, ppu_reporter: Any, ppu_analyst: Any) -> None:
    load_paser_boundaries()
    verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga")
    verified(desa_reporter, kesbangpol_analyst, isu="agraria_korporasi", alert_level="waspada")
    verified(
        ppu_reporter, ppu_analyst, region_code="64.09.04.1005", isu="agraria_korporasi", alert_level="awas"
    )
    late = verified(
        ppu_reporter, ppu_analyst, region_code="64.09.03.2001", isu="agama", alert_level="waspada"
    )
    fkub = late.dispositions.get(forum__code="FKUB-6409")
    Disposition.objects.filter(pk=fkub.pk).update(due_at=timezone.now() - timedelta(hours=2))
    today = timezone.localdate()
    Signal.objects.create(
        region_id="64.09.04",
        isu="agraria_korporasi",
        period_start=today - timedelta(days=6),
        period_end=today,
        detector="farrington",
        observed=7,
        expected=1.5,
        threshold=5,
        explanation="Laporan agraria: warga dan perusahaan di Kecamatan Sepaku minggu ini 7, biasanya 1,5",
    )


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_province_analyst_goes_from_home_to_the_rollup(
    chromium: Any, live_server: Any, two_regencies: None, province_analyst: Any, width: str
) -> None:
    context = chromium.new_context(viewport=DESKTOP if width == "desktop" else PHONE, locale="id-ID")
    try:
        page = context.new_page()
        log_in_on_the_page(page, live_server.url, province_analyst, PERSONA_PASSWORD)
        page.goto(f"{live_server.url}/")
        page.locator("a[data-province-rollup]").click()
        page.wait_for_url("**/situasi/provinsi/")
        main = page.locator("main")
        assert "Rekap provinsi Kalimantan Timur" in main.inner_text()

        ppu = page.locator('tr[data-regency="64.09"]')
        paser = page.locator('tr[data-regency="64.01"]')
        assert ppu.locator('[data-status="64.09"]').inner_text() == "Awas"
        assert paser.locator('[data-status="64.01"]').inner_text() == "Siaga"
        assert ppu.locator('[data-late="64.09"]').inner_text() == "1"
        assert ppu.locator('[data-reports="64.09"]').inner_text() == "2"
        assert paser.locator('[data-reports="64.01"]').inner_text() == "2"
        assert page.locator('svg.map path[data-code="64.01"]').count() == 1
        assert page.locator('[data-unmapped="64.09"]').inner_text().endswith("Penajam Paser Utara")
        assert "Kecamatan Sepaku minggu ini 7" in main.inner_text()
        if width == "phone":
            # the wide table scrolls inside its frame; the page itself does not
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"province-rollup-{width}.png"), full_page=True)
    finally:
        context.close()
