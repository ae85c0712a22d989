"""While verifying, the analyst corrects isu, ATHG, level and place; routing follows the
corrected values, the correction is kept for triage training, and the page previews the routing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.forums.models import Forum
from waspada.reports.actions import Reclassification, reject_report, verify_report
from waspada.reports.models import Report, ReportStatus
from waspada.reports.tests.factories import submit
from waspada.response.actions import preview_routing
from waspada.response.models import Disposition
from waspada.triage.models import Correction

pytestmark = pytest.mark.django_db

PAIT = "64.01.06.2007"  # another village of Long Ikis


def _forums(report: Report) -> dict[str, str]:
    return dict(Disposition.objects.filter(report=report).values_list("forum__code", "kind"))


def test_routing_follows_the_corrected_isu_and_the_correction_is_recorded(
    desa_reporter, kesbangpol_analyst
) -> None:
    report = submit(desa_reporter, isu="agraria_korporasi", athg="gangguan", alert_level="waspada").report
    verify_report(
        report=report,
        by=kesbangpol_analyst,
        corrections=Reclassification(isu="agama", athg="ancaman", alert_level="siaga", region_code=PAIT),
    )
    report.refresh_from_db()
    assert (report.isu, report.athg, report.alert_level, report.region_id) == (
        "agama",
        "ancaman",
        "siaga",
        PAIT,
    )
    assert report.status == ReportStatus.TERVERIFIKASI
    assert report.incident is not None and report.incident.isu == "agama"
    # agama at siaga: FKUB and Timdu PKS act, Forkopimda is copied (the land-dispute routing
    # would have given Timdu PKS alone).
    assert _forums(report) == {
        "FKUB-6401": "tindakan",
        "TIMDU_PKS-6401": "tindakan",
        "FKPD-6401": "tembusan",
        "TKD-6401": "tembusan",
    }
    correction = Correction.objects.get(report=report)
    assert correction.source == "verifikasi"
    assert correction.suggested == {
        "isu": "agraria_korporasi",
        "athg": "gangguan",
        "level": "waspada",
        "region_code": "64.01.06.2006",
    }
    assert correction.final == {"isu": "agama", "athg": "ancaman", "level": "siaga", "region_code": PAIT}
    assert sorted(correction.changed) == ["athg", "isu", "level", "region_code"]
    assert AuditEntry.objects.filter(action="report.reclassified", object_id=str(report.pk)).exists()


def test_verifying_without_a_change_records_no_correction(desa_reporter, kesbangpol_analyst) -> None:
    report = submit(desa_reporter).report
    verify_report(
        report=report,
        by=kesbangpol_analyst,
        corrections=Reclassification(isu=report.isu, athg=report.athg, alert_level=report.alert_level),
    )
    assert not Correction.objects.filter(report=report).exists()


@pytest.mark.parametrize(
    ("corrections", "field", "message"),
    [
        (Reclassification(isu="bukan_isu"), "isu", "Pilihan tidak dikenal"),
        (Reclassification(alert_level="merah"), "alert_level", "Pilihan tidak dikenal"),
        (Reclassification(region_code="99.99"), "region_code", "tidak dikenal"),
        (Reclassification(region_code="64.01"), "region_code", "desa/kelurahan atau kecamatan"),
    ],
)
def test_a_bad_correction_gets_a_field_error_and_nothing_is_written(
    desa_reporter, kesbangpol_analyst, corrections: Reclassification, field: str, message: str
) -> None:
    report = submit(desa_reporter).report
    with pytest.raises(ValidationError) as caught:
        verify_report(report=report, by=kesbangpol_analyst, corrections=corrections)
    assert message in " ".join(caught.value.message_dict[field])
    report.refresh_from_db()
    assert report.status == ReportStatus.BARU and report.isu == "agraria_korporasi"
    assert not Disposition.objects.filter(report=report).exists()
    assert not Correction.objects.exists()


def test_the_preview_is_what_verifying_then_does_and_writes_nothing(
    desa_reporter, kesbangpol_analyst
) -> None:
    report = submit(desa_reporter, isu="agama", alert_level="siaga").report
    plan = preview_routing(report=report, isu="agama", alert_level="siaga", region=report.region)
    assert not Disposition.objects.exists()
    verify_report(report=report, by=kesbangpol_analyst)
    assert {p.forum.code: p.kind for p in plan} == _forums(report)
    timdu = next(p for p in plan if p.forum.code == "TIMDU_PKS-6401")
    assert timdu.acknowledge_by is not None and timdu.close_within_text == "3 hari kerja"
    fkpd = next(p for p in plan if p.forum.code == "FKPD-6401")
    assert fkpd.acknowledge_by is None


def test_a_forum_already_acting_on_the_incident_is_shown_as_such(desa_reporter, kesbangpol_analyst) -> None:
    incident = verify_report(report=submit(desa_reporter, isu="agama").report, by=kesbangpol_analyst)
    second = submit(desa_reporter, isu="agama").report
    plan = preview_routing(
        report=second, isu="agama", alert_level="waspada", region=second.region, incident_id=incident.pk
    )
    assert {p.forum.code for p in plan if p.already} == {"FKUB-6401", "TKD-6401"}


def _analyst_client(kesbangpol_analyst) -> Client:
    client = Client()
    client.force_login(kesbangpol_analyst)
    return client


def test_the_page_previews_the_routing_of_the_values_chosen(desa_reporter, kesbangpol_analyst) -> None:
    report = submit(desa_reporter, isu="agraria_korporasi").report
    client = _analyst_client(kesbangpol_analyst)
    page = client.get(f"/laporan/{report.reference}/").content.decode()
    assert 'class="verify-form"' in page
    assert "Disposisi yang akan dibuat" in page and "Tim Terpadu Penanganan Konflik Sosial" in page
    assert "terima sebelum" in page
    assert "Desa Pait" in page  # the place is chosen by name
    # As the analyst changes the isu, the preview follows (verify.js asks this).
    fragment = client.post(
        f"/laporan/{report.reference}/pratinjau-disposisi/", {"isu": "agama", "alert_level": "waspada"}
    ).content.decode()
    assert Forum.objects.get(code="FKUB-6401").name in fragment
    assert "Tim Terpadu Penanganan Konflik Sosial" not in fragment
    # Without JavaScript, the preview button re-renders the page with the chosen values.
    page = client.post(
        f"/laporan/{report.reference}/triase/", {"action": "preview", "isu": "agama"}
    ).content.decode()
    assert Forum.objects.get(code="FKUB-6401").name in page
    assert not Disposition.objects.exists()


def test_the_page_verifies_with_the_corrected_values(desa_reporter, kesbangpol_analyst) -> None:
    report = submit(desa_reporter, isu="agraria_korporasi").report
    response = _analyst_client(kesbangpol_analyst).post(
        f"/laporan/{report.reference}/triase/",
        {
            "action": "verify",
            "isu": "agama",
            "athg": "gangguan",
            "alert_level": "waspada",
            "region_code": PAIT,
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.isu, report.region_id) == (ReportStatus.TERVERIFIKASI, "agama", PAIT)
    assert "FKUB-6401" in _forums(report)


def test_the_verify_form_is_not_offered_on_a_verified_or_rejected_report(
    desa_reporter, kesbangpol_analyst
) -> None:
    verified = submit(desa_reporter).report
    verify_report(report=verified, by=kesbangpol_analyst)
    rejected = submit(desa_reporter).report
    reject_report(report=rejected, by=kesbangpol_analyst, reason="Laporan ganda")
    client = _analyst_client(kesbangpol_analyst)
    for report, says in ((verified, "Terverifikasi pada"), (rejected, "Status laporan: Ditolak.")):
        page = client.get(f"/laporan/{report.reference}/").content.decode()
        assert 'class="verify-form"' not in page
        assert 'value="reject"' not in page
        assert says in page
        assert "Bagikan ke forum" in page  # sharing stays possible


def test_the_api_verifies_with_corrections_and_refuses_a_bad_one(desa_reporter, kesbangpol_analyst) -> None:
    client = _analyst_client(kesbangpol_analyst)
    report = submit(desa_reporter, isu="agraria_korporasi").report
    bad = client.post(
        f"/api/v1/reports/{report.reference}/verify", {"isu": "bukan_isu"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["isu"]
    good = client.post(
        f"/api/v1/reports/{report.reference}/verify",
        {"isu": "agama", "alert_level": "siaga"},
        content_type="application/json",
    )
    assert good.status_code == 200, good.content
    assert (good.json()["isu"], good.json()["alert_level"]) == ("agama", "siaga")
    shown = client.get(f"/api/v1/reports/{report.reference}").json()
    assert shown["isu"] == "agama" and shown["verify_due_at"] is not None
