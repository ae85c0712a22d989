"""`waspada worker`: runs queued jobs from the database and schedules the periodic ones.

Pending work is rows in the database (django-tasks-db). A scheduler thread claims due periodic
jobs (the deadline sweep…) and queues them; the main thread runs the queue. Several workers may
run against PostgreSQL; each job run is claimed by one of them. Stopping the worker at any
moment loses nothing: a job whose transaction did not commit is done again on the next run.
A worker killed while running a task leaves it RUNNING; the others (or this one, restarted)
queue it again once its heartbeat is older than WASPADA_TASK_LEASE_SECONDS (waspada/core/leases.py).
The heartbeat thread runs in every mode, so a live worker's long task is never taken from it.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from waspada.core.periodic import Scheduler


class Command(BaseCommand):
    help = "Menjalankan pekerja latar belakang / run the background worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Detik antara pemeriksaan antrean.")
        parser.add_argument("--batch", action="store_true", help="Kerjakan antrean yang ada lalu berhenti.")
        parser.add_argument(
            "--no-scheduler", action="store_true", help="Jangan jadwalkan pekerjaan berkala di proses ini."
        )

    def handle(self, *args: Any, interval: float, batch: bool, no_scheduler: bool, **options: Any) -> None:
        scheduler = Scheduler(tick=interval, schedule=not batch and not no_scheduler)
        scheduler.start()
        try:
            call_command(
                "db_worker",
                queue_name="*",
                worker_id=scheduler.worker_id,
                interval=interval,
                batch=batch,
                reload=False,
                verbosity=options.get("verbosity", 1),
            )
        finally:
            scheduler.stopping.set()
