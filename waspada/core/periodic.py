"""Periodic jobs: a registry, a claim that only one worker wins, and backoff on failure.

Register a job where it lives::

    @periodic("response.escalate_overdue", every=timedelta(minutes=1))
    def escalate_overdue() -> str: ...

``waspada worker`` runs a scheduler thread that, every second, claims the due jobs and queues
them on the database task queue (django-tasks), where any worker runs them. Claiming is a
conditional UPDATE of ``next_run_at``, so two workers never queue the same run. A job that
raises is retried after 1, 2, 4… minutes (at most an hour), not in a tight loop.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import close_old_connections
from django.utils import timezone
from django_tasks import task

from waspada.core.leases import recover_stale_tasks
from waspada.core.models import PeriodicJob, WorkerHeartbeat

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    function: Callable[[], object]


REGISTRY: dict[str, Job] = {}


def periodic(name: str, *, every: timedelta) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(function: Callable[[], object]) -> Callable[[], object]:
        REGISTRY[name] = Job(name=name, every=every, function=function)
        return function

    return register


def backoff(failures: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(failures - 1, 0)), MAX_BACKOFF)


def claim_due(now: datetime | None = None) -> list[str]:
    """Claim every due job (creating the state rows of new jobs); returns the names won."""
    now = now or timezone.now()
    won = []
    for job in REGISTRY.values():
        PeriodicJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
        state = PeriodicJob.objects.filter(name=job.name).values_list("next_run_at", flat=True).first()
        if state is None or state > now:
            continue
        # Only the worker whose UPDATE still sees the old next_run_at wins this run.
        claimed = PeriodicJob.objects.filter(name=job.name, next_run_at=state).update(
            next_run_at=now + job.every, last_started_at=now
        )
        if claimed:
            won.append(job.name)
    return won


@task()
def run_periodic_job(name: str) -> str:
    """Run one claimed job and record how it went; failures back off."""
    job = REGISTRY[name]
    try:
        result = job.function()
    except Exception as exc:
        # The state row may be missing (a job run by hand on a fresh database): create it, so
        # recording the failure never hides the error itself.
        state, _ = PeriodicJob.objects.get_or_create(name=name, defaults={"next_run_at": timezone.now()})
        failures = state.failures + 1
        PeriodicJob.objects.filter(name=name).update(
            failures=failures,
            last_error="".join(traceback.format_exception(exc))[-4000:],
            next_run_at=timezone.now() + backoff(failures),
        )
        logger.exception("periodic job %s failed (%d in a row)", name, failures)
        raise
    PeriodicJob.objects.filter(name=name).update(failures=0, last_error="", last_finished_at=timezone.now())
    return str(result)


def run_now(name: str) -> object:
    """Run a job in this process (for `waspada sweep` and tests), recording it like the worker."""
    return run_periodic_job.call(name)


class Scheduler(threading.Thread):
    """Claims due jobs and queues them (when ``schedule``); writes this worker's heartbeat under
    the id its task runner claims tasks with, and recovers tasks whose worker died."""

    HEARTBEAT_EVERY = timedelta(seconds=10)

    def __init__(self, tick: float = 1.0, *, schedule: bool = True) -> None:
        super().__init__(name="waspada-scheduler", daemon=True)
        self.tick = tick
        self.schedule = schedule
        self.last_beat: datetime | None = None
        self.stopping = threading.Event()
        suffix = f":{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.worker_id = socket.gethostname()[: 64 - len(suffix)] + suffix  # db_worker allows 64
        self.started_at = timezone.now()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                close_old_connections()
                now = timezone.now()
                if self.last_beat is None or now - self.last_beat >= self.HEARTBEAT_EVERY:
                    self.beat(now)
                    recover_stale_tasks(now)
                if self.schedule:
                    for name in claim_due(now):
                        run_periodic_job.enqueue(name)
            except Exception:  # the scheduler must outlive a database hiccup
                logger.exception("scheduler tick failed")
            self.stopping.wait(self.tick)

    def beat(self, now: datetime) -> None:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
                "started_at": self.started_at,
                "seen_at": now,
            },
        )
        self.last_beat = now
