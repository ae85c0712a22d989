"""`waspada link_chat USERNAME matrix @user:server`: an admin links a person's chat account."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.notify.actions import link_account
from waspada.people.models import Person


class Command(BaseCommand):
    help = "Menautkan akun obrolan ke akun Waspada / link a chat account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("channel", choices=["matrix", "telegram", "whatsapp", "sms"])
        parser.add_argument("address")

    def handle(self, *args: Any, username: str, channel: str, address: str, **options: Any) -> None:
        person = Person.objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"pengguna {username} tidak ada")
        try:
            link_account(person=person, channel=channel, address=address, by=None)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"{username} ↔ {channel}:{address}")
