"""End to end on WhatsApp, against the local Cloud API stand-in: a member reports by WhatsApp with a
photo and a location pin; the analyst verifies it in the web app; the forum's officer hears of the
disposition by WhatsApp and acknowledges it by reply (``terima``); the reporter gets the progress
by WhatsApp. Replies are in the reader's language."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from waspada.notify import outbox
from waspada.notify.actions import create_link_code, link_account
from waspada.notify.models import CommandLog
from waspada.reports.models import Report
from waspada.reports.tests.factories import jpeg_with_gps
from waspada.response.models import Disposition, DispositionStatus
from waspada.testing.whatsapp import ogg_opus_voice_note

pytestmark = pytest.mark.django_db

SITI = "6281234500001"
KETUT = "6281234500003"
REPORT = (
    "lapor\n"
    "judul: Penolakan pembangunan rumah ibadah\n"
    "apa: Sekelompok warga menghentikan pembangunan dan memasang spanduk penolakan.\n"
    "lokasi: 64.01.06.2006\n"
    "isu: agama\n"
    "tingkat: siaga"
)


def test_a_whatsapp_report_with_photo_and_pin_is_verified_acknowledged_and_followed_up(
    personas, whatsapp, client
) -> None:
    # Siti links her number with a code from the app; an admin links the FKUB officer's number.
    code = create_link_code(person=personas.desa_reporter)
    whatsapp.user_says(SITI, f"tautkan {code}")
    link_account(
        person=personas.fkub_officer, channel="whatsapp", address=KETUT, by=personas.kesbangpol_admin
    )

    whatsapp.user_says(SITI, REPORT)
    answer = whatsapp.texts_to(SITI)[-1]
    reference = re.search(r"SKD-\d{4}-\d{4}-\d{6}", answer)[0]  # type: ignore[index]
    report = Report.objects.get(reference=reference)
    assert report.reporter == personas.desa_reporter and report.channel == "chat"
    assert report.latitude is None

    # The photo and the pin, sent right after: downloaded through the media API, checked, added.
    whatsapp.user_sends_image(SITI, jpeg_with_gps())
    assert f"Foto dilampirkan ke laporan {reference}" in whatsapp.texts_to(SITI)[-1]
    whatsapp.user_sends_location(SITI, -1.7421, 116.1873, name="Desa Lombok")
    assert "ditambahkan ke laporan" in whatsapp.texts_to(SITI)[-1]
    report.refresh_from_db()
    assert (report.latitude, report.longitude) == (-1.7421, 116.1873)
    (attachment,) = report.attachments.all()
    assert attachment.content_type == "image/jpeg"
    with attachment.file.open("rb") as stored:
        assert not Image.open(io.BytesIO(stored.read())).getexif()  # the GPS in EXIF is gone

    # The analyst verifies in the web app; routing gives it to FKUB, whose officer hears by WhatsApp.
    client.force_login(personas.kesbangpol_analyst)
    assert client.post(f"/laporan/{reference}/triase/", {"action": "verify"}).status_code == 302
    outbox.process_pending()
    notices = whatsapp.texts_to(KETUT)
    assert any(reference in n and "Disposisi" in n for n in notices), notices

    # The officer acknowledges by reply, then records a follow-up the reporter may read.
    whatsapp.user_says(KETUT, f"terima {reference}")
    assert "diterima oleh" in whatsapp.texts_to(KETUT)[-1]
    disposition = Disposition.objects.get(report=report, forum__code="FKUB-6401")
    assert disposition.status == DispositionStatus.DITERIMA
    whatsapp.user_says(
        KETUT, f"tindaklanjut {reference} bagikan Mediasi dengan tokoh agama dijadwalkan besok"
    )
    assert "dicatat" in whatsapp.texts_to(KETUT)[-1]
    assert (
        CommandLog.objects.filter(channel="whatsapp", person=personas.fkub_officer, outcome="ok").count() == 2
    )

    # The reporter hears of the progress by WhatsApp (inside her window: as text).
    outbox.process_pending()
    to_siti = [m for m in whatsapp.sent if m["to"] == SITI and m["type"] == "text"]
    assert any("Laporan diverifikasi" in m["shown"] for m in to_siti), [m["shown"] for m in to_siti]
    assert any("Tindak lanjut" in m["shown"] for m in to_siti)

    # …and status webhooks mark each of those deliveries delivered.
    whatsapp.flush_statuses()
    from waspada.notify.models import Delivery

    rows = Delivery.objects.filter(channel="whatsapp", person=personas.desa_reporter)
    assert rows and all(d.platform_status == "delivered" for d in rows)


def test_a_photo_whose_caption_is_the_report_goes_with_it_and_replies_follow_the_readers_language(
    personas, whatsapp
) -> None:
    siti = personas.desa_reporter
    siti.language = "en"
    siti.save(update_fields=["language"])
    link_account(person=siti, channel="whatsapp", address=SITI, by=None)
    whatsapp.user_sends_image(
        SITI,
        jpeg_with_gps(),
        caption="lapor Warga Desa Lombok Kec. Long Ikis bentrok dengan perusahaan sawit soal lahan "
        "plasma, dua orang luka",
    )
    report = Report.objects.get()
    assert report.attachments.count() == 1 and report.isu == "agraria_korporasi"
    reply = whatsapp.texts_to(SITI)[-1]
    assert f"Report received with number {report.reference}" in reply


def test_a_pin_or_photo_without_a_recent_report_is_answered_and_nothing_is_stored(personas, whatsapp) -> None:
    link_account(person=personas.desa_reporter, channel="whatsapp", address=SITI, by=None)
    whatsapp.user_sends_location(SITI, -1.74, 116.18)
    assert "Kirim laporan dulu" in whatsapp.texts_to(SITI)[-1]
    whatsapp.user_sends_image(SITI, jpeg_with_gps())
    assert "Kirim laporan dulu" in whatsapp.texts_to(SITI)[-1]
    assert not Report.objects.exists()


def test_a_file_the_upload_checks_refuse_is_not_attached_and_the_reply_says_why(personas, whatsapp) -> None:
    link_account(person=personas.desa_reporter, channel="whatsapp", address=SITI, by=None)
    whatsapp.user_says(SITI, REPORT)
    report = Report.objects.get()
    whatsapp.user_sends_image(SITI, b"<html><script>alert(1)</script></html>")
    assert f"tidak dilampirkan ke {report.reference}" in whatsapp.texts_to(SITI)[-1]
    assert report.attachments.count() == 0


def test_a_voice_note_is_stored_as_audio_and_plays_on_the_report_page(personas, whatsapp, client) -> None:
    link_account(person=personas.desa_reporter, channel="whatsapp", address=SITI, by=None)
    whatsapp.user_says(SITI, REPORT)
    report = Report.objects.get()
    note = ogg_opus_voice_note()
    whatsapp.user_sends_voice(SITI, note)
    assert f"Pesan suara dilampirkan ke laporan {report.reference}" in whatsapp.texts_to(SITI)[-1]
    (attachment,) = report.attachments.all()
    assert (attachment.content_type, attachment.extension, attachment.size) == (
        "audio/ogg",
        ".ogg",
        len(note),
    )
    with attachment.file.open("rb") as stored:
        assert stored.read() == note  # stored as sent, once its container was read through

    client.force_login(personas.kesbangpol_analyst)
    page = client.get(f"/laporan/{report.reference}/").content.decode()
    assert f'<audio controls preload="none" src="{attachment.get_absolute_url()}"' in page
    served = client.get(attachment.get_absolute_url())
    assert served.status_code == 200 and served["Content-Type"] == "audio/ogg"
    assert served["Content-Disposition"].startswith("inline")


def test_a_broken_or_disguised_voice_note_is_refused_and_not_stored(personas, whatsapp) -> None:
    link_account(person=personas.desa_reporter, channel="whatsapp", address=SITI, by=None)
    whatsapp.user_says(SITI, REPORT)
    report = Report.objects.get()
    note = ogg_opus_voice_note()
    for bad in (
        b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x13OpusHead\x01\x01",  # no real page
        note + b"<html><script>alert(1)</script></html>",  # something riding after the last page
        note[:-1],  # cut short
        note[:-1] + bytes([note[-1] ^ 1]),  # one bit of the sound changed: the page's CRC is wrong
    ):
        whatsapp.user_sends_voice(SITI, bad)
        assert f"tidak dilampirkan ke {report.reference}" in whatsapp.texts_to(SITI)[-1]
        assert "Rekaman suara rusak" in whatsapp.texts_to(SITI)[-1]
    assert report.attachments.count() == 0


def test_a_voice_note_over_the_audio_limit_is_refused(personas, whatsapp) -> None:
    link_account(person=personas.desa_reporter, channel="whatsapp", address=SITI, by=None)
    whatsapp.user_says(SITI, REPORT)
    report = Report.objects.get()
    whatsapp.user_sends_voice(SITI, b"OggS" + bytes(5 * 1024 * 1024))  # checked for size first
    assert "Rekaman suara terlalu besar (maksimal 5 MB)" in whatsapp.texts_to(SITI)[-1]
    assert report.attachments.count() == 0
