"""Issue 19, part 3, in a real Chromium at 1366x768 and 1920x1080: each role's home page shows
what needs that person now (the analyst: the verification queue and the signals to review; the
Bupati: the regions above normal, the same as the analyst's), and the dashboard fits the screen:
the filters in one bar that opens, the map, the hotspots and the signal and alert panels on the
first screen, nothing wider than the window. Screenshots docs/screenshots/home-*.png and
dashboard-*.png."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from waspada.detection.models import Signal
from waspada.regions.importers import load_paser_boundaries
from waspada.reports.tests.factories import submit
from waspada.situation.tests.helpers import incident
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import log_in_on_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"1366": {"width": 1366, "height": 768}, "1920": {"width": 1920, "height": 1080}}


@pytest.fixture
def world(desa_reporter: Any, kesbangpol_analyst: Any) -> None:
    load_paser_boundaries()
    incident(
        desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga", title="Penolakan rumah ibadah"
    )
    incident(
        desa_reporter,
        kesbangpol_analyst,
        isu="radikalisme",
        alert_level="awas",
        classification="rahasia",
        title="Informasi rahasia kelompok bersenjata",
    )
    submit(desa_reporter, isu="narkoba", alert_level="waspada", title="Dugaan sabu di pelabuhan")
    today = timezone.localdate()
    Signal.objects.create(
        region_id="64.01.06",
        isu="agama",
        period_start=today - timedelta(days=6),
        period_end=today,
        detector="farrington",
        observed=5,
        expected=0.8,
        threshold=3,
        explanation="Laporan agama di Kecamatan Long Ikis minggu ini 5, biasanya 0,8",
    )


def _top(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return float(box["y"])


@pytest.mark.parametrize("size", ["1366", "1920"])
def test_home_and_dashboard_show_what_needs_each_person_on_the_first_screen(
    chromium: Any, live_server: Any, world: None, kesbangpol_analyst: Any, regent: Any, size: str
) -> None:
    viewport = SIZES[size]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, person in (("analyst", kesbangpol_analyst), ("bupati", regent)):
        context = chromium.new_context(viewport=viewport, locale="id-ID")
        try:
            page = context.new_page()
            log_in_on_the_page(page, live_server.url, person, PERSONA_PASSWORD)
            main = page.locator("main")
            hotspots = main.locator(".home-situation")
            assert hotspots.locator("[data-hotspots]").inner_text() == "2", name  # Long Ikis and Lombok
            assert "Long Ikis" in hotspots.inner_text()
            if name == "analyst":
                assert main.locator(".verification-queue").count() == 1
                assert main.locator("[data-signals-waiting]").get_attribute("data-signals-waiting") == "1"
            else:
                assert main.locator("[data-signals-waiting]").count() == 0  # signals are the TKD's
            page.screenshot(path=str(SCREENSHOTS / f"home-{name}-{size}.png"))

            page.locator("main .home-situation a", has_text="Dasbor situasi").click()
            page.wait_for_url("**/situasi/")
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            # the filters are one closed bar; the map, the hotspots and the total are on the first screen
            assert page.locator("details.filterbar").get_attribute("open") is None
            for selector in (".map-panel svg", "section:has(h2:text('Titik rawan'))", "[data-count=total]"):
                assert _top(page, selector) < viewport["height"], (name, size, selector)
            if name == "analyst":
                assert _top(page, "[data-signals-waiting]") < viewport["height"]
            page.locator("details.filterbar summary").click()
            assert page.locator("#f-isu").is_visible()
            page.locator("details.filterbar summary").click()
            page.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}-{size}.png"))
        finally:
            context.close()
