"""Matrix: a message to a room (``!room:server``) or to a person's direct room with the bot (``@user``)."""

from __future__ import annotations

from waspada.notify.channels import Message
from waspada.notify.matrix import MatrixClient


class MatrixChannel:
    name = "matrix"
    # PUT /rooms/{room}/send/{txnId}: the homeserver returns the first event for a repeated txnId.
    dedupes = True

    def send(self, address: str, message: Message, *, idempotency_key: str) -> str:
        client = MatrixClient()
        room_id = address if address.startswith("!") else direct_room_for(client, address)
        text = message.text + (f"\n{message.url}" if message.url else "")
        return client.send_text(room_id, text, txn_id=f"waspada-{idempotency_key}")


def direct_room_for(client: MatrixClient, user_id: str) -> str:
    """The bot's direct room with a linked person, created (and remembered) on first use."""
    from waspada.notify.models import ChatAccount

    account = ChatAccount.objects.get(channel="matrix", address=user_id)
    if not account.direct_room:
        account.direct_room = client.create_room("Waspada", invite=[user_id], direct=True)
        account.save(update_fields=["direct_room"])
    return account.direct_room
