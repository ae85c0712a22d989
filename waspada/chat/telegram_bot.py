"""The Telegram bot: the same commands as on Matrix, read by long-polling ``getUpdates``.

Telegram writes commands with a slash (``/lapor``); ``!lapor`` works too. In a group the bot
cannot list the members, so it shows a report's status only in a private chat.
"""

from __future__ import annotations

import logging
import re
import time

from django.db import close_old_connections

from waspada.chat import commands
from waspada.notify.channels import DeliveryError
from waspada.notify.channels.telegram import call
from waspada.notify.models import BotState, ChannelName

logger = logging.getLogger(__name__)
SLASH_COMMAND = re.compile(r"^/(\w+)(@\w+)?")


def poll_once(timeout: int = 25) -> int:
    """One getUpdates round: act on each command, reply, remember the offset. Returns how many."""
    state, _created = BotState.objects.get_or_create(channel=ChannelName.TELEGRAM)
    offset = int(state.cursor or 0)
    updates = call("getUpdates", {"offset": offset, "timeout": timeout}, timeout=timeout + 10)
    handled = 0
    for update in updates:
        message = update.get("message") or {}
        text = message.get("text") or ""
        chat = message.get("chat") or {}
        sender = message.get("from") or {}
        if text.startswith("/"):
            text = SLASH_COMMAND.sub(r"!\1", text, count=1)
        if text.startswith("!") and "id" in sender:
            reply = commands.handle(
                commands.Incoming(
                    channel=ChannelName.TELEGRAM,
                    message_id=f"{chat.get('id')}:{message.get('message_id')}",
                    sender=str(sender["id"]),
                    room=str(chat.get("id")),
                    text=text,
                    is_direct=chat.get("type") == "private",
                )
            )
            if reply:
                try:
                    call("sendMessage", {"chat_id": chat["id"], "text": reply})
                except DeliveryError:
                    logger.exception("could not reply on Telegram")
                handled += 1
        state.cursor = str(int(update["update_id"]) + 1)
        state.save(update_fields=["cursor"])
    return handled


def run() -> None:
    while True:
        close_old_connections()
        try:
            poll_once()
        except Exception:  # the Bot API or the database away for a moment: wait, try again
            logger.exception("telegram polling failed; retrying")
            time.sleep(5)
