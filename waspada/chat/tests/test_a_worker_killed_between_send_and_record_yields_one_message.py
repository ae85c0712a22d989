"""At most one message per (event, recipient, channel) even when the worker dies after sending and
before recording: real worker processes, a real SIGKILL, a real Synapse that deduplicates on the
delivery's transaction ID."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from waspada.chat.bot import MatrixBot
from waspada.notify.actions import link_account
from waspada.notify.models import Delivery, DeliveryStatus, Room
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db(transaction=True)
TITLE = "Massa berkumpul di depan kantor perusahaan sawit"


@pytest.fixture
def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("worker processes sharing the test database need PostgreSQL")


def _env(settings) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        "WASPADA_MATRIX_HOMESERVER": settings.WASPADA_MATRIX_HOMESERVER,
        "WASPADA_MATRIX_USER_ID": settings.WASPADA_MATRIX_USER_ID,
        "WASPADA_MATRIX_ACCESS_TOKEN": settings.WASPADA_MATRIX_ACCESS_TOKEN,
        "WASPADA_NOTIFY_LEASE_SECONDS": "2",
    }


def test_a_worker_killed_after_sending_and_restarted_shows_the_message_once(
    postgresql_only, personas, matrix_bot, new_member, synapse, settings
) -> None:
    bot = MatrixBot()
    member = new_member("rina")
    link_account(person=personas.kesbangpol_analyst, channel="matrix", address=member.user_id, by=None)
    bot.ensure_rooms(invite_members=False)
    cross = Room.objects.get(forum__isnull=True)
    bot.client.invite(cross.address, member.user_id)
    member.accept_invites()

    report = submit(personas.desa_reporter, alert_level="siaga", isu="lainnya", title=TITLE).report
    room_delivery = lambda: Delivery.objects.filter(room=cross, event__report=report).first()  # noqa: E731

    crashing = subprocess.Popen(
        [sys.executable, "-m", "waspada.chat.tests.crashing_worker", "--no-scheduler"], env=_env(settings)
    )
    try:
        crashing.wait(timeout=90)
    finally:
        if crashing.poll() is None:
            crashing.kill()
    assert crashing.returncode == -9, "the worker should have died by SIGKILL after a send"
    first = room_delivery()
    assert first is not None and first.status == DeliveryStatus.SENDING and first.attempts == 1
    # The message went out before the worker died: the member already sees it.
    member.wait_for(cross.address, TITLE)

    worker = subprocess.Popen(
        [sys.executable, "-m", "waspada", "worker", "--interval", "0.2"], env=_env(settings)
    )
    try:
        deadline = time.monotonic() + 90
        while Delivery.objects.filter(status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING)).exists():
            assert time.monotonic() < deadline, list(
                Delivery.objects.values("recipient", "status", "last_error")
            )
            time.sleep(0.3)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    delivery = room_delivery()
    assert delivery is not None and delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 2  # sent again after the lease ran out, with the same transaction ID
    messages = [
        e for e in synapse.room_messages(cross.address, member_token(member)) if TITLE in e["content"]["body"]
    ]
    assert len(messages) == 1, messages
    assert delivery.provider_ref == messages[0]["event_id"]


def member_token(member) -> str:
    return str(member.client.access_token)
