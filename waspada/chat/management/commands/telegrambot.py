"""`waspada telegrambot`: runs the Telegram bot (same commands as the Matrix bot)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from waspada.chat import telegram_bot


class Command(BaseCommand):
    help = "Menjalankan bot Telegram Waspada / run the Telegram bot."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Satu kali ambil pembaruan lalu berhenti.")

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        if once:
            telegram_bot.poll_once(timeout=0)
        else:
            telegram_bot.run()
