"""In a real browser on a phone: the analyst opens a new report, sees the incident it probably
belongs to, and verifies it into that incident with one click."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.reports.actions import verify_report
from waspada.reports.models import Report, ReportStatus
from waspada.reports.tests.factories import submit
from waspada.testing.browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAME_EVENT = {
    "title": "Warga blokir jalan hauling batubara di Lombok",
    "what": "Puluhan warga Desa Lombok memblokir jalan hauling batubara, menuntut ganti rugi lahan.",
}


def test_the_analyst_merges_a_new_report_into_the_probable_incident_with_one_click(
    phone: Any, live_server: Any, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    incident = verify_report(report=submit(desa_reporter, **SAME_EVENT).report, by=kesbangpol_analyst)
    new = submit(desa_reporter, **SAME_EVENT).report

    client = Client()
    client.force_login(kesbangpol_analyst)
    phone.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip
    phone.goto(f"{live_server.url}/laporan/{new.reference}/")
    phone.get_by_text("Kemungkinan insiden yang sama").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "triage-one-click-merge.png"), full_page=True)
    phone.get_by_role("button", name=f"Verifikasi ke {incident.reference}").click()
    phone.get_by_text("Laporan diverifikasi.").wait_for()

    new = Report.objects.get(pk=new.pk)
    assert new.status == ReportStatus.TERVERIFIKASI and new.incident_id == incident.pk
    assert AuditEntry.objects.filter(
        action="report.verified", object_id=str(new.pk), changes__incident=incident.reference
    ).exists()
    assert phone.get_by_role("button", name=f"Verifikasi ke {incident.reference}").count() == 0
