"""End to end against a real Synapse, with matrix-nio as the members: a member files a report by
message and gets its reference, an analyst verifies it in the web app, the acting forum's room
gets the disposition, a member acknowledges by command, and the web timeline shows it all.

The bot's sync and the worker's sweep run in this process between the members' syncs (``step``),
so the test runs on either database."""

from __future__ import annotations

import re

import pytest

from waspada.chat.bot import CROSS_FORUM_ROOM, MatrixBot
from waspada.notify import outbox
from waspada.notify.actions import create_link_code, link_account
from waspada.notify.models import CommandLog, Room
from waspada.reports.models import Report
from waspada.response.models import Disposition, DispositionStatus

pytestmark = pytest.mark.django_db

REPORT = (
    "!lapor\n"
    "judul: Penolakan pembangunan rumah ibadah\n"
    "apa: Sekelompok warga menghentikan pembangunan dan memasang spanduk penolakan.\n"
    "lokasi: 64.01.06.2006\n"
    "isu: agama\n"
    "tingkat: siaga"
)


def test_a_report_by_message_reaches_the_acting_forums_room_and_is_acknowledged_there(
    personas, matrix_bot, new_member, client
) -> None:
    bot = MatrixBot()
    bot.sync_once()
    reporter = new_member("siti")
    officer = new_member("ketut")

    def step() -> None:
        bot.sync_once(timeout_ms=0)
        outbox.process_pending()

    # An admin links the FKUB officer; the bot makes the rooms and invites the forum's linked members.
    link_account(
        person=personas.fkub_officer, channel="matrix", address=officer.user_id, by=personas.kesbangpol_admin
    )
    bot.ensure_rooms()
    assert Room.objects.get(forum__isnull=True).name == CROSS_FORUM_ROOM
    fkub_room = Room.objects.get(forum__code="FKUB-6401").address
    officer.accept_invites()
    assert fkub_room in officer.client.rooms

    # The reporter talks to the bot directly; unlinked, a command is refused and logged.
    dm = reporter.direct_room_with(matrix_bot.user_id)
    reporter.wait_until_in_room(dm, matrix_bot.user_id, step=step)
    reporter.say(dm, "!status SKD-6401-2026-000001")
    assert "belum ditautkan" in reporter.wait_for(dm, "ditolak", step=step)
    assert CommandLog.objects.get(sender=reporter.user_id, command="status").outcome == "ditolak"

    # Linking by one-time code.
    code = create_link_code(person=personas.desa_reporter)
    reporter.say(dm, f"!tautkan {code}")
    reporter.wait_for(dm, "tertaut ke Siti Rahmawati", step=step)

    # An incomplete report is answered with what is missing; a complete one with its number.
    reporter.say(dm, "!lapor\njudul: Penolakan pembangunan rumah ibadah\nlokasi: 64.01.06.2006")
    missing = reporter.wait_for(dm, "Yang kurang", step=step)
    assert "apa" in missing and "isu" in missing and "tingkat" in missing
    reporter.say(dm, REPORT)
    answer = reporter.wait_for(dm, "Laporan diterima dengan nomor", step=step)
    reference = re.search(r"SKD-\d{4}-\d{4}-\d{6}", answer)[0]  # type: ignore[index]
    report = Report.objects.get(reference=reference)
    assert report.reporter == personas.desa_reporter and report.channel == "chat"
    assert report.alert_level == "siaga" and report.isu == "agama"

    # The analyst verifies it in the web app; routing gives it to FKUB, whose room hears of it.
    client.force_login(personas.kesbangpol_analyst)
    assert client.post(f"/laporan/{reference}/triase/", {"action": "verify"}).status_code == 302
    notice = officer.wait_for(fkub_room, reference, step=step)
    assert "Disposisi" in notice and "Forum Kerukunan Umat Beragama" in notice

    # A member acknowledges by command in the room.
    officer.say(fkub_room, f"!terima {reference}")
    officer.wait_for(fkub_room, "diterima oleh", step=step)
    disposition = Disposition.objects.get(report=report, forum__code="FKUB-6401")
    assert disposition.status == DispositionStatus.DITERIMA

    # …and a follow-up shared with the reporter, which she hears of in her direct room (closing
    # the loop).
    officer.say(fkub_room, f"!tindaklanjut {reference} bagikan Mediasi dengan tokoh agama dijadwalkan besok")
    officer.wait_for(fkub_room, "dicatat", step=step)
    reporter.wait_for(dm, "Laporan diverifikasi", step=step)
    reporter.wait_for(dm, "Tindak lanjut", step=step)

    # The web timeline shows the acknowledgement and the follow-up, by the officer.
    page = client.get(f"/tindak-lanjut/{disposition.pk}/").content.decode()
    assert "Diterima" in page and "Mediasi dengan tokoh agama dijadwalkan besok" in page
    assert "Ketut Wirawan" in page


def test_a_command_for_a_forum_the_member_does_not_sit_in_is_refused_and_logged(
    personas, matrix_bot, new_member
) -> None:
    from waspada.reports.tests.factories import submit

    bot = MatrixBot()
    bot.sync_once()
    bnk = new_member("dewi")
    link_account(person=personas.bnk_officer, channel="matrix", address=bnk.user_id, by=None)
    report = submit(personas.desa_reporter, isu="agama", alert_level="awas").report  # routed to FKUB

    def step() -> None:
        bot.sync_once(timeout_ms=0)

    dm = bnk.direct_room_with(matrix_bot.user_id)
    bnk.wait_until_in_room(dm, matrix_bot.user_id, step=step)
    bnk.say(dm, f"!terima {report.reference}")
    bnk.wait_for(dm, "tidak ditemukan atau tidak dapat Anda lihat", step=step)
    log = CommandLog.objects.get(sender=bnk.user_id, command="terima")
    assert log.outcome == "ditolak" and log.person == personas.bnk_officer
    assert not Disposition.objects.filter(report=report, status=DispositionStatus.DITERIMA).exists()
