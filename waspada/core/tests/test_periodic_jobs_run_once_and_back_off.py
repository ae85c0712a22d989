"""Periodic jobs: one claim per run whatever the number of workers; failures back off."""

from datetime import timedelta

import pytest
from django.utils import timezone

from waspada.core import periodic
from waspada.core.models import PeriodicJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky_job():
    calls: list[str] = []
    state = {"fail": True}

    def job() -> str:
        calls.append("ran")
        if state["fail"]:
            raise RuntimeError("server surat tidak menjawab")
        return "ok"

    periodic.REGISTRY["uji.flaky"] = periodic.Job(name="uji.flaky", every=timedelta(minutes=1), function=job)
    yield calls, state
    del periodic.REGISTRY["uji.flaky"]


def test_a_due_job_is_claimed_by_one_scheduler_only(flaky_job) -> None:
    now = timezone.now()
    assert "uji.flaky" in periodic.claim_due(now)
    assert "uji.flaky" not in periodic.claim_due(now)  # a second worker at the same moment
    assert "uji.flaky" in periodic.claim_due(now + timedelta(minutes=1, seconds=1))


def test_a_failing_job_backs_off_instead_of_looping(flaky_job) -> None:
    calls, state = flaky_job
    periodic.claim_due()
    for expected_failures in (1, 2, 3):
        with pytest.raises(RuntimeError):
            periodic.run_now("uji.flaky")
        job = PeriodicJob.objects.get(name="uji.flaky")
        assert job.failures == expected_failures
        assert "server surat tidak menjawab" in job.last_error
        wait = job.next_run_at - timezone.now()
        assert timedelta(minutes=2 ** (expected_failures - 1)) - timedelta(seconds=5) < wait
    state["fail"] = False
    assert periodic.run_now("uji.flaky") == "ok"
    assert calls == ["ran"] * 4
    job = PeriodicJob.objects.get(name="uji.flaky")
    assert job.failures == 0 and job.last_error == "" and job.last_finished_at is not None


def test_backoff_is_capped_at_an_hour() -> None:
    assert periodic.backoff(1) == timedelta(minutes=1)
    assert periodic.backoff(4) == timedelta(minutes=8)
    assert periodic.backoff(30) == timedelta(hours=1)


def test_the_deadline_sweep_is_registered() -> None:
    assert periodic.REGISTRY["response.escalate_overdue"].every == timedelta(minutes=1)
