"""`waspada whatsapp_groups`: ask the platform for the WhatsApp groups that are missing (the
cross-forum group; one per forum with WASPADA_WHATSAPP_FORUM_GROUPS), then keep every created
group in step with forum membership and share its invite link with linked members not yet invited.
The worker does the second part every minute (``notify.whatsapp_groups``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from waspada.notify.channels import DeliveryError
from waspada.notify.whatsapp_groups import PENDING, ensure_groups, keep_all_in_step


class Command(BaseCommand):
    help = "Membuat dan menyelaraskan grup WhatsApp Waspada / create and keep the WhatsApp groups."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rooms = ensure_groups()
            left = keep_all_in_step()
        except DeliveryError as exc:
            raise CommandError(str(exc)) from exc
        for room in rooms:
            state = "menunggu platform" if room.address.startswith(PENDING) else room.address
            self.stdout.write(f"{room.name}: {state}")
        self.stdout.write(f"peserta sah di semua grup: {left}")
