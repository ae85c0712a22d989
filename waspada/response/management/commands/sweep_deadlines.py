"""`waspada sweep_deadlines`: run the deadline sweep now (the worker runs it every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from waspada.core.periodic import run_now


class Command(BaseCommand):
    help = "Eskalasi disposisi yang melewati batas waktu sekarang / escalate overdue dispositions now."

    def handle(self, *args: Any, **options: Any) -> None:
        escalated = run_now("response.escalate_overdue")
        self.stdout.write(f"Dieskalasi / escalated: {escalated}")
