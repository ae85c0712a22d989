"""Issue 17, part 4, as the head of the TKD at 1366x768: a siaga report waited past its four hours,
the worker's sweep told her (and only her), she opens the notice from the notification centre and
lands on the report with its clock, where the analyst's verification form waits. Screenshots go to
docs/screenshots/journeys/tkd-head-*.png."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from waspada.notify.events import Kind
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event, Notification
from waspada.reports.models import Report
from waspada.reports.tests.factories import submit
from waspada.reports.verification import escalate_late_verifications, verification_deadline
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import log_in_on_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "journeys"
DESKTOP = {"width": 1366, "height": 768}


def test_the_head_of_the_tkd_opens_the_late_report_from_her_notice(
    chromium: Any, live_server: Any, desa_reporter: Any, kesbangpol_analyst: Any, tkd_head: Any
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    late = submit(
        desa_reporter,
        title="Massa berkumpul di depan kantor perusahaan sawit",
        isu="agraria_korporasi",
        alert_level="siaga",
    ).report
    arrived = timezone.now() - timedelta(hours=6, minutes=10)
    Report.objects.filter(pk=late.pk).update(
        reported_at=arrived, received_at=arrived, verify_due_at=verification_deadline("siaga", arrived)
    )
    assert escalate_late_verifications() == 1
    for event in Event.objects.filter(processed_at__isnull=True):
        fan_out(event.pk)
    told = Notification.objects.filter(event__kind=Kind.VERIFICATION_LATE)
    assert set(told.values_list("person__username", flat=True)) == {tkd_head.username}

    context = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    log_in_on_the_page(page, live_server.url, tkd_head, PERSONA_PASSWORD)

    page.goto(f"{live_server.url}/notifikasi/")
    notice = page.get_by_role("link", name=f"Belum diverifikasi {late.reference}")
    assert "terlambat 2 jam" in notice.inner_text()
    assert "Batas verifikasi" in page.locator("main").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "tkd-head-1-notice.png"), full_page=True)

    notice.click()
    page.wait_for_url(f"**/laporan/{late.reference}/")
    assert "terlambat 2 jam" in page.locator(".verify-clock").inner_text()
    assert page.get_by_role("button", name="Verifikasi").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "tkd-head-2-late-report.png"))
    context.close()
