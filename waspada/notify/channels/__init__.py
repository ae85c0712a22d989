"""Delivery channels as plug-ins: one small interface, one error type.

A channel sends one ``Message`` to one address and returns the provider's reference. It is given
the delivery's idempotency key and must pass it on where the far side can deduplicate on it
(Matrix transaction ID, e-mail Message-ID, a webhook header), so that a send repeated after a
worker died between sending and recording shows up once. ``dedupes`` says whether the far side
does; the outbox never re-sends an unrecorded send through a channel that does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


class DeliveryError(Exception):
    """Sending failed. ``retryable`` says whether trying again later can help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    url: str = ""
    level: str = "normal"
    data: dict[str, Any] = field(default_factory=dict)  # the structured form, for webhooks


class Channel(Protocol):
    name: str

    @property
    def dedupes(self) -> bool: ...  # a class attribute, or a property when it depends on settings

    def send(self, address: str, message: Message, *, idempotency_key: str) -> str: ...


def get_channel(name: str) -> Channel:
    from waspada.notify.channels.email import EmailChannel
    from waspada.notify.channels.matrix import MatrixChannel
    from waspada.notify.channels.sms import SmsChannel
    from waspada.notify.channels.telegram import TelegramChannel
    from waspada.notify.channels.webhook import WebhookChannel
    from waspada.notify.channels.whatsapp import WhatsAppChannel

    channels: dict[str, type[Channel]] = {
        "email": EmailChannel,
        "matrix": MatrixChannel,
        "sms": SmsChannel,
        "telegram": TelegramChannel,
        "webhook": WebhookChannel,
        "whatsapp": WhatsAppChannel,
    }
    return channels[name]()
