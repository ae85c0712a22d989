"""Escalation exactly once on PostgreSQL: two sweeping workers at once, and a worker killed
in the middle of a sweep then started again. Real processes, real database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from waspada.core.models import PeriodicJob
from waspada.forums.models import Forum
from waspada.reports.tests.factories import submit
from waspada.response.models import Disposition, Escalation

pytestmark = pytest.mark.django_db(transaction=True)


def _overdue_set(reporter, count: int) -> list[int]:
    fkub = Forum.objects.get(code="FKUB-6401")
    reports = [submit(reporter, isu="agama", title=f"Laporan {n}").report for n in range(count)]
    past = timezone.now() - timedelta(days=3)
    made = Disposition.objects.bulk_create(
        [Disposition(report=r, forum=fkub, kind="tindakan", due_at=past, created_at=past) for r in reports]
    )
    return [d.pk for d in made]


def _env() -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}


def _assert_each_escalated_once(ids: list[int]) -> None:
    assert Escalation.objects.filter(disposition_id__in=ids).count() == len(ids)
    targets = Disposition.objects.filter(escalated_from_id__in=ids)
    assert targets.count() == len(ids)
    assert set(targets.values_list("forum__code", flat=True)) == {"TKD-6401"}
    # One live TKD disposition per report: nothing doubled.
    assert Disposition.objects.filter(forum__code="TKD-6401").count() == len(ids)


@pytest.fixture
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("several worker processes on one database need PostgreSQL")


def test_two_workers_sweeping_the_same_overdue_set_escalate_each_once(postgresql_only, desa_reporter) -> None:
    ids = _overdue_set(desa_reporter, 60)
    command = [sys.executable, "-m", "waspada", "sweep_deadlines"]
    workers = [subprocess.Popen(command, env=_env(), stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert all(worker.returncode == 0 for worker in workers)
    done = [int(out.strip().rsplit(" ", 1)[1]) for out in outputs]
    assert sum(done) == len(ids)  # split between them, none twice
    _assert_each_escalated_once(ids)


def test_a_worker_killed_mid_sweep_and_restarted_loses_and_doubles_nothing(
    postgresql_only, desa_reporter
) -> None:
    ids = _overdue_set(desa_reporter, 300)
    command = [sys.executable, "-m", "waspada", "worker", "--interval", "0.2"]
    worker = subprocess.Popen(command, env=_env())
    try:
        deadline = time.monotonic() + 90
        while Escalation.objects.count() < 10:
            assert time.monotonic() < deadline, "the worker never started the sweep"
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    done_before_restart = Escalation.objects.count()
    assert 0 < done_before_restart < len(ids), "kill the worker in the middle, not after the sweep"

    # The killed run had pushed the next run a minute out; move the clock instead of waiting.
    PeriodicJob.objects.filter(name="response.escalate_overdue").update(next_run_at=timezone.now())
    worker = subprocess.Popen(command, env=_env())
    try:
        deadline = time.monotonic() + 120
        while Escalation.objects.count() < len(ids):
            assert time.monotonic() < deadline, f"only {Escalation.objects.count()} of {len(ids)} escalated"
            time.sleep(0.1)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    _assert_each_escalated_once(ids)
