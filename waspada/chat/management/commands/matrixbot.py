"""`waspada matrixbot`: runs the Matrix bot (rooms, posting guard, commands)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from waspada.chat.bot import MatrixBot


class Command(BaseCommand):
    help = "Menjalankan bot Matrix Waspada / run the Matrix bot."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rooms", action="store_true", help="Buat ruang lintas forum dan ruang tiap forum."
        )
        parser.add_argument("--once", action="store_true", help="Satu kali sinkronisasi lalu berhenti.")
        parser.add_argument("--timeout", type=int, default=30000, help="Milidetik long-poll /sync.")

    def handle(self, *args: Any, rooms: bool, once: bool, timeout: int, **options: Any) -> None:
        bot = MatrixBot()
        if rooms:
            for room in bot.ensure_rooms():
                self.stdout.write(f"{room.address}\t{room.name}")
        if once:
            bot.sync_once(timeout)
        elif not rooms:
            bot.run(timeout_ms=timeout)
