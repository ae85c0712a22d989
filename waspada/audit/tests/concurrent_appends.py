"""Several threads appending at once, each in its own transaction; used by the concurrency tests.

Run as a script (``python -m waspada.audit.tests.concurrent_appends``) it migrates a fresh
SQLite database in WASPADA_DATA_DIR and prints the outcome as JSON, so the SQLite test
exercises a real file database with WAL and locking, not the test runner's in-memory one.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import Any

THREADS = 8
PER_THREAD = 15


def append_concurrently(threads: int = THREADS, per_thread: int = PER_THREAD) -> list[str]:
    """Start ``threads`` threads that each record ``per_thread`` entries; return their errors."""
    from django.db import connection, transaction

    from waspada.audit.actions import record

    errors: list[str] = []
    start = threading.Barrier(threads)

    def work(number: int) -> None:
        try:
            start.wait()
            for index in range(per_thread):
                with transaction.atomic():
                    record(
                        action="membership.added",
                        actor=None,
                        object_type="forums.membership",
                        object_id=f"{number}-{index}",
                        channel="system",
                    )
        except Exception as exc:  # collected and asserted on by the caller
            errors.append(repr(exc))
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(number,)) for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waspada.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if len(sys.argv) > 1:  # e.g. DEFERRED, to see what IMMEDIATE protects against
        settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] = sys.argv[1]
    call_command("migrate", verbosity=0)

    from waspada.audit.models import AuditEntry
    from waspada.audit.verify import verify_chain

    errors = append_concurrently()
    result = verify_chain()
    outcome: dict[str, Any] = {
        "errors": errors,
        "entries": AuditEntry.objects.count(),
        "ok": result.ok,
        "problems": result.problems,
    }
    print(json.dumps(outcome))


if __name__ == "__main__":
    main()
