"""The cross-forum group (and, when configured, one group per forum) on WhatsApp, through the
Cloud API's Groups API (docs/notifications.md, "The WhatsApp group").

* ``ensure_groups()`` asks the platform to create the groups that are missing
  (``POST /{phone-number-id}/groups``). Creation is asynchronous: the answer is a ``request_id``,
  kept as the room's address (``pending:<request_id>``) until the ``group_lifecycle_update``
  webhook (``group_create``) names the group's id (``group_created``). No event is posted into a
  pending group.
* Nobody can be added to a group by the business: people join by the group's invite link. The
  link is shared only with the people who belong in the group and have a linked WhatsApp number,
  one direct WhatsApp message each (``invite_members``), through the outbox: an event addressed
  to that person, sent only on WhatsApp, once per person and group (its ``dedupe_key``).
* Who belongs: in a forum's group, the forum's current members; in the cross-forum group, the
  current members of any active forum. ``keep_in_step`` removes every participant who does not
  belong (a seat ended, a number unlinked, someone who got the link from a member):
  ``DELETE /{group-id}/participants``, recorded in the audit trail. It runs when someone joins
  (the ``group_participants_update`` webhook), before every post, and every minute.
* A post goes to the group only if every participant, after that, is a linked person who may see
  what it is about (``audience_ok``, the Matrix room's rule); else it is withheld with the reason.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from waspada.forums.models import Forum, Membership
from waspada.lib.taxonomy import AlertLevel, Classification
from waspada.notify.channels import DeliveryError
from waspada.notify.channels.whatsapp import graph
from waspada.notify.models import ChannelName, ChatAccount, Event, Room

logger = logging.getLogger(__name__)

CROSS_FORUM_GROUP = "Grup Kewaspadaan Dini Lintas Forum"
PENDING = "pending:"
REMOVE_BATCH = 8  # the platform removes at most 8 participants per call


class GroupWithheld(Exception):
    """Not every participant of the group may see this."""


def _phone_id() -> str:
    return str(settings.WASPADA_WHATSAPP_PHONE_NUMBER_ID)


def whatsapp_groups() -> list[Room]:
    return list(Room.objects.filter(channel=ChannelName.WHATSAPP).exclude(address__startswith=PENDING))


def ensure_groups() -> list[Room]:
    """Ask for the cross-forum group, and each active forum's group when
    ``WASPADA_WHATSAPP_FORUM_GROUPS``, if missing; returns the rooms (pending ones included)."""
    wanted: list[tuple[Forum | None, str, str]] = [(None, CROSS_FORUM_GROUP, AlertLevel.SIAGA)]
    if settings.WASPADA_WHATSAPP_FORUM_GROUPS:
        for each in Forum.objects.filter(is_active=True).order_by("code"):
            wanted.append((each, f"Waspada · {each.name}"[:128], AlertLevel.NORMAL))
    rooms = []
    for forum, name, level in wanted:
        same = Room.objects.filter(channel=ChannelName.WHATSAPP)
        room = (same.filter(forum=forum) if forum else same.filter(forum__isnull=True)).first()
        if room is None:
            answer = graph(
                "POST",
                f"{_phone_id()}/groups",
                payload={
                    "messaging_product": "whatsapp",
                    "subject": name,
                    "description": _(
                        "Grup Waspada. Hanya anggota forum yang nomornya tertaut; pesan dikirim oleh Waspada."
                    ),
                    "join_approval_mode": "auto_approve",
                },
            )
            room = Room.objects.create(
                channel=ChannelName.WHATSAPP,
                address=f"{PENDING}{answer['request_id']}",
                name=name,
                forum=forum,
                min_level=level,
            )
        rooms.append(room)
    return rooms


def group_created(entry: dict[str, Any]) -> None:
    """The ``group_create`` webhook: the pending room gets its group id; its members are invited."""
    request_id = str(entry.get("request_id") or "")
    group_id = str(entry.get("group_id") or "")
    if not request_id or not group_id:
        return
    if Room.objects.filter(channel=ChannelName.WHATSAPP, address=group_id).exists():
        return  # a re-delivered webhook
    updated = Room.objects.filter(channel=ChannelName.WHATSAPP, address=f"{PENDING}{request_id}").update(
        address=group_id[:255]
    )
    if not updated:
        logger.warning("whatsapp group %s created for an unknown request", group_id)
        return
    room = Room.objects.get(channel=ChannelName.WHATSAPP, address=group_id)
    invite_members(room, invite_link=str(entry.get("invite_link") or ""))


def belonging_person_ids(room: Room) -> set[int]:
    """Who belongs in the group: the forum's current members, or any active forum's."""
    seats = Membership.objects.current()
    if room.forum_id is not None:
        seats = seats.filter(forum_id=room.forum_id)
    else:
        seats = seats.filter(forum__is_active=True)
    return set(seats.filter(person__is_active=True).values_list("person_id", flat=True))


def invite_members(room: Room, *, invite_link: str = "") -> int:
    """Share the invite link with each linked person who belongs and was not invited to it yet;
    returns how many were invited now."""
    from waspada.notify.events import Kind, emit
    from waspada.people.models import Person

    if room.address.startswith(PENDING):
        return 0
    if not invite_link:
        invite_link = str(graph("GET", f"{room.address}/invite_link").get("invite_link") or "")
    if not invite_link:
        return 0
    linked = ChatAccount.objects.filter(
        channel=ChannelName.WHATSAPP, person_id__in=belonging_person_ids(room)
    ).values_list("person_id", flat=True)
    invited = 0
    for person in Person.objects.filter(pk__in=list(linked)).order_by("pk"):
        with transaction.atomic():
            event = emit(
                Kind.WHATSAPP_GROUP_INVITE,
                level=AlertLevel.NORMAL,
                title=f"Undangan grup WhatsApp: {room.name}"[:300],
                body=f"Gabung lewat tautan ini (khusus untuk Anda, jangan diteruskan): {invite_link}",
                # rendered again in each member's language (notify/texts.py)
                params={
                    "group": room.name,
                    "body_key": "whatsapp_group_invite",
                    "body_params": {"link": invite_link},
                },
                persons=[person],
                url=reverse("notify:settings"),  # where the person sees the numbers linked to them
                dedupe_key=f"wa-group-invite:{room.pk}:{person.pk}",
            )
        invited += event is not None
    return invited


def participants(room: Room) -> list[str]:
    answer = graph("GET", f"{room.address}?fields=subject,participants")
    return [str(p.get("wa_id") or "") for p in answer.get("participants") or [] if isinstance(p, dict)]


def keep_in_step(room: Room, present: list[str] | None = None) -> list[str]:
    """Remove from the group every participant who does not belong; returns who is left."""
    from waspada.audit.actions import record

    if room.address.startswith(PENDING):
        return []
    present = participants(room) if present is None else present
    belonging = dict(
        ChatAccount.objects.filter(
            channel=ChannelName.WHATSAPP, address__in=present, person_id__in=belonging_person_ids(room)
        ).values_list("address", "person_id")
    )
    strangers = [wa_id for wa_id in present if wa_id not in belonging]
    for start in range(0, len(strangers), REMOVE_BATCH):
        batch = strangers[start : start + REMOVE_BATCH]
        graph(
            "DELETE",
            f"{room.address}/participants",
            payload={"messaging_product": "whatsapp", "participants": [{"user": u} for u in batch]},
        )
        linked = linked_numbers(batch)
        with transaction.atomic():
            for wa_id in batch:
                record(
                    action="notify.whatsapp_group_removed",
                    actor=None,
                    obj=room,
                    changes={"number": wa_id, "group": room.name, "linked": wa_id in linked},
                )
        logger.warning("removed %s from whatsapp group %s: not a linked member", batch, room.name)
    return [wa_id for wa_id in present if wa_id in belonging]


def linked_numbers(numbers: list[str]) -> set[str]:
    return set(
        ChatAccount.objects.filter(channel=ChannelName.WHATSAPP, address__in=numbers).values_list(
            "address", flat=True
        )
    )


def participants_changed(entry: dict[str, Any]) -> None:
    """The ``group_participants_update`` webhook: someone who joined and does not belong is removed."""
    if entry.get("type") != "group_participants_add":
        return
    room = Room.objects.filter(channel=ChannelName.WHATSAPP, address=str(entry.get("group_id") or "")).first()
    if room is None:
        return
    try:
        keep_in_step(room)
    except DeliveryError:
        logger.exception("could not keep whatsapp group %s in step", room.pk)


def keep_all_in_step() -> int:
    """Every group, in step with forum membership; and anyone newly linked invited. Returns how
    many participants are left across the groups."""
    left = 0
    for room in whatsapp_groups():
        try:
            left += len(keep_in_step(room))
            invite_members(room)
        except DeliveryError:
            logger.exception("could not keep whatsapp group %s in step", room.pk)
    return left


def audience_ok(room: Room, event: Event) -> None:
    """Raise GroupWithheld unless every participant left after ``keep_in_step`` is a linked person
    who may see what the event is about."""
    from waspada.notify.fanout import may_see

    if event.classification == Classification.RAHASIA:
        raise GroupWithheld("rahasia")
    if room.address.startswith(PENDING):
        raise GroupWithheld(_("grup WhatsApp belum dibuat oleh platform"))
    present = keep_in_step(room)
    if not present:
        raise GroupWithheld(_("grup WhatsApp belum beranggota"))
    for account in ChatAccount.objects.filter(
        channel=ChannelName.WHATSAPP, address__in=present
    ).select_related("person"):
        if not may_see(account.person, event):
            raise GroupWithheld(_("%(who)s tidak berhak melihat ini") % {"who": account.address})
