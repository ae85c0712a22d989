"""The outbox through real servers: SMTP (aiosmtpd), a signed webhook receiver, and a local
stand-in of the Telegram Bot API. Retries back off; permanent failures stay visible."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from waspada.notify import outbox
from waspada.notify.actions import link_account, set_preference
from waspada.notify.models import Delivery, DeliveryStatus, Webhook
from waspada.notify.tests.webhook_receiver import Receiver
from waspada.reports.tests.factories import submit
from waspada.testing.smtp import body_text
from waspada.testing.telegram import running_fake_telegram

pytestmark = pytest.mark.django_db


@pytest.fixture
def telegram(settings):
    with running_fake_telegram() as api:
        settings.WASPADA_TELEGRAM_API_URL = api.url
        settings.WASPADA_TELEGRAM_BOT_TOKEN = api.token
        yield api


@pytest.fixture
def receiver():
    made = Receiver()
    yield made
    made.close()


def test_an_awas_report_is_emailed_to_the_tkd_with_its_delivery_key_as_message_id(
    personas, smtp_server
) -> None:
    report = submit(personas.desa_reporter, alert_level="awas", title="Bentrok warga").report
    outbox.process_pending()
    to_analyst = Delivery.objects.get(
        channel="email", person=personas.kesbangpol_analyst, event__kind="report.submitted"
    )
    assert to_analyst.status == DeliveryStatus.SENT
    mails = [m for m in smtp_server.messages if m["To"] == personas.kesbangpol_analyst.email]
    mail = next(m for m in mails if report.reference in m["Subject"] and "Laporan baru" in m["Subject"])
    assert mail["Message-ID"] == f"<{to_analyst.idempotency_key}@localhost>"
    assert "Bentrok warga" in body_text(mail)


def test_a_webhook_gets_a_body_signed_with_its_secret(personas, receiver) -> None:
    Webhook.objects.create(name="SP4N", url=receiver.url, secret="rahasia-bersama", min_level="siaga")
    report = submit(personas.desa_reporter, alert_level="siaga").report
    outbox.process_pending()
    assert len(receiver.requests) >= 1
    headers, body = next(r for r in receiver.requests if json.loads(r[1])["kind"] == "report.submitted")
    expected = hmac.new(
        b"rahasia-bersama", headers["X-Waspada-Timestamp"].encode() + b"." + body, hashlib.sha256
    )
    assert headers["X-Waspada-Signature"] == "sha256=" + expected.hexdigest()
    payload = json.loads(body)
    assert payload["reference"] == report.reference and payload["level"] == "siaga"
    delivery = Delivery.objects.get(channel="webhook", event__kind="report.submitted")
    assert headers["Idempotency-Key"] == str(delivery.idempotency_key)


def test_a_webhook_below_its_level_hears_nothing(personas, receiver) -> None:
    Webhook.objects.create(name="SP4N", url=receiver.url, secret="x" * 20, min_level="awas")
    submit(personas.desa_reporter, alert_level="siaga")
    outbox.process_pending()
    assert receiver.requests == []


def test_a_server_error_is_retried_with_growing_backoff_then_delivered(personas, telegram, settings) -> None:
    settings.WASPADA_NOTIFY_RETRY_BASE_SECONDS = 30
    link_account(person=personas.kesbangpol_analyst, channel="telegram", address="5551", by=None)
    submit(personas.desa_reporter, alert_level="siaga")
    telegram.fail_next(502, times=2)
    outbox.process_pending()
    delivery = Delivery.objects.get(channel="telegram")
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=25) < first_wait < timedelta(seconds=40)
    assert "502" in delivery.last_error
    outbox.deliver(delivery.pk, now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at - timezone.now() > timedelta(seconds=55)  # doubled
    outbox.deliver(delivery.pk, now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert [m["chat"]["id"] for m in telegram.sent] == ["5551"]


def test_a_permanent_error_stops_retrying_and_is_listed_for_admins(personas, telegram, client) -> None:
    link_account(person=personas.kesbangpol_analyst, channel="telegram", address="5551", by=None)
    submit(personas.desa_reporter, alert_level="siaga")
    telegram.fail_next(403)
    outbox.process_pending()
    delivery = Delivery.objects.get(channel="telegram")
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    client.force_login(personas.kesbangpol_admin)
    page = client.get("/notifikasi/pengiriman-gagal/")
    assert page.status_code == 200
    assert "403" in page.content.decode()
    client.force_login(personas.fkub_officer)
    assert client.get("/notifikasi/pengiriman-gagal/").status_code == 403


def test_quiet_hours_hold_a_siaga_message_but_not_an_awas_one(personas, telegram, settings) -> None:
    person = personas.kesbangpol_analyst
    link_account(person=person, channel="telegram", address="5551", by=None)
    now_local = timezone.localtime()
    start = (now_local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now_local + timedelta(hours=2)).time().replace(second=0, microsecond=0)
    set_preference(
        person=person, channel="telegram", enabled=True, min_level="waspada", quiet_start=start, quiet_end=end
    )
    submit(personas.desa_reporter, alert_level="siaga", title="Siaga di jam tenang")
    submit(personas.desa_reporter, alert_level="awas", title="Awas di jam tenang")
    outbox.process_pending()
    texts = [m["text"] for m in telegram.sent]
    assert any("Awas di jam tenang" in t for t in texts)
    assert not any("Siaga di jam tenang" in t for t in texts)
    held = Delivery.objects.get(channel="telegram", event__title__contains="Siaga di jam tenang")
    assert held.status == DeliveryStatus.PENDING and held.next_attempt_at > timezone.now() + timedelta(
        minutes=100
    )


def test_a_channel_turned_off_or_below_its_level_gets_nothing(personas, telegram) -> None:
    person = personas.kesbangpol_analyst
    link_account(person=person, channel="telegram", address="5551", by=None)
    set_preference(person=person, channel="telegram", enabled=True, min_level="awas")
    submit(personas.desa_reporter, alert_level="siaga")
    outbox.process_pending()
    assert telegram.sent == []


def test_an_unrecorded_telegram_send_is_not_repeated_but_marked_uncertain(personas, telegram, client) -> None:
    """The Bot API cannot deduplicate: a delivery whose worker died mid-send is never sent again."""
    link_account(person=personas.kesbangpol_analyst, channel="telegram", address="5551", by=None)
    submit(personas.desa_reporter, alert_level="siaga")
    from waspada.notify.fanout import fan_out
    from waspada.notify.models import Event

    for event in Event.objects.all():
        fan_out(event.pk)
    delivery = Delivery.objects.get(channel="telegram")
    # As a worker leaves it when killed after the send and before the record.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, lease_until=timezone.now() - timedelta(seconds=1)
    )
    outbox.process_pending()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.UNCERTAIN
    assert telegram.sent == []
    client.force_login(personas.kesbangpol_admin)
    assert "Tidak pasti" in client.get("/notifikasi/pengiriman-gagal/").content.decode()
