"""A `waspada worker` that kills itself (SIGKILL) right after the WhatsApp Cloud API (or, with
``CRASH_AFTER_CHANNEL=sms``, the SMS gateway) accepted a message and before the outbox records
it. Run as a process."""

from __future__ import annotations

import os
import signal
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waspada.settings")
    django.setup()
    from django.core.management import call_command

    from waspada.notify import outbox

    record_sent = outbox.record_sent
    channel = os.environ.get("CRASH_AFTER_CHANNEL", "whatsapp")

    def die_after_a_whatsapp_message(delivery: object, provider_ref: str) -> None:
        if getattr(delivery, "channel", None) == channel:
            os.kill(os.getpid(), signal.SIGKILL)
        record_sent(delivery, provider_ref)  # type: ignore[arg-type]

    outbox.record_sent = die_after_a_whatsapp_message  # type: ignore[assignment]
    call_command("worker", "--interval", "0.2", *sys.argv[1:])


if __name__ == "__main__":
    main()
