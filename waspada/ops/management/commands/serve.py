"""`waspada serve`: the production application server (gunicorn) for this installation."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Menjalankan server web (gunicorn) / run the web server (gunicorn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("WASPADA_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WASPADA_THREADS", "4")))
        parser.add_argument("--no-collectstatic", action="store_true", help="Lewati collectstatic.")

    def handle(
        self, *args: Any, bind: str, workers: int, threads: int, no_collectstatic: bool, **options: Any
    ) -> None:
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        # exec so that gunicorn owns the process: signals from systemd or Ctrl-C reach it directly.
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "waspada.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "10",
        ]
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - replace this process with gunicorn
