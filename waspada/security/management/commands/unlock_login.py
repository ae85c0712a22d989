"""`waspada unlock_login (USERNAME | --address IP)`: lift a login lockout before it runs out.

Lockouts end by themselves (15 minutes at first); this is for when someone guessing passwords
keeps a real person locked out. Recorded in the audit trail (channel cli).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q

from waspada.audit.actions import record
from waspada.audit.models import Channel
from waspada.security.addresses import network_of
from waspada.security.models import LoginThrottle, ThrottleScope
from waspada.security.throttle import account_key, pair_key


class Command(BaseCommand):
    help = "Membuka kunci masuk untuk sebuah akun atau alamat / lift a login lockout."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="")
        parser.add_argument("--address", default="", help="alamat IP klien (IPv6: jaringan /64-nya)")

    def handle(self, *args: Any, username: str, address: str, **options: Any) -> None:
        if bool(username) == bool(address):
            raise CommandError("Sebutkan satu: nama pengguna atau --address.")
        if username:
            # The account's own delay and its lockouts from each network.
            scope, key = ThrottleScope.ACCOUNT, account_key(username)
            rows = LoginThrottle.objects.filter(
                Q(scope=scope, key=key) | Q(scope=ThrottleScope.PAIR, key__startswith=pair_key(key, ""))
            )
        else:
            scope, key = ThrottleScope.ADDRESS, network_of(address)
            rows = LoginThrottle.objects.filter(scope=scope, key=key)
        with transaction.atomic():
            deleted, _ = rows.delete()
            if deleted:
                record(
                    action="login.unlocked",
                    actor=None,
                    changes={"scope": str(scope), "key": key},
                    channel=Channel.CLI,
                )
        self.stdout.write(f"{scope}:{key}: " + ("kunci dibuka." if deleted else "tidak sedang dikunci."))
