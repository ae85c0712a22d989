"""Routing: a verified report goes to the forums of its isu; an awas report at once."""

import pytest

from waspada.reports.tests.factories import submit
from waspada.response.actions import route_report
from waspada.response.models import Disposition, RoutingRule
from waspada.response.tests.helpers import forums_of, verified

pytestmark = pytest.mark.django_db


def test_a_religious_tension_report_goes_to_fkub_to_act_and_the_tkd_for_information(
    desa_reporter, kesbangpol_analyst
) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="waspada")
    assert forums_of(report) == {"FKUB-6401": "tindakan", "TKD-6401": "tembusan"}
    action = report.dispositions.get(forum__code="FKUB-6401")
    assert action.due_at is not None and action.status == "menunggu"
    assert report.dispositions.get(forum__code="TKD-6401").due_at is None


def test_a_new_report_is_not_routed_before_verification(desa_reporter) -> None:
    report = submit(desa_reporter, isu="agama", alert_level="siaga").report
    assert not Disposition.objects.filter(report=report).exists()


def test_an_awas_report_is_routed_the_moment_it_is_filed_and_forkopimda_is_told(desa_reporter) -> None:
    report = submit(desa_reporter, isu="sara_etnis", alert_level="awas").report
    assert forums_of(report) == {
        "FPK-6401": "tindakan",
        "TIMDU_PKS-6401": "tindakan",
        "FKPD-6401": "tembusan",
        "TKD-6401": "tembusan",
    }
    fpk = report.dispositions.get(forum__code="FPK-6401")
    # awas: one hour to acknowledge.
    assert 3500 < (fpk.due_at - fpk.created_at).total_seconds() <= 3600


def test_routing_twice_adds_nothing(desa_reporter, kesbangpol_analyst) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="narkoba")
    assert route_report(report=report, by=kesbangpol_analyst) == []
    assert report.dispositions.count() == 2


def test_a_second_report_of_the_same_incident_gives_the_forum_no_second_disposition(
    desa_reporter, kecamatan_fkdm_chair, kesbangpol_analyst
) -> None:
    from waspada.reports.actions import verify_report

    first = verified(desa_reporter, kesbangpol_analyst, isu="agraria_korporasi")
    second = submit(kecamatan_fkdm_chair, isu="agraria_korporasi", title="Laporan kedua kejadian sama").report
    verify_report(report=second, by=kesbangpol_analyst, incident=first.incident)
    assert Disposition.objects.filter(forum__code="TIMDU_PKS-6401").count() == 1
    assert not second.dispositions.exists()


def test_kesbangpol_can_change_the_rules_without_code(desa_reporter, kesbangpol_analyst) -> None:
    RoutingRule.objects.filter(isu="narkoba").update(act_kinds=["BNK", "TIMDU_PKS"])
    report = verified(desa_reporter, kesbangpol_analyst, isu="narkoba")
    assert forums_of(report) == {"BNK-6401": "tindakan", "TIMDU_PKS-6401": "tindakan", "TKD-6401": "tembusan"}


def test_the_forum_that_must_act_can_read_the_report(desa_reporter, kesbangpol_analyst, bnk_officer) -> None:
    from waspada.reports.models import Report

    report = verified(desa_reporter, kesbangpol_analyst, isu="narkoba")
    assert Report.objects.visible_to(bnk_officer).filter(pk=report.pk).exists()


def test_a_routing_rule_changed_in_the_admin_is_recorded_in_the_audit_trail(kesbangpol_admin) -> None:
    from django.test import Client

    from waspada.audit.models import AuditEntry
    from waspada.testing.personas import PERSONA_PASSWORD

    rule = RoutingRule.objects.get(isu="narkoba")
    client = Client()
    assert client.login(username=kesbangpol_admin.username, password=PERSONA_PASSWORD)
    response = client.post(
        f"/admin/response/routingrule/{rule.pk}/change/",
        {
            "isu": "narkoba",
            "min_alert_level": "normal",
            "region_scope": "semua",
            "act_kinds": ["BNK", "TKD"],  # two boxes ticked; no box of info_kinds
            "is_active": "on",
            "note": "TKD ikut menangani",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.act_kinds == ["BNK", "TKD"]
    entry = AuditEntry.objects.filter(action="routingrule.changed").get()
    assert entry.changes["act_kinds"] == [["BNK"], ["BNK", "TKD"]]
    assert entry.actor == kesbangpol_admin


def test_a_routing_rule_takes_only_forum_kinds_that_exist(kesbangpol_admin) -> None:
    """The kinds are boxes to tick: a typed value (JSON, a number) is refused, the rule unchanged."""
    from django.test import Client

    rule = RoutingRule.objects.get(isu="narkoba")
    client = Client()
    client.force_login(kesbangpol_admin)
    page = client.get(f"/admin/response/routingrule/{rule.pk}/change/").content.decode()
    assert 'type="checkbox" name="act_kinds" value="BNK"' in page
    for typed in ("-1", '["BNK", "TKD"]', "BUKAN_FORUM"):
        response = client.post(
            f"/admin/response/routingrule/{rule.pk}/change/",
            {"isu": "narkoba", "min_alert_level": "normal", "region_scope": "semua", "act_kinds": typed},
        )
        assert response.status_code == 200, typed
        assert "act_kinds" in response.context["adminform"].form.errors, typed
    rule.refresh_from_db()
    assert rule.act_kinds == ["BNK"]
