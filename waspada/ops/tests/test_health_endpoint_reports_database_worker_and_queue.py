"""`GET /sehat/`: 200 when the database answers, a worker beats and the queue moves; 503 otherwise."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from waspada.core.models import WorkerHeartbeat
from waspada.ops import health

pytestmark = pytest.mark.django_db


def _beat(age: timedelta, worker: str = "w1") -> None:
    seen = timezone.now() - age
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker,
        defaults={"hostname": socket.gethostname(), "pid": 4242, "started_at": seen, "seen_at": seen},
    )


def _queued(age: timedelta, *, delayed_until_age: timedelta | None = None) -> None:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="waspada.core.periodic.run_periodic_job",
        backend_name="default",
        run_after=get_date_max() if delayed_until_age is None else timezone.now() - delayed_until_age,
    )
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - age)


def _get(client: Client) -> tuple[int, dict]:
    response = client.get("/sehat/", secure=True)
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    return response.status_code, response.json()


def test_healthy_installation_answers_200_without_login(client: Client) -> None:
    _beat(timedelta(seconds=5))
    _queued(timedelta(seconds=30))

    status, body = _get(client)

    assert status == 200, body
    assert body["ok"] is True
    assert body["database"] == {"ok": True}
    assert body["worker"]["ok"] is True and 4 <= body["worker"]["heartbeat_age_seconds"] < 60
    assert body["worker"]["workers"] == 1
    assert body["queue"] == {"ok": True, "ready": 1, "oldest_ready_age_seconds": pytest.approx(30, abs=5)}
    assert body["deliveries"] == {"ok": True, "pending": 0, "oldest_pending_age_seconds": None, "failed": 0}
    assert body["problems"] == []


def test_no_worker_or_a_silent_one_is_503(client: Client) -> None:
    status, body = _get(client)
    assert status == 503
    assert body["worker"] == {"ok": False, "heartbeat_age_seconds": None, "workers": 0}
    assert "belum pernah berjalan" in body["problems"][0]

    _beat(timedelta(minutes=3))
    status, body = _get(client)
    assert status == 503
    assert body["worker"]["ok"] is False and body["worker"]["heartbeat_age_seconds"] >= 180
    assert "tidak berdetak sejak" in body["problems"][0]


def test_a_task_waiting_too_long_is_503_with_the_queue_depth(client: Client) -> None:
    _beat(timedelta(seconds=1))
    _queued(timedelta(minutes=20))
    _queued(timedelta(minutes=1))
    _queued(timedelta(hours=2), delayed_until_age=timedelta(minutes=-5))  # delayed into the future: not due

    status, body = _get(client)

    assert status == 503
    assert body["queue"]["ok"] is False
    assert body["queue"]["ready"] == 2
    assert body["queue"]["oldest_ready_age_seconds"] == pytest.approx(1200, abs=5)
    assert "2 tugas menunggu" in body["problems"][0]


def test_a_delayed_task_counts_from_when_it_became_due(client: Client) -> None:
    _beat(timedelta(seconds=1))
    _queued(timedelta(hours=3), delayed_until_age=timedelta(seconds=40))
    status, body = _get(client)
    assert status == 200
    assert body["queue"]["oldest_ready_age_seconds"] == pytest.approx(40, abs=5)


def test_a_database_that_does_not_answer_is_503(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    class Down:
        def ensure_connection(self) -> None:
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", Down())
    status, body = _get(client)
    assert status == 503
    assert body["ok"] is False and body["database"] == {"ok": False}
    assert body["problems"] == ["Basis data tidak menjawab."]


def test_it_reveals_no_host_process_or_version(client: Client) -> None:
    _beat(timedelta(seconds=1))
    response = client.get("/sehat/", secure=True)
    text = response.content.decode()
    assert socket.gethostname() not in text
    assert "4242" not in text
    assert "connection refused" not in text
    assert set(response.json()) == {"ok", "database", "worker", "queue", "running", "deliveries", "problems"}


def test_only_reads_are_allowed(client: Client) -> None:
    assert client.post("/sehat/", secure=True).status_code == 405
    assert client.head("/sehat/", secure=True).status_code in (200, 503)


def _delivery(age: timedelta, status: str, n: int) -> None:
    from waspada.notify.models import Delivery, Event

    event = Event.objects.create(kind="laporan.baru", level="siaga", title=f"Peristiwa {n}")
    Delivery.objects.create(
        event=event, channel="email", recipient=f"person:{n}", status=status, created_at=timezone.now() - age
    )


def test_a_notification_waiting_half_an_hour_is_503_and_failures_are_counted(client: Client) -> None:
    _beat(timedelta(seconds=1))
    _delivery(timedelta(minutes=5), "pending", 1)
    _delivery(timedelta(hours=3), "sent", 2)  # delivered long ago: not waiting
    _delivery(timedelta(hours=5), "failed", 3)  # failed for good: counted, for the admins' page
    status, body = _get(client)
    assert status == 200, body
    assert body["deliveries"]["pending"] == 1 and body["deliveries"]["failed"] == 1
    assert body["deliveries"]["oldest_pending_age_seconds"] == pytest.approx(300, abs=5)

    _delivery(timedelta(minutes=45), "sending", 4)
    status, body = _get(client)
    assert status == 503
    assert body["deliveries"]["ok"] is False and body["deliveries"]["pending"] == 2
    assert "2 notifikasi belum terkirim" in body["problems"][0]
