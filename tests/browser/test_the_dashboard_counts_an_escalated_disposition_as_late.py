"""Issue 17, part 7, in a real Chromium at 1366x768: the analyst's situation dashboard counts the
disposition escalated for lateness as late for its forum (it said "Terlambat 0"), and the link
behind the number lists its report. Screenshot docs/screenshots/journeys/response-6-dashboard-late.png."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from waspada.response import actions
from waspada.response.models import Disposition
from waspada.response.tests.helpers import verified
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import log_in_on_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEYS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "journeys"


def test_the_analyst_sees_the_escalated_forum_late_on_the_dashboard(
    chromium: Any, live_server: Any, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga")
    fkub = report.dispositions.get(forum__code="FKUB-6401")
    Disposition.objects.filter(pk=fkub.pk).update(due_at=timezone.now() - timedelta(hours=3))
    assert actions.escalate_overdue() == 1

    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    try:
        page = context.new_page()
        log_in_on_the_page(page, live_server.url, kesbangpol_analyst, PERSONA_PASSWORD)
        assert "1 terlambat" in page.locator("main").inner_text()

        page.goto(f"{live_server.url}/situasi/")
        row = page.locator("table.compact tr").filter(has_text="Kerukunan")
        late = row.locator("a.overdue")
        assert late.inner_text() == "1"
        JOURNEYS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(JOURNEYS / "response-6-dashboard-late.png"), full_page=True)
        late.click()
        assert report.reference in page.locator("main").inner_text()
    finally:
        context.close()
