import pytest
from django.core.exceptions import ValidationError

from waspada.reports.actions import (
    merge_incidents,
    reject_report,
    set_incident_level,
    split_incident,
    verify_report,
)
from waspada.reports.models import Report, ReportStatus
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


def test_verifying_a_report_creates_an_incident_with_its_level(desa_reporter, kesbangpol_analyst) -> None:
    report = submit(desa_reporter, alert_level="siaga").report
    incident = verify_report(report=report, by=kesbangpol_analyst)
    report.refresh_from_db()
    assert report.status == ReportStatus.TERVERIFIKASI
    assert report.incident == incident
    assert incident.alert_level == "siaga"
    assert incident.reference.startswith("INS-6401-")


def test_an_incident_takes_the_highest_level_of_its_reports(
    desa_reporter, kecamatan_fkdm_chair, kesbangpol_analyst
):
    incident = verify_report(
        report=submit(desa_reporter, alert_level="waspada").report, by=kesbangpol_analyst
    )
    verify_report(
        report=submit(kecamatan_fkdm_chair, alert_level="awas").report,
        by=kesbangpol_analyst,
        incident=incident,
    )
    incident.refresh_from_db()
    assert incident.alert_level == "awas"


def test_an_analyst_can_set_the_level_with_a_reason_and_hand_it_back(
    desa_reporter, kesbangpol_analyst
) -> None:
    incident = verify_report(report=submit(desa_reporter, alert_level="awas").report, by=kesbangpol_analyst)
    with pytest.raises(ValidationError):
        set_incident_level(incident=incident, level="waspada", by=kesbangpol_analyst, reason=" ")
    set_incident_level(incident=incident, level="waspada", by=kesbangpol_analyst, reason="Situasi sudah reda")
    incident.refresh_from_db()
    assert (incident.alert_level, incident.alert_level_override) == ("waspada", True)
    set_incident_level(incident=incident, level=None, by=kesbangpol_analyst, reason="Kembali ke laporan")
    incident.refresh_from_db()
    assert (incident.alert_level, incident.alert_level_override) == ("awas", False)


def test_a_rejection_needs_a_reason(desa_reporter, kesbangpol_analyst) -> None:
    report = submit(desa_reporter).report
    with pytest.raises(ValidationError):
        reject_report(report=report, by=kesbangpol_analyst, reason="")
    reject_report(report=report, by=kesbangpol_analyst, reason="Tidak terbukti di lapangan")
    report.refresh_from_db()
    assert report.status == ReportStatus.DITOLAK
    assert report.status_reason == "Tidak terbukti di lapangan"


def test_merging_and_splitting_keeps_every_report(
    desa_reporter, kecamatan_fkdm_chair, kesbangpol_analyst
) -> None:
    a = verify_report(report=submit(desa_reporter).report, by=kesbangpol_analyst)
    b = verify_report(report=submit(kecamatan_fkdm_chair).report, by=kesbangpol_analyst)
    extra = submit(desa_reporter).report
    verify_report(report=extra, by=kesbangpol_analyst, incident=b)

    merge_incidents(target=a, sources=[b], by=kesbangpol_analyst, reason="Kejadian yang sama")
    b.refresh_from_db()
    assert b.merged_into == a
    assert a.reports.count() == 3

    new = split_incident(incident=a, reports=[Report.objects.get(pk=extra.pk)], by=kesbangpol_analyst)
    assert list(new.reports.all()) == [extra]
    assert a.reports.count() == 2
    assert Report.objects.count() == 3
