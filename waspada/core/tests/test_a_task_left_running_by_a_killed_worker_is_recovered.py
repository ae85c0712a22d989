"""A task a killed worker left RUNNING shows on /sehat/ until a worker queues it again (or fails it).

"Killed" is the state a `kill -9` leaves: the task row RUNNING under the worker's id, and that
worker's heartbeat growing old. A live worker's long task is left alone.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from waspada.core.leases import WORKER_LOST, recover_stale_tasks
from waspada.core.models import WorkerHeartbeat
from waspada.core.periodic import Scheduler

pytestmark = pytest.mark.django_db


def _beat(worker_id: str, age: timedelta) -> None:
    seen = timezone.now() - age
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"hostname": "h", "pid": 1, "started_at": seen, "seen_at": seen}
    )


def _running(worker_ids: list[str], started: timedelta) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": ["response.escalate_overdue"], "kwargs": {}},
        task_path="waspada.core.periodic.run_periodic_job",
        backend_name="default",
        run_after=get_date_max(),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - started, worker_ids=worker_ids
    )
    return task


def _sehat(client: Client) -> tuple[int, dict]:
    response = client.get("/sehat/", secure=True)
    return response.status_code, response.json()


def test_a_task_of_a_killed_worker_is_shown_then_queued_again(client: Client) -> None:
    _beat("hidup:1:aaaaaa", timedelta(seconds=3))  # another worker is alive
    _beat("mati:2:bbbbbb", timedelta(minutes=9))  # killed nine minutes ago
    lost = _running(["mati:2:bbbbbb"], started=timedelta(minutes=10))

    status, body = _sehat(client)
    assert status == 503
    assert body["running"]["stale"] == 1 and body["running"]["running"] == 1
    assert body["running"]["oldest_stale_age_seconds"] == pytest.approx(600, abs=30)
    assert any("tertahan BERJALAN" in problem for problem in body["problems"])

    assert recover_stale_tasks() == (1, 0)

    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.READY and lost.started_at is None
    assert lost.worker_ids == ["mati:2:bbbbbb"]  # one attempt so far; the next claim adds its id
    status, body = _sehat(client)
    assert status == 200, body
    assert body["running"] == {"ok": True, "running": 0, "stale": 0, "oldest_stale_age_seconds": None}
    assert body["queue"]["ready"] == 1


def test_a_worker_that_never_beat_loses_its_task_too(client: Client) -> None:
    _beat("hidup:1:aaaaaa", timedelta(seconds=3))
    _running(["tanpa-detak"], started=timedelta(minutes=5))
    assert _sehat(client)[1]["running"]["stale"] == 1
    assert recover_stale_tasks() == (1, 0)


def test_a_long_task_of_a_live_worker_is_left_alone(client: Client) -> None:
    _beat("hidup:1:aaaaaa", timedelta(seconds=3))
    long = _running(["hidup:1:aaaaaa"], started=timedelta(hours=1))
    fresh = _running(["mati:2:bbbbbb"], started=timedelta(seconds=20))  # within the lease

    status, body = _sehat(client)
    assert status == 200, body
    assert body["running"] == {"ok": True, "running": 2, "stale": 0, "oldest_stale_age_seconds": None}
    assert recover_stale_tasks() == (0, 0)
    for task in (long, fresh):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING


def test_after_the_last_attempt_the_task_fails_with_worker_lost(client: Client, settings) -> None:
    settings.WASPADA_TASK_MAX_ATTEMPTS = 3
    _beat("hidup:1:aaaaaa", timedelta(seconds=3))
    task = _running(["a", "b", "c"], started=timedelta(minutes=10))

    assert recover_stale_tasks() == (0, 1)

    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == WORKER_LOST
    assert "attempt 3 of 3" in task.traceback
    assert _sehat(client)[0] == 200


def test_the_worker_claims_tasks_under_the_id_it_beats_with() -> None:
    """The recovery compares a task's last worker id with the heartbeats: they must be one id."""
    scheduler = Scheduler(schedule=False)
    assert len(scheduler.worker_id) <= 64
    scheduler.beat(timezone.now())
    task = _running([scheduler.worker_id], started=timedelta(minutes=10))
    assert recover_stale_tasks() == (0, 0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
