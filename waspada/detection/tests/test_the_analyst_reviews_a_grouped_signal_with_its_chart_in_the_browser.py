"""Issue 20, part 1 and 2: the analyst opens /deteksi/ at 1366x768, sees one signal for the land
dispute outbreak in Long Ikis naming every detector that agrees (its kabupaten's too), above a
milder one; opens it, sees the weekly chart with the alarm week marked, and confirms it: every
detection behind it is confirmed. Screenshots: docs/screenshots/signal-list.png and
signal-detail.png."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from waspada.detection.detect import run_detection
from waspada.detection.models import Signal, SignalStatus
from waspada.detection.series import rebuild_series
from waspada.detection.testing import history
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, TANAH_GROGOT, submit
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import log_in_on_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 768}


def _burst(reporter: Any, analyst: Any, *, region: str, isu: str, n: int, level: str) -> None:
    for i in range(n):
        report = submit(
            reporter,
            region_code=region,
            isu=isu,
            alert_level=level,
            title=f"Laporan {isu} minggu ini {i + 1}",
            occurred_at=timezone.now() - timedelta(minutes=20 + i),
        ).report
        verify_report(report=report, by=analyst)


def test_the_analyst_confirms_a_grouped_signal_after_reading_its_chart(
    chromium: Any, live_server: Any, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    today = timezone.localdate()
    history(
        reporter=desa_reporter,
        region_code=LONG_IKIS_VILLAGE,
        isu="agraria_warga",
        weekly=[2, 1, 3, 2, 2, 1, 2, 3, 2, 2] * 9,
        current=today,
    )
    history(
        reporter=desa_reporter,
        region_code=TANAH_GROGOT,
        isu="kriminalitas",
        weekly=[0, 1, 0, 0, 1, 0, 0, 0, 1, 0] * 9,
        current=today,
    )
    rebuild_series()
    _burst(
        desa_reporter, kesbangpol_analyst, region=LONG_IKIS_VILLAGE, isu="agraria_warga", n=9, level="siaga"
    )
    _burst(desa_reporter, kesbangpol_analyst, region=TANAH_GROGOT, isu="kriminalitas", n=3, level="waspada")
    run_detection(today)
    land = Signal.objects.events().get(isu="agraria_warga")
    theft = Signal.objects.events().get(isu="kriminalitas")
    detectors = {d.get_detector_display() for d in land.detections()}
    assert len(detectors) >= 4

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = chromium.new_context(viewport=DESKTOP, locale="id-ID").new_page()
    log_in_on_the_page(page, live_server.url, kesbangpol_analyst, PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/deteksi/")
    rows = page.locator("table.signal-table tbody tr")
    assert rows.count() == 2  # one row per event, however many detectors agree
    first = rows.first
    assert first.get_attribute("data-signal") == str(land.pk)  # siaga reports: above the waspada one
    assert rows.nth(1).get_attribute("data-signal") == str(theft.pk)
    tags = first.locator(".detector-tag").all_inner_texts()
    assert "Farrington fleksibel (Noufaily 2013)" in tags and "EARS C1" in tags
    assert len(tags) == len(set(tags))  # each detector named once
    assert (
        "juga di Kabupaten Paser" in first.locator(".also").inner_text()
    )  # the kabupaten's detections joined it
    page.screenshot(path=str(SCREENSHOTS / "signal-list.png"), full_page=True)

    first.get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/deteksi/{land.pk}/")
    chart = page.locator("#series-chart svg")
    assert chart.locator("g.week").count() == 26
    assert chart.locator("g.week.alarm").count() >= 1
    assert chart.locator("g.week").last.get_attribute("class") == "week alarm"
    assert (
        chart.locator("polyline.expected").count() == 1 and chart.locator("polyline.threshold").count() == 1
    )
    assert page.locator("#detections tbody tr").count() == len(land.detections())
    assert page.get_by_text("Laporan agraria_warga minggu ini 9").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "signal-detail.png"), full_page=True)

    page.get_by_label("Alasan atau catatan (wajib bila diabaikan)").fill(
        "Dicek ke camat: sengketa kebun meluas"
    )
    page.get_by_role("button", name="Konfirmasi sinyal").click()
    page.wait_for_url(f"{live_server.url}/deteksi/{land.pk}/")
    assert page.locator("#status").inner_text() == "Dikonfirmasi"
    assert set(Signal.objects.filter(isu="agraria_warga").values_list("status", flat=True)) == {
        SignalStatus.DIKONFIRMASI
    }
    theft.refresh_from_db()
    assert theft.status == SignalStatus.BARU
