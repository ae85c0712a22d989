"""Tasks whose worker died: found, put back in the queue, or failed after a few attempts.

``waspada worker`` claims a queued task by marking it RUNNING with its worker id (the same id
its scheduler thread writes heartbeats under, every 10 seconds). A worker killed mid-task (out
of memory, ``kill -9``, a power cut) leaves that row RUNNING for ever: nothing else would run it
again, and the queue looks empty.

A RUNNING task is **stale** when it started more than ``WASPADA_TASK_LEASE_SECONDS`` ago (120 by
default) and the worker that claimed it has written no heartbeat for that long. A live worker
running a long task keeps beating, so its task is never taken from it.

Every worker's scheduler thread recovers stale tasks about every 10 seconds: a task claimed
fewer than ``WASPADA_TASK_MAX_ATTEMPTS`` times (3 by default; each claim adds the worker's id to
``worker_ids``, so their number is the attempt count) goes back to READY and runs again; one that
already had its attempts is marked FAILED with ``WorkerLost`` as its error. Until then
``/sehat/`` counts stale tasks and answers 503.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from waspada.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

WORKER_LOST = "waspada.core.leases.WorkerLost"


class WorkerLost(Exception):
    """The worker running this task stopped beating before the task finished."""


def lease() -> timedelta:
    return timedelta(seconds=settings.WASPADA_TASK_LEASE_SECONDS)


@dataclass(frozen=True)
class StaleTask:
    id: str
    started_at: datetime
    attempts: int


def stale_running_tasks(now: datetime | None = None) -> list[StaleTask]:
    """RUNNING tasks started more than a lease ago whose worker has not beaten within a lease."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - lease()
    live = set(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    stale = []
    for pk, started_at, worker_ids in DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).values_list("id", "started_at", "worker_ids"):
        ids = worker_ids if isinstance(worker_ids, list) else []
        if started_at is None or (ids and ids[-1] in live):
            continue
        stale.append(StaleTask(id=str(pk), started_at=started_at, attempts=len(ids)))
    return stale


def recover_stale_tasks(now: datetime | None = None) -> tuple[int, int]:
    """Requeue (or fail, after the last attempt) every stale task; returns (requeued, failed).

    Each change is a conditional UPDATE on the row as it was read, so a worker that comes back,
    or another worker recovering at the same moment, never makes it run twice.
    """
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    requeued = failed = 0
    for task in stale_running_tasks(now):
        row = DBTaskResult.objects.filter(
            pk=task.id, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if task.attempts < settings.WASPADA_TASK_MAX_ATTEMPTS:
            if row.update(status=TaskResultStatus.READY, started_at=None):
                requeued += 1
                logger.warning("task %s lost its worker; queued again (attempt %d)", task.id, task.attempts)
        elif row.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=WORKER_LOST,
            traceback=(
                f"WorkerLost: the worker stopped beating during attempt {task.attempts} of "
                f"{settings.WASPADA_TASK_MAX_ATTEMPTS}; the task is not run again."
            ),
        ):
            failed += 1
            logger.error("task %s lost its worker %d times; marked failed", task.id, task.attempts)
    return requeued, failed
