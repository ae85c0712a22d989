"""Issue 20, point 5, in a real Chromium: the analyst opens the report list as a table, sorts it by
level with a click on the header, chooses the columns, and downloads the XLSX; the workbook holds
the rows the table showed, in the table's order, and only the columns it showed. At 360 px the
page does not scroll sideways (the table scrolls inside its own box). Screenshots
docs/screenshots/table-view.png and table-view-360.png."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from waspada.reports.tests.factories import submit
from waspada.situation.tests.helpers import incident
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import log_in_on_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def reports(desa_reporter: Any, kesbangpol_analyst: Any) -> None:
    now = timezone.now()
    for title, level, isu, days in (
        ("Truk batubara dihadang warga", "siaga", "agraria_korporasi", 2),
        ("Banjir merendam jalan desa", "normal", "bencana", 5),
        ("Aksi massa di kantor desa", "awas", "politik_pemilu", 1),
        ("Dugaan sabu di pelabuhan", "waspada", "narkoba", 3),
    ):
        submit(desa_reporter, title=title, alert_level=level, isu=isu, occurred_at=now - timedelta(days=days))
    incident(
        desa_reporter, kesbangpol_analyst, title="Penolakan rumah ibadah", isu="agama", alert_level="siaga"
    )


def test_the_analyst_sorts_chooses_columns_and_exports_what_the_table_shows(
    chromium: Any, live_server: Any, reports: None, kesbangpol_analyst: Any
) -> None:
    base = live_server.url
    context = chromium.new_context(viewport=DESKTOP, locale="id-ID", accept_downloads=True)
    try:
        page = context.new_page()
        log_in_on_the_page(page, base, kesbangpol_analyst, PERSONA_PASSWORD)
        page.goto(f"{base}/situasi/laporan/")
        table = page.locator("table.results")
        assert table.is_visible()
        headers = table.locator("thead th").all_inner_texts()
        assert {"Terjadi", "Diterima", "Diverifikasi"} <= {h.strip(" ▲▼") for h in headers}
        # sort by level: the first click puts the highest first
        table.locator('th[data-col="tingkat"] a').click()
        page.wait_for_url("**urut=-tingkat**")
        levels = page.locator("table.results tbody td .badge").all_inner_texts()
        assert levels[0] == "Awas" and levels[-1] == "Normal"
        # choose the columns: the number, the title, the level and when it was received
        page.locator("details.columns summary").click()
        for box in page.locator('.column-form input[name="kolom"]').all():
            wanted = box.get_attribute("value") in ("nomor", "judul", "tingkat", "diterima")
            if box.is_checked() != wanted:
                box.click()
        page.locator(".column-form button[type=submit]").click()
        page.wait_for_url("**kolom=**")
        assert "urut=-tingkat" in page.url  # the order kept
        shown_headers = [h.strip(" ▲▼") for h in page.locator("table.results thead th").all_inner_texts()]
        assert shown_headers == ["Nomor", "Judul", "Tingkat", "Diterima"]
        shown = page.locator("table.results tbody tr td:first-child").all_inner_texts()
        assert len(shown) == 5
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "table-view.png"), full_page=True)
        with page.expect_download() as download_info:
            page.locator("#export-table").get_by_role("link", name="XLSX").click()
        data = Path(download_info.value.path()).read_bytes()
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        header = list(rows[0])
        # the table's columns, in its order, each code with its label beside it
        assert header == ["nomor", "judul", "tingkat", "tingkat_nama", "waktu_laporan"]
        exported = [row[header.index("nomor")] for row in rows[1:]]
        assert exported == [ref.strip() for ref in shown]  # the same rows, in the same order
        assert rows[1][header.index("tingkat_nama")] == "Awas"
        assert sheet.freeze_panes == "A2"

        # a phone: the page itself does not scroll sideways, the table scrolls in its box
        page.set_viewport_size(PHONE)
        page.goto(page.url)
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth,"
            " document.querySelector('.list-table').clientWidth]"
        )
        assert widths[0] <= widths[1], widths
        page.screenshot(path=str(SCREENSHOTS / "table-view-360.png"), full_page=True)
    finally:
        context.close()
