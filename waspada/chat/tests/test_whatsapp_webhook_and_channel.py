"""WhatsApp against the local Cloud API stand-in: the stand-in speaks the Graph API's shapes; the
webhook checks the handshake, the signature, replays and unlinked numbers; notices go as text
inside the 24-hour window and as the template outside it; status webhooks update the delivery."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from waspada.chat.tests.conftest import WEBHOOK_PATH
from waspada.notify import outbox
from waspada.notify.actions import link_account
from waspada.notify.models import (
    ChatAccount,
    CommandLog,
    Delivery,
    DeliveryStatus,
    InboundMessage,
    UnlinkedAnswer,
)
from waspada.reports.models import Report
from waspada.reports.tests.factories import submit
from waspada.testing.whatsapp import TEST_VERIFY_TOKEN, sign

pytestmark = pytest.mark.django_db

SITI = "6281234500001"
RINA = "6281234500002"
STRANGER = "6289999900000"


def _post(api, path: str, payload: dict | None = None, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - the stand-in
        f"{api.url}/v21.0/{path}",
        data=json.dumps(payload).encode() if payload is not None else None,
        headers={"Authorization": f"Bearer {token or api.token}", "Content-Type": "application/json"},
        method="POST" if payload is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the stand-in
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_the_stand_in_answers_like_the_graph_api(whatsapp) -> None:
    text = {"messaging_product": "whatsapp", "to": SITI, "type": "text", "text": {"body": "Halo"}}
    code, answer = _post(whatsapp, f"{whatsapp.phone_number_id}/messages", text)
    assert code == 200 and answer["messaging_product"] == "whatsapp"
    assert answer["contacts"] == [{"input": SITI, "wa_id": SITI}]
    assert answer["messages"][0]["id"].startswith("wamid.")
    # Siti never wrote: the free-form text is accepted, then reported failed with 131047.
    failed = [s for s in whatsapp.statuses if s["status"] == "failed"]
    assert failed and failed[0]["errors"][0]["code"] == 131047

    template = {
        "messaging_product": "whatsapp",
        "to": SITI,
        "type": "template",
        "template": {"name": "tidak_ada", "language": {"code": "id"}},
    }
    code, answer = _post(whatsapp, f"{whatsapp.phone_number_id}/messages", template)
    assert code == 404 and answer["error"]["code"] == 132001 and answer["error"]["type"] == "OAuthException"

    code, answer = _post(whatsapp, f"{whatsapp.phone_number_id}/messages", text, token="salah")
    assert code == 401 and answer["error"]["code"] == 190

    # Media: uploaded by multipart, looked up by id, downloaded from its URL with the token.
    boundary = "batas" + uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="messaging_product"\r\n\r\nwhatsapp\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + b"\xff\xd8gambar\xff\xd9"
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(  # noqa: S310
        f"{whatsapp.url}/v21.0/{whatsapp.phone_number_id}/media",
        data=body,
        headers={
            "Authorization": f"Bearer {whatsapp.token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        media_id = json.loads(response.read())["id"]
    code, meta = _post(whatsapp, media_id)
    assert code == 200 and meta["mime_type"] == "image/jpeg" and meta["file_size"] == 10
    download = urllib.request.Request(meta["url"], headers={"Authorization": f"Bearer {whatsapp.token}"})  # noqa: S310
    with urllib.request.urlopen(download, timeout=10) as response:  # noqa: S310
        assert response.read() == b"\xff\xd8gambar\xff\xd9"


def test_the_subscription_handshake_echoes_the_challenge_only_with_the_verify_token(whatsapp) -> None:
    client = Client()
    ok = client.get(
        WEBHOOK_PATH,
        {"hub.mode": "subscribe", "hub.verify_token": TEST_VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    assert ok.status_code == 200 and ok.content == b"1158201444"
    wrong = client.get(
        WEBHOOK_PATH, {"hub.mode": "subscribe", "hub.verify_token": "tebakan", "hub.challenge": "1158201444"}
    )
    assert wrong.status_code == 403 and b"1158201444" not in wrong.content


def test_a_post_without_the_platforms_signature_is_refused_and_stores_nothing(personas, whatsapp) -> None:
    link_account(person=personas.desa_reporter, channel="whatsapp", address=SITI, by=None)
    payload = whatsapp.envelope(
        {
            "messaging_product": "whatsapp",
            "messages": [
                {
                    "from": SITI,
                    "id": "wamid.PALSU1",
                    "timestamp": "1",
                    "type": "text",
                    "text": {"body": "bantuan"},
                }
            ],
        }
    )
    body = json.dumps(payload).encode()
    assert whatsapp.post_raw(body, {"Content-Type": "application/json"}) == 403
    forged = sign("bukan-rahasia-aplikasi", body)
    assert whatsapp.post_raw(body, {"X-Hub-Signature-256": forged}) == 403
    # The right signature over a different body does not pass either.
    assert whatsapp.post_raw(body + b" ", {"X-Hub-Signature-256": sign(whatsapp.app_secret, body)}) == 403
    assert not InboundMessage.objects.exists() and not CommandLog.objects.exists()
    assert whatsapp.sent == []
    assert whatsapp.post_raw(body, {"X-Hub-Signature-256": sign(whatsapp.app_secret, body)}) == 200
    assert InboundMessage.objects.filter(message_id="wamid.PALSU1").exists()


def test_a_replayed_message_is_not_acted_on_twice(personas, whatsapp) -> None:
    link_account(person=personas.desa_reporter, channel="whatsapp", address=SITI, by=None)
    whatsapp.user_says(
        SITI,
        "lapor Warga Desa Lombok Kec. Long Ikis bentrok dengan perusahaan sawit soal lahan plasma, "
        "dua orang luka",
    )
    assert Report.objects.count() == 1
    replies = len(whatsapp.sent)
    # The same signed body again (an attacker's replay, or the platform retrying).
    value = {
        "messaging_product": "whatsapp",
        "messages": [
            {
                "from": SITI,
                "id": InboundMessage.objects.get().message_id,
                "timestamp": "1",
                "type": "text",
                "text": {
                    "body": "lapor Warga Desa Lombok bentrok lagi dengan perusahaan sawit, lahan plasma"
                },
            }
        ],
    }
    assert whatsapp.post_webhook(whatsapp.envelope(value)) == 200
    assert Report.objects.count() == 1 and len(whatsapp.sent) == replies


def test_an_unlinked_number_is_told_how_to_get_linked_and_nothing_is_created(personas, whatsapp) -> None:
    code, _id = whatsapp.user_says(
        STRANGER, "lapor Warga Desa Lombok bentrok dengan perusahaan sawit soal lahan plasma"
    )
    assert code == 200
    whatsapp.user_sends_location(STRANGER, -1.9, 116.2)
    reply = whatsapp.texts_to(STRANGER)
    # Told once; the second message, within WASPADA_UNLINKED_REPLY_HOURS, is not answered.
    assert len(reply) == 1 and "belum ditautkan" in reply[0] and "tautkan KODE" in reply[0]
    assert not Report.objects.exists()
    assert not InboundMessage.objects.exists() and not CommandLog.objects.exists()
    assert not ChatAccount.objects.exists()


def test_an_unlinked_number_is_told_again_only_after_the_throttle_hours(personas, whatsapp, settings) -> None:
    settings.WASPADA_UNLINKED_REPLY_HOURS = 6
    for _ in range(3):
        whatsapp.user_says(STRANGER, "halo")
    assert len(whatsapp.texts_to(STRANGER)) == 1
    # What is kept is a keyed digest of the number, not the number and nothing of the message.
    (kept,) = UnlinkedAnswer.objects.values_list("digest", flat=True)
    assert STRANGER not in kept and len(kept) == 64
    UnlinkedAnswer.objects.update(answered_at=timezone.now() - timedelta(hours=6, seconds=1))
    whatsapp.user_says(STRANGER, "halo lagi")
    assert len(whatsapp.texts_to(STRANGER)) == 2
    settings.WASPADA_UNLINKED_REPLY_HOURS = 0  # 0: every message is answered
    whatsapp.user_says(STRANGER, "halo")
    assert len(whatsapp.texts_to(STRANGER)) == 3


def test_a_member_links_her_number_with_a_code_from_the_app(personas, whatsapp) -> None:
    from waspada.notify.actions import create_link_code

    code = create_link_code(person=personas.desa_reporter)
    whatsapp.user_says(SITI, f"tautkan {code}")
    assert "tertaut ke Siti Rahmawati" in whatsapp.texts_to(SITI)[-1]
    account = ChatAccount.objects.get(channel="whatsapp")
    assert account.person == personas.desa_reporter and account.address == SITI
    assert account.last_inbound_at is not None  # her message opened the window


def test_an_admin_links_a_number_written_the_local_way(personas) -> None:
    account = link_account(
        person=personas.desa_reporter, channel="whatsapp", address="0812-3450-0001", by=None
    )
    assert account.address == SITI
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        link_account(person=personas.fkub_officer, channel="whatsapp", address="nomor saya", by=None)
    assert "Nomor WhatsApp" in str(refused.value)


def _deliveries(report: Report) -> list[Delivery]:
    return list(Delivery.objects.filter(event__report=report, channel="whatsapp").select_related("person"))


def test_inside_the_window_a_notice_is_text_outside_it_the_template_in_the_readers_language(
    personas, whatsapp
) -> None:
    analyst = personas.kesbangpol_analyst
    analyst.language = "en"
    analyst.save(update_fields=["language"])
    link_account(person=analyst, channel="whatsapp", address=RINA, by=None)  # never wrote: template
    link_account(person=personas.fkub_officer, channel="whatsapp", address=SITI, by=None)
    whatsapp.user_says(SITI, "bantuan")  # the officer wrote a minute ago: inside the window

    report = submit(personas.desa_reporter, alert_level="awas", isu="agama", title="Spanduk penolakan").report
    outbox.process_pending()
    to_rina = [m for m in whatsapp.sent if m["to"] == RINA]
    to_officer = [
        m for m in whatsapp.sent if m["to"] == SITI and m["type"] == "text" and "Spanduk" in m["shown"]
    ]
    assert to_rina and all(m["type"] == "template" for m in to_rina)
    assert to_rina[0]["template"]["name"] == "waspada_pemberitahuan"
    assert to_rina[0]["template"]["language"]["code"] == "en"
    assert to_rina[0]["shown"].startswith("Waspada notice: [AWAS]")
    assert to_officer, whatsapp.texts_to(SITI)
    # Every send carries its delivery's key for the status webhooks.
    keys = {str(d.idempotency_key) for d in _deliveries(report)}
    assert {m["biz_opaque_callback_data"] for m in to_rina + to_officer} <= keys

    # Status webhooks: sent, delivered, then read, onto the delivery row.
    whatsapp.flush_statuses()
    rows = _deliveries(report)
    assert rows and all(d.status == DeliveryStatus.SENT and d.platform_status == "delivered" for d in rows)
    whatsapp.read(to_rina[0]["id"])
    whatsapp.flush_statuses()
    assert Delivery.objects.get(provider_ref=to_rina[0]["id"]).platform_status == "read"


def test_a_missing_template_fails_the_delivery_with_a_clear_error_on_the_admins_page(
    personas, whatsapp, client
) -> None:
    whatsapp.templates.clear()  # approved at Meta: none
    link_account(person=personas.kesbangpol_analyst, channel="whatsapp", address=RINA, by=None)
    report = submit(personas.desa_reporter, alert_level="awas", title="Spanduk penolakan").report
    outbox.process_pending()
    rows = _deliveries(report)
    assert rows and all(d.status == DeliveryStatus.FAILED for d in rows)
    assert all("waspada_pemberitahuan" in d.last_error and "132001" in d.last_error for d in rows)
    client.force_login(personas.kesbangpol_admin)
    page = client.get("/notifikasi/pengiriman-gagal/").content.decode()
    assert "132001" in page

    # Not configured for the reader's language at all: failed too, naming the setting.
    analyst = personas.kesbangpol_analyst
    analyst.language = "en"
    analyst.save(update_fields=["language"])
    from django.conf import settings

    settings.WASPADA_WHATSAPP_TEMPLATES = json.dumps({"name": "waspada_pemberitahuan", "bodies": {"id": "x"}})
    second = submit(personas.desa_reporter, alert_level="awas", title="Blokade jalan").report
    outbox.process_pending()
    rows = _deliveries(second)
    assert rows and all(d.status == DeliveryStatus.FAILED for d in rows)
    assert all("WASPADA_WHATSAPP_TEMPLATES" in d.last_error and "'en'" in d.last_error for d in rows)


def test_a_text_refused_as_outside_the_window_goes_again_as_the_template(personas, whatsapp) -> None:
    link_account(person=personas.kesbangpol_analyst, channel="whatsapp", address=RINA, by=None)
    # Waspada thinks the window is open, but the platform's clock says otherwise.
    ChatAccount.objects.filter(address=RINA).update(last_inbound_at=timezone.now() - timedelta(hours=1))
    report = submit(personas.desa_reporter, alert_level="awas", title="Spanduk penolakan").report
    outbox.process_pending()
    count = len(_deliveries(report))
    assert count and [m["type"] for m in whatsapp.sent if m["to"] == RINA] == ["text"] * count
    whatsapp.flush_statuses()  # failed, 131047
    rows = _deliveries(report)
    assert all(d.status == DeliveryStatus.PENDING and "131047" in d.last_error for d in rows)
    outbox.process_pending()
    whatsapp.flush_statuses()
    to_rina = [m for m in whatsapp.sent if m["to"] == RINA]
    assert [m["type"] for m in to_rina] == ["text"] * count + ["template"] * count
    rows = _deliveries(report)
    assert all(d.status == DeliveryStatus.SENT and d.platform_status == "delivered" for d in rows)
    assert {d.provider_ref for d in rows} == {m["id"] for m in to_rina[count:]}


def test_a_status_naming_another_recipient_changes_nothing(personas, whatsapp) -> None:
    link_account(person=personas.kesbangpol_analyst, channel="whatsapp", address=RINA, by=None)
    report = submit(personas.desa_reporter, alert_level="awas").report
    outbox.process_pending()
    delivery = _deliveries(report)[0]
    forged = {
        "id": delivery.provider_ref,
        "status": "failed",
        "timestamp": "1",
        "recipient_id": STRANGER,
        "errors": [{"code": 131026, "title": "Message undeliverable"}],
    }
    whatsapp.post_webhook(whatsapp.envelope({"messaging_product": "whatsapp", "statuses": [forged]}))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_a_reaction_to_a_notice_is_not_answered(personas, whatsapp) -> None:
    link_account(person=personas.desa_reporter, channel="whatsapp", address=SITI, by=None)
    code, _id = whatsapp._inbound(SITI, "reaction", {"message_id": "wamid.HBgNX", "emoji": "👍"})
    assert code == 200 and whatsapp.texts_to(SITI) == []
    whatsapp.user_says(SITI, "halo")
    assert whatsapp.texts_to(SITI) == ["Perintah tidak dikenal. Kirim: bantuan"]
