"""Exactly one WhatsApp message per delivery even when the worker dies after the Cloud API
accepted it and before recording it: real worker processes, a real SIGKILL, the stand-in sending
its signed status webhooks to a live Waspada. The Cloud API takes no idempotency key; the status
webhook, carrying the delivery's key in ``biz_opaque_callback_data``, records the send before the
lease runs out, so the restarted worker does not send it again."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter

import pytest
from django.db import connection

from waspada.chat.tests.conftest import TEMPLATES, WEBHOOK_PATH
from waspada.notify.actions import link_account
from waspada.notify.models import ChatAccount, Delivery, DeliveryStatus
from waspada.reports.tests.factories import submit
from waspada.testing.whatsapp import TEST_VERIFY_TOKEN, running_fake_whatsapp

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
        "WASPADA_WHATSAPP_API_URL": api.url,
        "WASPADA_WHATSAPP_ACCESS_TOKEN": api.token,
        "WASPADA_WHATSAPP_PHONE_NUMBER_ID": api.phone_number_id,
        "WASPADA_NOTIFY_LEASE_SECONDS": "2",
    }


def _wait(condition, what, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what if isinstance(what, str) else what()
        time.sleep(0.2)


def test_a_worker_killed_after_a_whatsapp_send_and_restarted_sends_each_message_once(
    postgresql_only, personas, live_server, settings
) -> None:
    with running_fake_whatsapp(templates=dict(TEMPLATES), auto_statuses=True) as api:
        api.webhook_url = live_server.url + WEBHOOK_PATH
        settings.WASPADA_WHATSAPP_APP_SECRET = api.app_secret
        settings.WASPADA_WHATSAPP_VERIFY_TOKEN = TEST_VERIFY_TOKEN
        settings.WASPADA_WHATSAPP_API_URL = api.url
        settings.WASPADA_WHATSAPP_ACCESS_TOKEN = api.token
        settings.WASPADA_WHATSAPP_PHONE_NUMBER_ID = api.phone_number_id
        link_account(person=personas.kesbangpol_analyst, channel="whatsapp", address=RINA, by=None)
        assert api.user_says(RINA, "bantuan")[0] == 200  # she wrote: her 24-hour window is open
        assert ChatAccount.objects.get(address=RINA).last_inbound_at is not None
        replies = len(api.sent)
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
        notices = lambda: [m for m in api.sent[replies:]]  # noqa: E731
        assert len(notices()) == 1
        first = notices()[0]
        # The platform's "sent" status reached Waspada and recorded the send on the row.
        _wait(
            lambda: Delivery.objects.filter(provider_ref=first["id"], status=DeliveryStatus.SENT).exists(),
            lambda: (
                f"the status webhook did not record the send: {api.webhook_answers} "
                f"{list(Delivery.objects.values('status', 'provider_ref', 'platform_status', 'last_error'))}"
            ),
            seconds=20,
        )
        killed = Delivery.objects.get(provider_ref=first["id"])
        assert killed.attempts == 1 and str(killed.idempotency_key) == first["biz_opaque_callback_data"]

        worker = subprocess.Popen(
            [sys.executable, "-m", "waspada", "worker", "--interval", "0.2"], env=_env(api)
        )
        try:
            _wait(
                lambda: (
                    not Delivery.objects.filter(
                        channel="whatsapp", status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING)
                    ).exists()
                ),
                "deliveries still waiting",
            )
            time.sleep(2.5)  # past the lease of the killed worker's claim: nothing more goes out
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        rows = list(Delivery.objects.filter(channel="whatsapp"))
        assert rows and all(d.status == DeliveryStatus.SENT for d in rows)
        per_delivery = Counter(m["biz_opaque_callback_data"] for m in notices())
        assert per_delivery == Counter({str(d.idempotency_key): 1 for d in rows}), per_delivery
        assert sorted(d.provider_ref for d in rows) == sorted(m["id"] for m in notices())
        assert all(m["type"] == "text" for m in notices())
