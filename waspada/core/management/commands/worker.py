"""`waspada worker`: the background worker that runs queued jobs from the database."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Menjalankan pekerja latar belakang / run the background worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Detik antara pemeriksaan antrean.")
        parser.add_argument("--batch", action="store_true", help="Kerjakan antrean yang ada lalu berhenti.")

    def handle(self, *args: Any, interval: float, batch: bool, **options: Any) -> None:
        # Pending work is rows in the database (django-tasks-db); all queues, no autoreload.
        call_command(
            "db_worker",
            queue_name="*",
            interval=interval,
            batch=batch,
            reload=False,
            verbosity=options.get("verbosity", 1),
        )
