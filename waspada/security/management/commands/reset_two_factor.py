"""`waspada reset_two_factor USERNAME`: remove a person's authenticator (a lost phone, no codes left).

For the server's operator when no Kesbangpol administrator can log in to do it in the admin
(e.g. the only administrator lost their phone). Recorded in the audit trail (channel cli).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.audit.models import Channel
from waspada.people.models import Person
from waspada.security.two_factor import requires_second_factor, reset_second_factor


class Command(BaseCommand):
    help = "Mengatur ulang verifikasi dua langkah seseorang / reset a person's second factor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        person = Person.objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"Tidak ada akun {username!r}.")
        if not reset_second_factor(person=person, by=None, channel=Channel.CLI):
            self.stdout.write(f"{username}: verifikasi dua langkah memang belum aktif.")
            return
        then = (
            "harus mendaftarkan aplikasi autentikator lagi saat masuk"
            if requires_second_factor(person)
            else "masuk dengan kata sandi saja"
        )
        self.stdout.write(self.style.SUCCESS(f"{username}: verifikasi dua langkah diatur ulang; {then}."))
