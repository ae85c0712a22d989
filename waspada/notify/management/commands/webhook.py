"""``waspada webhook add NAME URL [--min-level siaga]`` (the signing secret is read from standard
input or generated and printed once), ``waspada webhook list``, ``waspada webhook disable ID``."""

from __future__ import annotations

import secrets
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import URLValidator
from django.db import transaction

from waspada.audit.actions import record
from waspada.lib.taxonomy import AlertLevel
from waspada.notify.models import Webhook


class Command(BaseCommand):
    help = "Mengelola webhook keluar / manage outgoing webhooks."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        add = sub.add_parser("add", help="tambah webhook")
        add.add_argument("name")
        add.add_argument("url")
        add.add_argument("--min-level", default=AlertLevel.SIAGA, choices=AlertLevel.values)
        add.add_argument("--secret-stdin", action="store_true", help="baca rahasia dari standard input")
        sub.add_parser("list", help="daftar webhook")
        disable = sub.add_parser("disable", help="matikan webhook")
        disable.add_argument("id", type=int)

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        if what == "list":
            for hook in Webhook.objects.order_by("pk"):
                state = "aktif" if hook.is_active else "mati"
                self.stdout.write(f"{hook.pk}\t{hook.name}\t{hook.url}\t≥{hook.min_level}\t{state}")
            return
        if what == "disable":
            with transaction.atomic():
                found = Webhook.objects.filter(pk=options["id"]).first()
                if found is None:
                    raise CommandError("webhook tidak ada")
                found.is_active = False
                found.save(update_fields=["is_active"])
                record(action="notify.webhook_disabled", actor=None, obj=found, changes={}, channel="cli")
            return
        try:
            URLValidator(schemes=["http", "https"])(options["url"])
        except ValidationError as exc:
            raise CommandError(f"url: alamat tidak sah ({options['url'][:100]})") from exc
        secret = sys.stdin.readline().strip() if options["secret_stdin"] else secrets.token_urlsafe(32)
        if len(secret) < 16:
            raise CommandError("rahasia: minimal 16 karakter")
        with transaction.atomic():
            hook = Webhook.objects.create(
                name=options["name"], url=options["url"], secret=secret, min_level=options["min_level"]
            )
            record(
                action="notify.webhook_added",
                actor=None,
                obj=hook,
                changes={"name": hook.name, "url": hook.url, "min_level": hook.min_level},
                channel="cli",
            )
        self.stdout.write(f"webhook {hook.pk} dibuat")
        if not options["secret_stdin"]:
            self.stdout.write(f"rahasia penandatanganan (simpan, tidak ditampilkan lagi): {secret}")
