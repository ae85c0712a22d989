"""A room is posted only what every one of its members may see: an unlinked member, or a member
who may not see the report, holds the message back (withheld, with the reason); a ``rahasia``
report is never even queued for a room; ``!status`` in such a room asks for a direct message."""

from __future__ import annotations

import pytest

from waspada.chat.bot import MatrixBot
from waspada.notify import outbox
from waspada.notify.actions import link_account
from waspada.notify.models import Delivery, DeliveryStatus, Room
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cross_room(personas, matrix_bot, new_member):
    bot = MatrixBot()
    bot.sync_once()
    analyst = new_member("rina")
    link_account(person=personas.kesbangpol_analyst, channel="matrix", address=analyst.user_id, by=None)
    bot.ensure_rooms(invite_members=False)
    room = Room.objects.get(forum__isnull=True)
    bot.client.invite(room.address, analyst.user_id)
    analyst.accept_invites()
    return bot, room, analyst


def test_a_room_with_only_members_who_may_see_gets_the_report(personas, cross_room) -> None:
    _bot, room, analyst = cross_room
    report = submit(
        personas.desa_reporter, alert_level="siaga", title="Spanduk provokatif di Long Ikis"
    ).report
    outbox.process_pending()
    analyst.wait_for(room.address, report.reference)
    assert Delivery.objects.get(room=room).status == DeliveryStatus.SENT


def test_an_unlinked_member_holds_the_room_message_back(personas, cross_room, new_member) -> None:
    bot, room, analyst = cross_room
    stranger = new_member("tamu")
    bot.client.invite(room.address, stranger.user_id)
    report = submit(personas.desa_reporter, alert_level="siaga", title="Isu penculikan anak beredar").report
    outbox.process_pending()
    delivery = Delivery.objects.get(room=room)
    assert delivery.status == DeliveryStatus.WITHHELD
    assert stranger.user_id in delivery.last_error
    analyst.sync()
    assert not any(report.reference in body for _r, _s, body in analyst.messages)


def test_a_member_who_may_not_see_the_report_holds_it_back(personas, cross_room, new_member) -> None:
    bot, room, analyst = cross_room
    bnk = new_member("dewi")
    link_account(person=personas.bnk_officer, channel="matrix", address=bnk.user_id, by=None)
    bot.client.invite(room.address, bnk.user_id)
    bnk.accept_invites()
    submit(personas.desa_reporter, alert_level="awas", title="Bentrok di pos ronda")
    outbox.process_pending()
    delivery = Delivery.objects.get(room=room, event__kind="report.submitted")
    assert delivery.status == DeliveryStatus.WITHHELD
    assert "tidak berhak" in delivery.last_error

    # Asked in that room, the status is not shown there either.
    report = submit(personas.desa_reporter, alert_level="siaga").report
    analyst.say(room.address, f"!status {report.reference}")
    analyst.wait_for(room.address, "pesan langsung", step=lambda: bot.sync_once(timeout_ms=0))


def test_a_rahasia_report_is_never_queued_for_a_room(personas, cross_room) -> None:
    assert Room.objects.count() > 1  # the cross-forum room and the forums' rooms exist
    submit(personas.desa_reporter, alert_level="awas", classification="rahasia")
    outbox.process_pending()
    assert not Delivery.objects.filter(room__isnull=False).exists()
