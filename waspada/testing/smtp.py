"""A real SMTP server on 127.0.0.1 for tests: Django talks SMTP to it, tests read what arrived.

Exposed as the ``smtp_server`` fixture in the root conftest.py. It also points Django's
email settings at itself (through pytest-django's ``settings`` fixture, so they are restored
after the test), because a test that asks for the server always wants mail to go there.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class CollectingHandler:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Envelope] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self._arrived:
            self.envelopes.append(envelope)
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[EmailMessage]:
        """Block until at least ``count`` messages arrived; fail loudly after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"expected {count} message(s), got {len(self.messages)}")
                self._arrived.wait(remaining)
            return list(self.messages)


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: CollectingHandler
    _controller: Any = field(repr=False, default=None)

    @property
    def messages(self) -> list[EmailMessage]:
        return list(self.handler.messages)

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[EmailMessage]:
        return self.handler.wait_for(count, timeout)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_smtp_server(host: str = "127.0.0.1") -> Iterator[SmtpServer]:
    """Start an SMTP server on a free port for the duration of a ``with`` block."""
    handler = CollectingHandler()
    controller = Controller(handler, hostname=host, port=free_port(host), ready_timeout=10)
    controller.start()
    try:
        yield SmtpServer(host=host, port=controller.port, handler=handler, _controller=controller)
    finally:
        controller.stop()


def body_text(message: EmailMessage) -> str:
    """The plain-text body of a message, decoded."""
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        raise AssertionError("message has no text/plain body")
    return str(part.get_content())
