"""Escalation goes on up: when the regency's deciding TKD marks an incident as needing the province
(with a reason, audited), the regency's Forkopimda step, when late, is followed by a disposition to
the province's TKD with its own deadline; without the mark the ladder stops at Forkopimda."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.forums.models import Forum
from waspada.reports.actions import mark_needs_province
from waspada.reports.tests.factories import submit
from waspada.response import actions
from waspada.response.actions import deadline_for
from waspada.response.models import Disposition, Escalation
from waspada.response.tests.helpers import verified

pytestmark = pytest.mark.django_db


def later(**delta: float):
    return timezone.now() + timedelta(**delta)


def _climb_to_forkopimda(report) -> Disposition:
    """The TKD's own disposition (pemerintahan_desa: the TKD acts) left to run late: the regency's
    FKPD takes over."""
    tkd = report.dispositions.get(forum__code="TKD-6401", kind="tindakan")
    assert actions.escalate_overdue(now=later(days=60)) >= 1
    fkpd = Escalation.objects.get(disposition=tkd).to_disposition
    assert fkpd is not None and fkpd.forum.code == "FKPD-6401"
    return fkpd


def test_a_marked_incident_goes_from_forkopimda_to_the_province_tkd_then_stops(
    desa_reporter, kesbangpol_analyst, kaltim
) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="pemerintahan_desa", alert_level="waspada")
    mark_needs_province(
        incident=report.incident,
        needs=True,
        reason="Sengketa jalan hauling lintas kabupaten; perlu koordinasi provinsi.",
        by=kesbangpol_analyst,
    )
    fkpd = _climb_to_forkopimda(report)

    sweep_at = later(days=400)
    assert actions.escalate_overdue(now=sweep_at) >= 1
    province = Escalation.objects.get(disposition=fkpd).to_disposition
    assert province is not None and province.forum.code == "TKD-64"
    assert province.kind == "tindakan" and province.escalated_from_id == fkpd.pk
    # its own deadline: the acknowledge deadline of the level, counted from when it was made
    assert province.due_at == deadline_for(report.alert_level, "acknowledge", province.created_at)

    # the province's TKD is the top: escalating it records that and makes nothing new
    count = Disposition.objects.count()
    actions.escalate_overdue(now=province.due_at + timedelta(days=400))
    top = Escalation.objects.get(disposition=province)
    assert top.to_disposition is None and "provinsi" in top.note
    assert Disposition.objects.count() == count


def test_without_the_mark_the_ladder_stops_at_the_regencys_forkopimda(
    desa_reporter, kesbangpol_analyst, kaltim
) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="pemerintahan_desa", alert_level="waspada")
    fkpd = _climb_to_forkopimda(report)
    actions.escalate_overdue(now=later(days=400))
    top = Escalation.objects.get(disposition=fkpd)
    assert top.to_disposition is None and "FKPD" in top.note
    assert not Disposition.objects.filter(forum__code="TKD-64").exists()


def test_the_mark_is_audited_needs_a_reason_and_is_for_the_deciding_tkd_only(
    desa_reporter, kesbangpol_analyst, ppu_analyst, province_analyst, regent
) -> None:
    incident = verified(desa_reporter, kesbangpol_analyst).incident
    with pytest.raises(ValidationError) as error:
        mark_needs_province(incident=incident, needs=True, reason="  ", by=kesbangpol_analyst)
    assert "reason" in error.value.message_dict
    # the neighbour's analyst, the province's (not the deciding TKD of a Paser place) and the Bupati
    for outsider in (ppu_analyst, province_analyst, regent):
        with pytest.raises(PermissionError):
            mark_needs_province(incident=incident, needs=True, reason="Coba", by=outsider)
    incident.refresh_from_db()
    assert not incident.needs_province

    mark_needs_province(incident=incident, needs=True, reason="Lintas kabupaten", by=kesbangpol_analyst)
    incident.refresh_from_db()
    assert incident.needs_province and incident.needs_province_reason == "Lintas kabupaten"
    entry = AuditEntry.objects.filter(action="incident.needs_province_set").get()
    assert entry.changes["needs_province"] == [False, True] and entry.actor_id == kesbangpol_analyst.pk


def test_the_incident_page_offers_the_mark_to_the_regency_analyst_only(
    desa_reporter, kesbangpol_analyst, province_analyst
) -> None:
    incident = verified(desa_reporter, kesbangpol_analyst).incident
    analyst = Client()
    analyst.force_login(kesbangpol_analyst)
    url = f"/laporan/insiden/{incident.reference}/"
    assert "Tandai perlu provinsi" in analyst.get(url).content.decode()
    province = Client()
    province.force_login(province_analyst)
    assert "Tandai perlu provinsi" not in province.get(url).content.decode()
    refused = province.post(url, {"action": "province", "needs_province": "1", "reason": "Coba"})
    assert refused.status_code == 403

    answer = analyst.post(url, {"action": "province", "needs_province": "1", "reason": "Lintas batas"})
    assert answer.status_code == 302
    incident.refresh_from_db()
    assert incident.needs_province
    assert "data-needs-province" in analyst.get(url).content.decode()


def test_an_unverified_report_without_an_incident_climbs_as_before(desa_reporter, kesbangpol_analyst) -> None:
    report = submit(desa_reporter, isu="pemerintahan_desa", alert_level="waspada").report
    assert report.incident_id is None
    current = actions.add_disposition(
        report=report,
        forum=Forum.objects.get(code="FKDM-6401062006"),
        kind="tindakan",
        reason="Pantau musyawarah desa.",
        by=kesbangpol_analyst,
    )
    for step in range(4):
        actions.escalate_overdue(now=later(days=60 * (step + 1)))
        current = Escalation.objects.get(disposition=current).to_disposition or current
    assert current.forum.code == "FKPD-6401"
    assert Escalation.objects.get(disposition=current).to_disposition is None
