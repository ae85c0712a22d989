"""The reporter sees her report's journey: received, verified, the forums acting, the steps a
forum shared with her and the outcome; never a forum's other notes, never the informant. Everyone
who may see the report sees its dispositions, their status, deadlines and outcomes."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from waspada.notify.events import Kind
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event, Notification
from waspada.people.tokens import create_token
from waspada.reports.actions import reject_report
from waspada.reports.tests.factories import submit
from waspada.response import actions
from waspada.response.models import Disposition
from waspada.response.tests.helpers import verified

pytestmark = pytest.mark.django_db


def _page(person, path: str) -> str:
    client = Client()
    client.force_login(person)
    answer = client.get(path)
    assert answer.status_code == 200, path
    return answer.content.decode()


def _closed_report(personas):
    report = verified(
        personas.desa_reporter,
        personas.kesbangpol_analyst,
        isu="agama",
        informant_name="Haji Informan Rahasia",
        informant_contact="0812-0000-1111",
    )
    fkub = Disposition.objects.get(report=report, forum__code="FKUB-6401")
    officer = personas.fkub_officer
    actions.acknowledge(disposition=fkub, by=officer)
    actions.add_action(disposition=fkub, text="Catatan internal: pantau tokoh X", by=officer)
    actions.add_action(
        disposition=fkub,
        text="Dialog warga dan panitia digelar di balai desa",
        by=officer,
        share_with_reporter=True,
    )
    actions.close(disposition=fkub, outcome="tertangani", text="Ringkasan internal penutupan", by=officer)
    return report


def test_the_reporter_sees_received_verified_the_forum_its_shared_step_and_the_outcome(personas) -> None:
    report = _closed_report(personas)
    page = _page(personas.desa_reporter, f"/laporan/{report.reference}/")
    assert "Perjalanan laporan Anda" in page
    for step in (
        "Laporan diterima",
        "Diverifikasi oleh Tim Kewaspadaan Dini",
        "Forum Kerukunan Umat Beragama Kabupaten Paser menindaklanjuti",
        "Dialog warga dan panitia digelar di balai desa",
        "Forum Kerukunan Umat Beragama Kabupaten Paser menutup dengan hasil: Tertangani",
    ):
        assert step in page, step
    assert "Selesai: Tertangani" in page  # the header no longer says only "Terverifikasi"
    # What the forum did not share, and who the informant is, never reach her.
    for secret in ("Catatan internal", "Ringkasan internal", "Haji Informan Rahasia", "0812-0000-1111"):
        assert secret not in page, secret
    # She cannot open the forum's page, so her report does not link to it.
    assert not re.search(r'href="/tindak-lanjut/\d+/"', page)


def test_everyone_who_may_see_the_report_sees_its_dispositions_with_labelled_deadlines(personas) -> None:
    report = verified(personas.desa_reporter, personas.kesbangpol_analyst, isu="agama")
    fkub = Disposition.objects.get(report=report, forum__code="FKUB-6401")
    for person in (personas.kesbangpol_analyst, personas.fkub_officer, personas.desa_reporter):
        page = _page(person, f"/laporan/{report.reference}/")
        assert "Tindak lanjut forum" in page and "Forum Kerukunan Umat Beragama Kabupaten Paser" in page
        assert "Batas terima" in page and "Menunggu" in page
    analyst_page = _page(personas.kesbangpol_analyst, f"/laporan/{report.reference}/")
    assert f"/tindak-lanjut/{fkub.pk}/" in analyst_page
    assert "Perjalanan laporan Anda" not in analyst_page  # the timeline is the reporter's own

    actions.acknowledge(disposition=fkub, by=personas.fkub_officer)
    incident_page = _page(personas.fkub_officer, f"/laporan/insiden/{report.incident.reference}/")
    assert (
        "Forum Kerukunan Umat Beragama Kabupaten Paser" in incident_page and "Batas selesai" in incident_page
    )


def test_a_rejection_is_told_to_the_reporter_with_its_reason(personas) -> None:
    report = submit(personas.desa_reporter, title="Kabar burung dari grup WA").report
    reject_report(
        report=report, by=personas.kesbangpol_analyst, reason="Tidak ada sumber yang bisa diperiksa."
    )
    event = Event.objects.get(kind=Kind.REPORT_REJECTED, report=report)
    fan_out(event.pk)
    assert Notification.objects.filter(event=event, person=personas.desa_reporter).exists()
    assert event.body == "Tidak ada sumber yang bisa diperiksa."
    centre = _page(personas.desa_reporter, "/notifikasi/")
    assert "Laporan ditolak" in centre and "Tidak ada sumber yang bisa diperiksa." in centre
    page = _page(personas.desa_reporter, f"/laporan/{report.reference}/")
    assert "Ditolak" in page and "Tidak ada sumber yang bisa diperiksa." in page


def test_a_rejection_that_rolls_back_tells_nobody(personas) -> None:
    from django.db import transaction

    report = submit(personas.desa_reporter).report
    with pytest.raises(RuntimeError), transaction.atomic():
        reject_report(report=report, by=personas.kesbangpol_analyst, reason="Salah alamat")
        raise RuntimeError("rollback")
    assert not Event.objects.filter(kind=Kind.REPORT_REJECTED).exists()


def test_the_forum_shares_a_step_with_the_reporter_through_the_page_and_the_api(personas) -> None:
    report = verified(personas.desa_reporter, personas.kesbangpol_analyst, isu="agama")
    fkub = Disposition.objects.get(report=report, forum__code="FKUB-6401")
    client = Client()
    client.force_login(personas.fkub_officer)
    client.post(f"/tindak-lanjut/{fkub.pk}/aksi/", {"action": "terima"})
    form = client.get(f"/tindak-lanjut/{fkub.pk}/").content.decode()
    assert 'name="share_with_reporter"' in form and "Bagikan ke pelapor" in form
    client.post(
        f"/tindak-lanjut/{fkub.pk}/aksi/",
        {"action": "tindakan", "text": "Langkah lewat halaman", "share_with_reporter": "on"},
    )
    client.post(f"/tindak-lanjut/{fkub.pk}/aksi/", {"action": "tindakan", "text": "Langkah tidak dibagikan"})
    _, token = create_token(person=personas.fkub_officer, name="uji", by=None)
    api = Client(headers={"authorization": f"Bearer {token}"})
    answer = api.post(
        f"/api/v1/dispositions/{fkub.pk}/tindakan",
        {"text": "Langkah lewat API", "share_with_reporter": True},
        content_type="application/json",
    )
    assert answer.status_code == 200
    shared = {row["text"]: row["shared_with_reporter"] for row in answer.json()["timeline"]}
    assert shared["Langkah lewat halaman"] is True
    assert shared["Langkah tidak dibagikan"] is False
    assert shared["Langkah lewat API"] is True
    page = _page(personas.desa_reporter, f"/laporan/{report.reference}/")
    assert "Langkah lewat halaman" in page and "Langkah lewat API" in page
    assert "Langkah tidak dibagikan" not in page
