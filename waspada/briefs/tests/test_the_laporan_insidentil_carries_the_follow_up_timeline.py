"""The laporan insidentil's timeline: each disposition, its steps and its escalation, in order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from waspada.briefs.tests.helpers import load_boundaries, pdf_text
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit
from waspada.response.actions import acknowledge, add_action, escalate
from waspada.response.models import Disposition

pytestmark = pytest.mark.django_db


def test_dispositions_follow_ups_and_escalations_are_in_the_incident_pdf(personas):
    load_boundaries()
    report = submit(
        personas.desa_reporter, isu="agama", alert_level="siaga", title="Penolakan renovasi gereja"
    ).report
    incident = verify_report(report=report, by=personas.kesbangpol_analyst)
    fkub = Disposition.objects.get(report=report, forum__kind="FKUB")
    acknowledge(disposition=fkub, by=personas.fkub_officer)
    add_action(disposition=fkub, text="Mediasi dengan tokoh agama di balai desa", by=personas.fkub_officer)
    tkd = Disposition.objects.filter(report=report, forum__kind="TKD", kind="tindakan").first()
    late = tkd or Disposition.objects.filter(report=report, kind="tindakan").exclude(pk=fkub.pk).first()
    assert late is not None
    escalate(late.pk, now=timezone.now() + timedelta(days=30))

    client = Client()
    client.force_login(personas.kesbangpol_analyst)
    text = " ".join(
        pdf_text(client.get(f"/ringkasan/insiden/{incident.reference}.pdf").content, layout=False).split()
    )
    assert "Disposisi dan tindak lanjut" in text
    assert "Forum Kerukunan Umat Beragama" in text
    assert "Mediasi dengan tokoh agama di balai desa" in text
    assert "Diterima" in text and "Eskalasi" in text

    # the FKUB member sees its own disposition's steps
    client.force_login(personas.fkub_officer)
    response = client.get(f"/ringkasan/insiden/{incident.reference}.pdf")
    assert response.status_code == 200
    assert "Mediasi dengan tokoh agama" in " ".join(pdf_text(response.content, layout=False).split())
