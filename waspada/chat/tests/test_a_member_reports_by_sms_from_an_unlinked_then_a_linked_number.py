"""End to end by SMS, against the SMS Gateway for Android stand-in: a member texts a report from
a number not yet linked (told how to link it, nothing stored), links it with a code from the app,
reports in the compact form and gets the reference; the analyst verifies in the web app; the
FKUB officer hears of the disposition by SMS, acknowledges with TERIMA and records a follow-up
with TINDAKLANJUT; the reporter hears of the progress by SMS."""

from __future__ import annotations

import re

import pytest

from waspada.notify import outbox
from waspada.notify.actions import create_link_code
from waspada.notify.models import ChatAccount, CommandLog, InboundMessage
from waspada.reports.models import Report
from waspada.response.models import Disposition, DispositionStatus

pytestmark = pytest.mark.django_db

SITI = "6281234500001"
KETUT = "6281234500003"
REPORT = "LAPOR agama Lombok Sekelompok warga menghentikan pembangunan rumah ibadah dan memasang spanduk"


def test_an_sms_report_from_an_unlinked_then_a_linked_number_is_verified_acknowledged_and_followed_up(
    personas, sms, client
) -> None:
    # Unlinked: the answer says how to get linked; nothing is stored.
    sms.user_texts("+" + SITI, REPORT)
    assert "TAUTKAN KODE" in sms.texts_to(SITI)[-1]
    assert (
        not Report.objects.exists()
        and not InboundMessage.objects.exists()
        and not CommandLog.objects.exists()
    )

    # Siti makes a code in the app and sends it; an admin links the FKUB officer's number.
    sms.user_texts("+" + SITI, f"tautkan {create_link_code(person=personas.desa_reporter)}")
    assert "tertaut ke Siti Rahmawati" in sms.texts_to(SITI)[-1]
    client.force_login(personas.kesbangpol_admin)
    form = {"username": "anggota.fkub", "channel": "sms", "address": "0812-3450-0003"}
    assert client.post("/notifikasi/tautan/", form).status_code == 302
    assert ChatAccount.objects.get(person=personas.fkub_officer, channel="sms").address == KETUT
    # Ketut wants every level by SMS (default: from siaga).
    client.force_login(personas.fkub_officer)
    assert (
        client.post("/notifikasi/pengaturan/", {"sms-enabled": "on", "sms-min_level": "normal"}).status_code
        == 302
    )

    # Linked: the same SMS is a report, answered with its reference.
    sms.user_texts("+" + SITI, REPORT)
    answer = sms.texts_to(SITI)[-1]
    reference = re.search(r"SKD-\d{4}-\d{4}-\d{6}", answer)[0]  # type: ignore[index]
    report = Report.objects.get(reference=reference)
    assert (
        report.reporter == personas.desa_reporter and report.isu == "agama" and report.region.name == "Lombok"
    )

    # The analyst verifies; routing gives it to FKUB, whose officer hears by SMS.
    client.force_login(personas.kesbangpol_analyst)
    assert client.post(f"/laporan/{reference}/triase/", {"action": "verify"}).status_code == 302
    outbox.process_pending()
    notices = sms.texts_to(KETUT)
    assert any(reference in n and "Disposisi" in n for n in notices), notices

    # The officer acknowledges by SMS, then records a follow-up the reporter may read.
    sms.user_texts("+" + KETUT, f"TERIMA {reference}")
    assert "diterima oleh" in sms.texts_to(KETUT)[-1]
    disposition = Disposition.objects.get(report=report, forum__code="FKUB-6401")
    assert disposition.status == DispositionStatus.DITERIMA
    sms.user_texts(
        "+" + KETUT, f"tindaklanjut {reference} bagikan Mediasi dengan tokoh agama dijadwalkan besok"
    )
    assert "dicatat" in sms.texts_to(KETUT)[-1]
    assert CommandLog.objects.filter(channel="sms", person=personas.fkub_officer, outcome="ok").count() == 2

    # The reporter hears of the progress by SMS, each text short.
    outbox.process_pending()
    to_siti = sms.texts_to(SITI)
    assert any("Laporan diverifikasi" in t for t in to_siti), to_siti
    assert any("Tindak lanjut" in t or "Mediasi" in t for t in to_siti), to_siti
    assert all(len(m["text"]) <= 160 for m in sms.sent)
