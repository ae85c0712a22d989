"""`GET /sehat/`: is this installation working? For monitoring, without login.

The answer is JSON, HTTP 200 when healthy and 503 when not::

    {"ok": true,
     "database": {"ok": true},
     "worker": {"ok": true, "heartbeat_age_seconds": 4.1, "workers": 1},
     "queue": {"ok": true, "ready": 0, "oldest_ready_age_seconds": null},
     "running": {"ok": true, "running": 0, "stale": 0, "oldest_stale_age_seconds": null},
     "deliveries": {"ok": true, "pending": 0, "oldest_pending_age_seconds": null, "failed": 0},
     "problems": []}

Unhealthy means: the database does not answer; no worker has written its heartbeat for two
minutes (it writes one every 10 s); a task has been ready to run for ten minutes without a
worker picking it up; a task is stale, RUNNING for more than ``WASPADA_TASK_LEASE_SECONDS``
under a worker that stopped beating as long ago (killed mid-task: see waspada/core/leases.py; it
stays counted here until a worker queues it again or fails it); or a notification has waited
thirty minutes to be delivered (a channel down: its retries back off, see
docs/notifications.md). Permanently failed deliveries are counted, for the admins' page
/notifikasi/pengiriman-gagal/, without making the service unhealthy. It names no host, process,
version, person or report: only ages and counts, safe to show to a monitoring service outside
the office.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import DatabaseError, connection
from django.db.models import Max, Min, Q
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from waspada.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_MAX_AGE = timedelta(minutes=2)
QUEUE_MAX_AGE = timedelta(minutes=10)
DELIVERY_MAX_AGE = timedelta(minutes=30)


def latest_heartbeat() -> tuple[datetime | None, int]:
    """The newest heartbeat of any worker, and how many workers beat within HEARTBEAT_MAX_AGE."""
    now = timezone.now()
    return (
        WorkerHeartbeat.objects.aggregate(newest=Max("seen_at"))["newest"],
        WorkerHeartbeat.objects.filter(seen_at__gte=now - HEARTBEAT_MAX_AGE).count(),
    )


def _queue() -> tuple[int, timedelta | None]:
    """Tasks ready to run now, and how long the oldest of them has been waiting.

    A task is due from when it was queued, or from its ``run_after`` if it was delayed.
    """
    from django_tasks_db.models import DBTaskResult, get_date_max

    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    never_delayed = Q(run_after=get_date_max())
    oldest = ready.aggregate(
        queued=Min("enqueued_at", filter=never_delayed), delayed=Min("run_after", filter=~never_delayed)
    )
    due = [moment for moment in (oldest["queued"], oldest["delayed"]) if moment is not None]
    return ready.count(), (now - min(due)) if due else None


def _running() -> tuple[int, int, timedelta | None]:
    """Tasks marked RUNNING, how many of them lost their worker, and since when the oldest runs."""
    from django_tasks_db.models import DBTaskResult

    from waspada.core.leases import stale_running_tasks

    now = timezone.now()
    stale = stale_running_tasks(now)
    oldest = min((task.started_at for task in stale), default=None)
    return DBTaskResult.objects.running().count(), len(stale), (now - oldest) if oldest else None


def _deliveries() -> tuple[int, timedelta | None, int]:
    """Notifications not yet delivered (waiting or being sent), the age of the oldest, and how
    many failed for good."""
    from waspada.notify.models import Delivery, DeliveryStatus

    waiting = Delivery.objects.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])
    oldest = waiting.aggregate(oldest=Min("created_at"))["oldest"]
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED).count()
    return waiting.count(), (timezone.now() - oldest) if oldest else None, failed


@dataclass
class Health:
    ok: bool = True
    database: dict[str, Any] = field(default_factory=lambda: {"ok": False})
    worker: dict[str, Any] = field(default_factory=lambda: {"ok": False})
    queue: dict[str, Any] = field(default_factory=lambda: {"ok": False})
    running: dict[str, Any] = field(default_factory=lambda: {"ok": False})
    deliveries: dict[str, Any] = field(default_factory=lambda: {"ok": False})
    problems: list[str] = field(default_factory=list)

    def fail(self, problem: str) -> None:
        self.ok = False
        self.problems.append(problem)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "database": self.database,
            "worker": self.worker,
            "queue": self.queue,
            "running": self.running,
            "deliveries": self.deliveries,
            "problems": self.problems,
        }


def _seconds(age: timedelta | None) -> float | None:
    return None if age is None else round(max(age.total_seconds(), 0.0), 1)


def health_status() -> Health:
    """Check the database, the workers' heartbeat, the task queue and the notification outbox."""
    health = Health()
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health: database unreachable")
        health.fail(_("Basis data tidak menjawab."))
        return health
    health.database = {"ok": True}
    try:
        newest, live_workers = latest_heartbeat()
        age = timezone.now() - newest if newest is not None else None
        worker_ok = age is not None and age <= HEARTBEAT_MAX_AGE
        health.worker = {"ok": worker_ok, "heartbeat_age_seconds": _seconds(age), "workers": live_workers}
        if age is None:
            health.fail(_("Pekerja latar belakang belum pernah berjalan (waspada worker)."))
        elif not worker_ok:
            health.fail(
                _("Pekerja latar belakang tidak berdetak sejak %(seconds)d detik.")
                % {"seconds": age.total_seconds()}
            )
        ready, oldest = _queue()
        queue_ok = oldest is None or oldest <= QUEUE_MAX_AGE
        health.queue = {"ok": queue_ok, "ready": ready, "oldest_ready_age_seconds": _seconds(oldest)}
        if not queue_ok:
            health.fail(
                _("%(count)d tugas menunggu; yang tertua sudah %(seconds)d detik.")
                % {"count": ready, "seconds": oldest.total_seconds() if oldest else 0}
            )
        running, stale, oldest_stale = _running()
        health.running = {
            "ok": not stale,
            "running": running,
            "stale": stale,
            "oldest_stale_age_seconds": _seconds(oldest_stale),
        }
        if stale and oldest_stale is not None:
            health.fail(
                _(
                    "%(count)d tugas tertahan BERJALAN tanpa pekerja yang hidup; yang tertua mulai "
                    "%(seconds)d detik lalu."
                )
                % {"count": stale, "seconds": oldest_stale.total_seconds()}
            )
        pending, oldest_delivery, failed = _deliveries()
        deliveries_ok = oldest_delivery is None or oldest_delivery <= DELIVERY_MAX_AGE
        health.deliveries = {
            "ok": deliveries_ok,
            "pending": pending,
            "oldest_pending_age_seconds": _seconds(oldest_delivery),
            "failed": failed,
        }
        if not deliveries_ok and oldest_delivery is not None:
            health.fail(
                _("%(count)d notifikasi belum terkirim; yang tertua sudah %(seconds)d detik.")
                % {"count": pending, "seconds": oldest_delivery.total_seconds()}
            )
    except DatabaseError:
        logger.exception("health: reading worker and queue state failed")
        health.fail(_("Status pekerja dan antrean tidak dapat dibaca (sudah `waspada migrate`?)."))
    return health


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    status = health_status()
    return JsonResponse(
        status.as_json(), status=200 if status.ok else 503, json_dumps_params={"ensure_ascii": False}
    )
