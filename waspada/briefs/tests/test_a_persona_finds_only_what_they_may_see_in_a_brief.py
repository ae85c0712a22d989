"""Each copy holds only what its reader may see: hidden reports never appear, the informant never does,
and the exact point only for the TKD; the laporan insidentil is a 404 for whoever may not see it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from waspada.briefs.actions import brief_path, create_situation_brief
from waspada.briefs.tests.helpers import SCREENSHOTS, at, first_page_png, last_week, load_boundaries, pdf_text
from waspada.reports.actions import verify_report
from waspada.reports.models import Report
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db

INFORMANT = "Sukarti Binti Lamaddukelleng"


def _flat(content: bytes) -> str:
    return " ".join(pdf_text(content, layout=False).split())


@pytest.fixture
def secret_incident(personas):
    """A rahasia, awas report with an informant, verified into an incident last week."""
    load_boundaries()
    when = at(last_week().start + timedelta(days=1))
    report = submit(
        personas.desa_reporter,
        title="Rencana penyerangan rumah ibadah",
        what="Informasi rencana penyerangan malam ini.",
        isu="agama",
        alert_level="awas",
        classification="rahasia",
        reported_at=when,
        occurred_at=when - timedelta(hours=1),
        informant_name=INFORMANT,
        informant_contact="0812-555-0199",
        latitude=-1.6412,
        longitude=116.2033,
    ).report
    incident = verify_report(report=report, by=personas.kesbangpol_analyst)
    return Report.objects.get(pk=report.pk), incident


def _get(person, path):
    client = Client()
    client.force_login(person)
    return client.get(path)


def test_a_situation_report_never_names_a_report_its_reader_may_not_see(personas, secret_incident):
    report, incident = secret_incident
    analyst_copy = _flat(
        brief_path(
            create_situation_brief(period=last_week(), recipient=personas.kesbangpol_analyst, by=None)
        ).read_bytes()
    )
    # the analyst's copy names it (so the check below can fail)...
    assert incident.reference in analyst_copy and report.title in analyst_copy
    assert "RAHASIA" in analyst_copy
    hidden_from = []
    for key, reader in personas.all().items():
        copy = _flat(
            brief_path(create_situation_brief(period=last_week(), recipient=reader, by=None)).read_bytes()
        )
        if Report.objects.visible_to(reader).filter(pk=report.pk).exists():
            assert report.title in copy, key  # routed to them (the regent's FKPD, for an awas report)
            continue
        hidden_from.append(key)
        assert report.title not in copy and "penyerangan" not in copy.lower(), key
        assert report.reference not in copy and incident.reference not in copy, key
    # the FKUB member gets the disposition but not a rahasia report; FKDM, BNK see nothing of it
    assert {"fkub_officer", "bnk_officer", "kecamatan_fkdm_chair", "outsider"} <= set(hidden_from)
    assert INFORMANT not in analyst_copy and "0812-555-0199" not in analyst_copy


def test_the_laporan_insidentil_is_a_404_for_whoever_may_not_see_the_report(personas, secret_incident):
    report, incident = secret_incident
    for reader in (
        personas.fkub_officer,
        personas.kecamatan_fkdm_chair,
        personas.bnk_officer,
        personas.outsider,
    ):
        assert _get(reader, f"/ringkasan/laporan/{report.reference}.pdf").status_code == 404
        assert _get(reader, f"/ringkasan/insiden/{incident.reference}.pdf").status_code == 404
    assert Client().get(f"/ringkasan/laporan/{report.reference}.pdf").status_code == 302  # to the login page

    response = _get(personas.kesbangpol_analyst, f"/ringkasan/laporan/{report.reference}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _flat(response.content)
    assert report.title in text and report.reference in text
    assert "LAPORAN INSIDENTIL" in text and "RAHASIA" in text
    assert "Titik: -1.6412, 116.2033" in text  # the TKD sees the exact point
    assert INFORMANT not in text and "0812-555-0199" not in text
    first_page_png(response.content, SCREENSHOTS / "brief-laporan-insidentil.png")

    # the regent may read it (awas: disposed to the FKPD) but sees the village, not the point
    regent = _flat(_get(personas.regent, f"/ringkasan/laporan/{report.reference}.pdf").content)
    assert report.title in regent and "Titik:" not in regent and "116.2033" not in regent

    incident_pdf = _get(personas.kesbangpol_analyst, f"/ringkasan/insiden/{incident.reference}.pdf")
    assert incident_pdf.status_code == 200
    text = _flat(incident_pdf.content)
    assert incident.reference in text and report.reference in text and INFORMANT not in text


def test_others_see_the_village_only_and_every_page_carries_the_classification(personas):
    load_boundaries()
    report = submit(
        personas.desa_reporter,
        title="Antrean BBM mengular di SPBU",
        isu="infrastruktur_logistik",
        latitude=-1.6412,
        longitude=116.2033,
        informant_name=INFORMANT,
    ).report
    # the kecamatan FKDM chair sees the village FKDM's biasa reports, but not the point
    response = _get(personas.kecamatan_fkdm_chair, f"/ringkasan/laporan/{report.reference}.pdf")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert report.title in text and "Titik:" not in text and "116.2033" not in text
    assert "Lokasi ditampilkan sampai tingkat desa/kelurahan" in " ".join(text.split())
    assert INFORMANT not in text
    pages = text.split("\f")
    assert all("BIASA" in page for page in pages if page.strip())

    detail = _get(personas.kecamatan_fkdm_chair, f"/laporan/{report.reference}/")
    assert f"/ringkasan/laporan/{report.reference}.pdf" in detail.content.decode()
