"""The forum's WhatsApp group, against the Cloud API stand-in's Groups API: the bot asks for the
groups, the platform's ``group_create`` webhook names them, the invite link goes to linked members
only (one direct WhatsApp message each); someone who joins and is not a linked member is removed
and the removal audited; an ``awas`` report accepted gives the forum's group the disposition once;
a member whose seat ends is removed from the group."""

from __future__ import annotations

import pytest

from waspada.audit.models import AuditEntry
from waspada.forums.actions import add_membership, end_membership
from waspada.forums.models import Forum, Membership
from waspada.notify import outbox
from waspada.notify.actions import link_account
from waspada.notify.models import Delivery, DeliveryStatus, Room
from waspada.notify.tasks import whatsapp_groups as keep_groups_in_step
from waspada.notify.whatsapp_groups import PENDING, ensure_groups
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit
from waspada.response.models import Disposition

pytestmark = pytest.mark.django_db

KETUT = "6281234500003"  # the FKUB officer
DEWI = "6281234500004"  # the BNK officer, who also sits in FKUB for a while
STRANGER = "6289999900000"  # got the link forwarded; not linked to anyone


@pytest.fixture
def fkub_group(personas, whatsapp, settings):
    settings.WASPADA_WHATSAPP_FORUM_GROUPS = True
    fkub = Forum.objects.get(code="FKUB-6401")
    add_membership(person=personas.bnk_officer, forum=fkub, role="anggota", by=None)
    link_account(person=personas.fkub_officer, channel="whatsapp", address=KETUT, by=None)
    link_account(person=personas.bnk_officer, channel="whatsapp", address=DEWI, by=None)

    rooms = ensure_groups()
    assert all(room.address.startswith(PENDING) for room in rooms)
    whatsapp.flush_statuses()  # the platform's group_create webhooks
    room = Room.objects.get(channel="whatsapp", forum=fkub)
    group = whatsapp.groups[room.address]
    outbox.process_pending()  # the invitations, through the outbox
    return fkub, room, group


def test_the_invite_link_goes_only_to_linked_members_by_direct_message(
    personas, whatsapp, fkub_group
) -> None:
    _fkub, _room, group = fkub_group
    assert any(group.invite_link in text for text in whatsapp.texts_to(KETUT))
    assert any(group.invite_link in text for text in whatsapp.texts_to(DEWI))
    # Sent to the two numbers, in direct messages, and to no other number or group.
    carrying = [m for m in whatsapp.sent if group.invite_link in m["shown"]]
    assert {m["to"] for m in carrying} == {KETUT, DEWI}
    assert all(m.get("recipient_type") == "individual" for m in carrying)
    # Once: the worker and the sweep going over it again send no second invitation.
    outbox.process_pending()
    keep_groups_in_step()
    outbox.process_pending()
    assert len([m for m in whatsapp.sent if group.invite_link in m["shown"]]) == 2


def test_a_stranger_who_joins_is_removed_and_the_removal_is_audited(whatsapp, fkub_group) -> None:
    _fkub, _room, group = fkub_group
    whatsapp.user_joins_group(KETUT, group.invite_link)
    whatsapp.user_joins_group(STRANGER, group.invite_link)
    assert group.participants == [KETUT]
    assert group.removed == [STRANGER]
    entry = AuditEntry.objects.get(action="notify.whatsapp_group_removed")
    assert entry.changes["number"] == STRANGER and entry.changes["linked"] is False


def test_an_awas_report_accepted_puts_the_disposition_in_the_forum_group_once(
    personas, whatsapp, fkub_group
) -> None:
    fkub, room, group = fkub_group
    whatsapp.user_joins_group(KETUT, group.invite_link)
    whatsapp.user_joins_group(DEWI, group.invite_link)
    report = submit(
        personas.desa_reporter, alert_level="awas", isu="agama", title="Massa mengepung rumah ibadah"
    ).report
    verify_report(report=report, by=personas.kesbangpol_analyst)
    assert Disposition.objects.filter(report=report, forum=fkub).exists()
    outbox.process_pending()
    outbox.process_pending()
    whatsapp.flush_statuses()
    shown = [t for t in whatsapp.texts_in_group(room.address) if report.reference in t]
    assert len(shown) == 1 and "Disposisi" in shown[0], whatsapp.texts_in_group(room.address)
    delivery = Delivery.objects.get(room=room, event__kind="disposition.created")
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.platform_status == "delivered"  # the group's status webhooks reach the row


def test_a_member_whose_seat_ends_is_removed_from_the_forum_group(personas, whatsapp, fkub_group) -> None:
    fkub, _room, group = fkub_group
    whatsapp.user_joins_group(KETUT, group.invite_link)
    whatsapp.user_joins_group(DEWI, group.invite_link)
    assert group.participants == [KETUT, DEWI]
    seat = Membership.objects.current().get(person=personas.bnk_officer, forum=fkub)
    end_membership(membership=seat, by=personas.kesbangpol_admin)
    keep_groups_in_step()  # the worker's minute
    assert group.participants == [KETUT] and group.removed == [DEWI]
    whatsapp.flush_statuses()  # the platform's group_participants_remove: nothing more to do
    assert group.participants == [KETUT]


def test_the_invitation_is_written_in_each_members_language(personas, whatsapp, settings) -> None:
    settings.WASPADA_WHATSAPP_FORUM_GROUPS = True
    personas.bnk_officer.language = "en"
    personas.bnk_officer.save(update_fields=["language"])
    add_membership(
        person=personas.bnk_officer, forum=Forum.objects.get(code="FKUB-6401"), role="anggota", by=None
    )
    link_account(person=personas.fkub_officer, channel="whatsapp", address=KETUT, by=None)
    link_account(person=personas.bnk_officer, channel="whatsapp", address=DEWI, by=None)
    ensure_groups()
    whatsapp.flush_statuses()
    outbox.process_pending()
    assert any("Gabung lewat tautan ini" in text for text in whatsapp.texts_to(KETUT))
    assert any("Join through this link" in text for text in whatsapp.texts_to(DEWI))
    assert not any("Gabung lewat tautan ini" in text for text in whatsapp.texts_to(DEWI))
