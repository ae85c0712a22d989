"""On a report still to verify, the probable duplicate incidents are offered to the analyst as one
button each: verify this report into that incident (the report page's existing verify action)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from waspada.audit.models import AuditEntry
from waspada.people.models import Person
from waspada.reports.actions import verify_report
from waspada.reports.models import Report, ReportStatus
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db

SAME_EVENT = {
    "title": "Warga blokir jalan hauling batubara di Lombok",
    "what": "Puluhan warga Desa Lombok memblokir jalan hauling batubara, menuntut ganti rugi lahan.",
}


def merge_buttons(html: str) -> list[str]:
    return re.findall(r'data-merge-into="([^"]+)"', html)


@pytest.fixture
def incident_and_new_report(desa_reporter: Person, kesbangpol_analyst: Person):  # type: ignore[no-untyped-def]
    incident = verify_report(report=submit(desa_reporter, **SAME_EVENT).report, by=kesbangpol_analyst)
    # Same day, another kecamatan (Janju, Tanah Grogot): not the same event.
    other = verify_report(
        report=submit(kesbangpol_analyst, **SAME_EVENT, region_code="64.01.04.2002").report,
        by=kesbangpol_analyst,
    )
    new = submit(desa_reporter, **SAME_EVENT).report
    return incident, other, new


def test_the_analyst_sees_a_one_click_button_for_the_probable_incident(
    client: Client, kesbangpol_analyst: Person, incident_and_new_report
) -> None:  # type: ignore[no-untyped-def]
    incident, other, new = incident_and_new_report
    client.force_login(kesbangpol_analyst)
    html = client.get(reverse("reports:detail", args=[new.reference])).content.decode()
    assert "Kemungkinan insiden yang sama" in html
    assert merge_buttons(html)[0] == incident.reference
    assert other.reference not in merge_buttons(html)


def test_one_click_verifies_the_report_into_that_incident_with_an_audit_entry(
    client: Client, kesbangpol_analyst: Person, incident_and_new_report
) -> None:  # type: ignore[no-untyped-def]
    incident, _other, new = incident_and_new_report
    client.force_login(kesbangpol_analyst)
    response = client.post(
        reverse("reports:triage", args=[new.reference]), {"action": "verify", "incident": incident.reference}
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.status == ReportStatus.TERVERIFIKASI and new.incident_id == incident.pk
    entry = AuditEntry.objects.filter(action="report.verified", actor=kesbangpol_analyst).latest("id")
    assert entry.changes["incident"] == incident.reference
    assert entry.object_id == str(new.pk)
    # Verified: nothing more to merge, so the buttons are gone.
    html = client.get(reverse("reports:detail", args=[new.reference])).content.decode()
    assert merge_buttons(html) == []


def test_the_reporter_sees_no_button_and_cannot_verify(
    client: Client, desa_reporter: Person, incident_and_new_report
) -> None:  # type: ignore[no-untyped-def]
    incident, _other, new = incident_and_new_report
    client.force_login(desa_reporter)
    html = client.get(reverse("reports:detail", args=[new.reference])).content.decode()
    assert new.reference in html and merge_buttons(html) == []
    response = client.post(
        reverse("reports:triage", args=[new.reference]), {"action": "verify", "incident": incident.reference}
    )
    assert response.status_code in (403, 404)
    assert Report.objects.get(pk=new.pk).status == ReportStatus.BARU
