"""The Matrix bot: keeps the cross-forum room and one room per forum, and answers commands.

``waspada matrixbot`` runs ``MatrixBot.run()``: a long-poll ``/sync`` loop. The sync position is
saved after each batch is handled, and each command is acted on once per Matrix event
(``commands.handle``), so a restart neither loses nor repeats a command. Replies use a
transaction ID derived from the command's event ID: a reply re-sent after a restart shows once.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any

from django.db import close_old_connections
from django.utils.translation import gettext as _

from waspada.chat import commands
from waspada.forums.models import Forum, Membership
from waspada.notify.channels import DeliveryError
from waspada.notify.matrix import MatrixClient
from waspada.notify.models import BotState, ChannelName, ChatAccount, Room
from waspada.reports.taxonomy import AlertLevel

logger = logging.getLogger(__name__)

CROSS_FORUM_ROOM = "Grup Kewaspadaan Dini Lintas Forum"


class MatrixBot:
    def __init__(self, client: MatrixClient | None = None) -> None:
        self.client = client or MatrixClient()

    # -- rooms --------------------------------------------------------------------------------
    def ensure_rooms(self, *, invite_members: bool = True) -> list[Room]:
        """Create the cross-forum room and each active forum's room if missing; invite the linked
        current members of a forum into its room. The cross-forum room's members are chosen by
        Kesbangpol (invited in Matrix); whatever its members, it is posted only what all may see."""
        rooms = []
        cross = Room.objects.filter(channel=ChannelName.MATRIX, forum__isnull=True).first()
        if cross is None:
            address = self.client.create_room(CROSS_FORUM_ROOM)
            cross = Room.objects.create(address=address, name=CROSS_FORUM_ROOM, min_level=AlertLevel.SIAGA)
        rooms.append(cross)
        for forum in Forum.objects.filter(is_active=True).order_by("code"):
            room = Room.objects.filter(channel=ChannelName.MATRIX, forum=forum).first()
            if room is None:
                name = f"Waspada · {forum.name}"
                address = self.client.create_room(name)
                room = Room.objects.create(
                    address=address, name=name, forum=forum, min_level=AlertLevel.NORMAL
                )
            rooms.append(room)
            if invite_members:
                self.invite_forum_members(room)
        return rooms

    def invite_forum_members(self, room: Room) -> None:
        assert room.forum_id is not None
        members = (
            Membership.objects.current().filter(forum_id=room.forum_id).values_list("person_id", flat=True)
        )
        wanted = set(
            ChatAccount.objects.filter(channel=ChannelName.MATRIX, person_id__in=members).values_list(
                "address", flat=True
            )
        )
        present = set(self.client.joined_members(room.address)) | set(
            self.client.invited_members(room.address)
        )
        for user_id in sorted(wanted - present):
            self.client.invite(room.address, user_id)

    def room_people(self, room_id: str) -> list[Any] | None:
        """The linked people in a room, or None when a member (other than the bot) is not linked."""
        members = set(self.client.joined_members(room_id)) | set(self.client.invited_members(room_id))
        members.discard(self.client.user_id)
        accounts = list(
            ChatAccount.objects.filter(channel=ChannelName.MATRIX, address__in=members).select_related(
                "person"
            )
        )
        if len(accounts) != len(members):
            return None
        return [account.person for account in accounts]

    # -- the sync loop ------------------------------------------------------------------------
    def sync_once(self, timeout_ms: int = 30000) -> int:
        """One /sync: join rooms we are invited to, handle new commands; returns how many."""
        state, _created = BotState.objects.get_or_create(channel=ChannelName.MATRIX)
        first = not state.cursor
        response = self.client.sync(state.cursor or None, 0 if first else timeout_ms)
        rooms = response.get("rooms", {})
        for room_id in rooms.get("invite", {}):
            try:
                self.client.join(room_id)
            except DeliveryError:
                logger.warning("could not join %s", room_id)
        handled = 0
        if not first:  # the first sync only marks where we start: old messages are not commands now
            for room_id, room in rooms.get("join", {}).items():
                for event in room.get("timeline", {}).get("events", []):
                    handled += self.handle_event(room_id, event)
        state.cursor = response["next_batch"]
        state.save(update_fields=["cursor"])
        return handled

    def handle_event(self, room_id: str, event: dict[str, Any]) -> int:
        if event.get("type") != "m.room.message" or event.get("sender") == self.client.user_id:
            return 0
        content = event.get("content", {})
        body = content.get("body", "")
        if content.get("msgtype") != "m.text" or not isinstance(body, str) or not body.startswith("!"):
            return 0
        room = Room.objects.filter(channel=ChannelName.MATRIX, address=room_id).first()
        direct = ChatAccount.objects.filter(channel=ChannelName.MATRIX, direct_room=room_id).exists()
        incoming = commands.Incoming(
            channel=ChannelName.MATRIX,
            message_id=event["event_id"],
            sender=event["sender"],
            room=room_id,
            text=body,
            room_forum_id=room.forum_id if room else None,
            room_people=lambda: self.room_people(room_id),
            is_direct=direct,
        )
        try:
            reply = commands.handle(incoming)
        except Exception:
            # A command that breaks must not stop the bot or be retried forever: log, answer, move on.
            logger.exception("chat command failed: %s", event.get("event_id"))
            reply = _("Terjadi galat; perintah tidak diproses. Coba lagi atau hubungi admin Kesbangpol.")
        if reply is None:
            return 0
        if room is None and not direct:
            self._remember_direct_room(event["sender"], room_id)
        txn = "reply-" + hashlib.sha256(event["event_id"].encode("utf-8")).hexdigest()[:32]
        try:
            self.client.send_text(room_id, reply, txn_id=txn, notice=True)
        except DeliveryError:
            logger.exception("could not reply in %s", room_id)
        return 1

    def _remember_direct_room(self, sender: str, room_id: str) -> None:
        """A room of just the bot and a linked person becomes their direct room for notifications."""
        account = ChatAccount.objects.filter(
            channel=ChannelName.MATRIX, address=sender, direct_room=""
        ).first()
        if account is None:
            return
        members = set(self.client.joined_members(room_id)) | set(self.client.invited_members(room_id))
        if members == {sender, self.client.user_id}:
            account.direct_room = room_id
            account.save(update_fields=["direct_room"])

    def run(self, *, timeout_ms: int = 30000) -> None:
        logger.info("%s", _("Bot Matrix berjalan"))
        while True:
            close_old_connections()
            try:
                self.sync_once(timeout_ms)
            except Exception:  # the homeserver or the database away for a moment: wait, try again
                logger.exception("matrix sync failed; retrying")
                time.sleep(5)
