"""End to end against a real Synapse: a member sends `!lapor` in plain words; the bot files it with
the village found (a named Paser desa becomes its Kemendagri code) and says what it chose and where
it will go; the analyst verifies it (the reports action); the routed forums get dispositions, and
the FKUB room on the homeserver holds the disposition notice. Assertions read Synapse's own room
history (``synapse.room_messages``), not only the database."""

from __future__ import annotations

import re

import pytest

from waspada.chat.bot import MatrixBot
from waspada.notify import outbox
from waspada.notify.actions import create_link_code, link_account
from waspada.notify.models import Room
from waspada.reports.actions import verify_report
from waspada.reports.models import Report
from waspada.response.models import Disposition

pytestmark = pytest.mark.django_db

PLAIN = (
    "!lapor Sekelompok orang membubarkan kebaktian jemaat gereja di Desa Lombok, Long Ikis, "
    "warga resah dan jemaat takut beribadah"
)
LOMBOK = "64.01.06.2006"  # Desa Lombok, Kecamatan Long Ikis, Kabupaten Paser


def bodies(synapse, room_id: str, token: str, sender: str) -> list[str]:  # type: ignore[no-untyped-def]
    events = synapse.room_messages(room_id, token)
    return [e["content"].get("body", "") for e in events if e["sender"] == sender]


def test_plain_words_become_a_placed_routed_report_whose_forum_room_hears_of_it(
    synapse, personas, matrix_bot, new_member
) -> None:  # type: ignore[no-untyped-def]
    bot = MatrixBot()
    bot.sync_once()
    reporter = new_member("siti")
    officer = new_member("ketut")

    def step() -> None:
        bot.sync_once(timeout_ms=0)
        outbox.process_pending()

    link_account(
        person=personas.fkub_officer, channel="matrix", address=officer.user_id, by=personas.kesbangpol_admin
    )
    bot.ensure_rooms()
    fkub_room = Room.objects.get(forum__code="FKUB-6401").address
    officer.accept_invites()

    dm = reporter.direct_room_with(matrix_bot.user_id)
    reporter.wait_until_in_room(dm, matrix_bot.user_id, step=step)
    reporter.say(dm, f"!tautkan {create_link_code(person=personas.desa_reporter)}")
    reporter.wait_for(dm, "tertaut ke", step=step)

    reporter.say(dm, PLAIN)
    reporter.wait_for(dm, "Laporan diterima dengan nomor", step=step)

    # What the homeserver holds: the bot's reply in the direct room.
    reply = next(
        b
        for b in bodies(synapse, dm, reporter.client.access_token, matrix_bot.user_id)
        if "Laporan diterima" in b
    )
    reference = re.search(r"SKD-\d{4}-\d{4}-\d{6}", reply)[0]  # type: ignore[index]
    report = Report.objects.get(reference=reference)
    assert report.region_id == LOMBOK and report.reporter == personas.desa_reporter
    assert report.isu == "agama" and report.channel == "chat"
    assert f"lokasi {LOMBOK} (Lombok)" in reply and "isu agama" in reply
    named = reply.split("diteruskan ke:")[1].split(".")[0]
    assert "FKUB (Forum Kerukunan Umat Beragama)" in named

    # The analyst verifies it; the routing rules make the dispositions, each to a forum the bot named.
    verify_report(report=report, by=personas.kesbangpol_analyst)
    dispositions = list(Disposition.objects.filter(report=report).select_related("forum"))
    assert "FKUB-6401" in {d.forum.code for d in dispositions}
    for disposition in dispositions:
        assert f"{disposition.forum.kind} (" in named, disposition.forum.code

    # The FKUB room on the homeserver receives the disposition notice.
    officer.wait_for(fkub_room, reference, step=step)
    held = bodies(synapse, fkub_room, officer.client.access_token, matrix_bot.user_id)
    notices = [b for b in held if reference in b]
    assert notices and "Disposisi" in notices[0]
