"""Issue 19: the map page's map fits the first screen at 1366x768 and 1920x1080 (it was drawn
1332x1948 px, the legend and the status table far below) and names each kecamatan.
Screenshots docs/screenshots/map-1366.png and map-1920.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from waspada.regions.importers import load_paser_boundaries
from waspada.situation.tests.helpers import incident
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import log_in_on_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"1366": {"width": 1366, "height": 768}, "1920": {"width": 1920, "height": 1080}}


@pytest.mark.parametrize("size", ["1366", "1920"])
def test_the_map_page_shows_the_whole_named_map_and_its_legend_on_the_first_screen(
    chromium: Any, live_server: Any, desa_reporter: Any, kesbangpol_analyst: Any, size: str
) -> None:
    load_paser_boundaries()
    incident(
        desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga", title="Penolakan rumah ibadah"
    )
    viewport = SIZES[size]
    context = chromium.new_context(viewport=viewport, locale="id-ID")
    try:
        page = context.new_page()
        log_in_on_the_page(page, live_server.url, kesbangpol_analyst, PERSONA_PASSWORD)
        page.goto(live_server.url + "/situasi/peta/")
        svg = page.locator("main .map-main svg")
        assert svg.locator("text.map-label").count() >= 10  # Paser's kecamatan, named
        assert "Long Ikis" in svg.locator("text.map-label").all_text_contents()
        box = svg.bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= viewport["height"], (size, box)
        legend = page.locator("main .map-side .legend").bounding_box()
        assert legend is not None and legend["y"] < viewport["height"], (size, legend)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"map-{size}.png"))
    finally:
        context.close()
