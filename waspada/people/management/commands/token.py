"""``waspada token create USERNAME [--name NAME]`` prints a new personal API token;
``waspada token list USERNAME`` and ``waspada token revoke ID`` manage them."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from waspada.people.models import ApiToken, Person
from waspada.people.tokens import create_token, revoke_token


class Command(BaseCommand):
    help = "Membuat, menampilkan, atau mencabut token API pribadi / manage personal API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="buat token baru dan cetak tokennya")
        create.add_argument("username")
        create.add_argument("--name", default="Token baris perintah")
        listing = sub.add_parser("list", help="daftar token seseorang")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="cabut token menurut ID")
        revoke.add_argument("id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        verb = options["verb"]
        if verb == "revoke":
            token = ApiToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(f"Token {options['id']} tidak ditemukan.")
            revoke_token(token=token, by=None)
            self.stdout.write(f"Token {token.pk} ({token.name}) dicabut.")
            return
        person = Person.objects.filter(username=options["username"]).first()
        if person is None:
            raise CommandError(f"Pengguna '{options['username']}' tidak ditemukan.")
        if verb == "list":
            for token in person.api_tokens.all():
                state = "dicabut" if token.revoked_at else "aktif"
                self.stdout.write(f"{token.pk}\t{token.hint}…\t{state}\t{token.name}")
            return
        try:
            _token, raw = create_token(person=person, name=options["name"], by=None)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(raw)
        self.stderr.write("Simpan token ini sekarang; token tidak dapat ditampilkan lagi.")
