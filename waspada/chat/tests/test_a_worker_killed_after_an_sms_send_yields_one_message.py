"""Exactly one SMS per part even when the worker dies after the gateway accepted it and before
recording it: real worker processes, a real SIGKILL, the SMS Gateway for Android stand-in over
HTTP. The restarted worker sends the delivery again (its lease ran out) with the same ids, which
the phone's app does not enqueue twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.db import connection

from waspada.notify.actions import link_account
from waspada.notify.models import Delivery, DeliveryStatus
from waspada.reports.tests.factories import submit
from waspada.testing.sms import running_fake_sms_gateway

pytestmark = pytest.mark.django_db(transaction=True)
RINA = "6281234500002"
TITLE = "Massa berkumpul di depan kantor perusahaan sawit"


@pytest.fixture
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("worker processes sharing the test database need PostgreSQL")


def _env(api) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        "WASPADA_SMS_PROVIDER": "android",
        "WASPADA_SMS_GATEWAY_URL": api.url,
        "WASPADA_SMS_GATEWAY_USERNAME": api.username,
        "WASPADA_SMS_GATEWAY_PASSWORD": api.password,
        "WASPADA_NOTIFY_LEASE_SECONDS": "2",
        "CRASH_AFTER_CHANNEL": "sms",
    }


def _wait(condition, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_a_worker_killed_after_an_sms_send_and_restarted_sends_each_sms_once(
    postgresql_only, personas
) -> None:
    with running_fake_sms_gateway() as api:
        link_account(person=personas.kesbangpol_analyst, channel="sms", address=RINA, by=None)
        submit(personas.desa_reporter, alert_level="awas", isu="lainnya", title=TITLE)

        crashing = subprocess.Popen(
            [sys.executable, "-m", "waspada.chat.tests.crashing_whatsapp_worker", "--no-scheduler"],
            env=_env(api),
        )
        try:
            crashing.wait(timeout=90)
        finally:
            if crashing.poll() is None:
                crashing.kill()
        assert crashing.returncode == -9, "the worker should have died by SIGKILL after a send"
        first = list(api.sent)
        assert first, "the gateway accepted nothing before the kill"
        killed = Delivery.objects.get(idempotency_key=first[0]["id"].rsplit("-", 1)[0])
        assert killed.status == DeliveryStatus.SENDING and killed.attempts == 1

        worker = subprocess.Popen(
            [sys.executable, "-m", "waspada", "worker", "--interval", "0.2"], env=_env(api)
        )
        try:
            _wait(
                lambda: (
                    not Delivery.objects.filter(
                        channel="sms", status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING)
                    ).exists()
                ),
                "deliveries still waiting",
            )
            time.sleep(2.5)  # past another lease: nothing more goes out
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        rows = list(Delivery.objects.filter(channel="sms"))
        assert rows and all(d.status == DeliveryStatus.SENT for d in rows)
        killed.refresh_from_db()
        assert killed.attempts == 2  # sent again after the kill…
        posts = [body for body in api.received if body.startswith(b"/message")]
        assert len(posts) > len(api.sent)  # …and the phone's app dropped the repeated id
        per_id = Counter(m["id"] for m in api.sent)
        assert set(per_id.values()) == {1}, per_id
        assert {i.rsplit("-", 1)[0] for i in per_id} == {d.idempotency_key.hex for d in rows}
