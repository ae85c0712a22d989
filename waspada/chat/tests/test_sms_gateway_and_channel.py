"""SMS against the local stand-ins of SMS Gateway for Android and of a generic HTTP aggregator:
the stand-in speaks the app's API; the webhook checks the signature and its age, stores a
retried SMS once, answers unlinked numbers and stores nothing of them; LAPOR reads the compact
form or goes through the triage; notices are short, carry one reference and split between words."""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.request

import pytest
from django.utils import timezone

from waspada.chat import sms_webhook
from waspada.notify import outbox
from waspada.notify.actions import create_link_code, link_account
from waspada.notify.channels import Message
from waspada.notify.channels.sms import notice_text, split_sms
from waspada.notify.models import ChatAccount, CommandLog, Delivery, DeliveryStatus, InboundMessage
from waspada.reports.models import Report
from waspada.reports.tests.factories import submit
from waspada.testing.sms import sign

pytestmark = pytest.mark.django_db

SITI = "6281234500001"
RINA = "6281234500002"
STRANGER = "6289999900000"
REFERENCE = re.compile(r"SKD-\d{4}-\d{4}-\d{6}")


def _call(api, payload: dict, *, password: str | None = None, query: str = "") -> tuple[int, dict]:
    credentials = base64.b64encode(f"{api.username}:{password or api.password}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - the stand-in
        f"{api.url}/message{query}",
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Basic {credentials}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the stand-in
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_the_stand_in_answers_like_the_android_gateway(sms) -> None:
    message = {"id": "uji-1", "textMessage": {"text": "Halo"}, "phoneNumbers": ["+6281234500001"]}
    code, answer = _call(sms, message)
    assert code == 202 and answer["id"] == "uji-1" and answer["state"] == "Pending"
    assert answer["recipients"] == [{"phoneNumber": "+6281234500001", "state": "Pending", "error": None}]
    # The same id again: accepted, not sent again.
    assert _call(sms, message)[0] == 202
    assert sms.texts_to(SITI) == ["Halo"]
    assert _call(sms, message, password="salah")[0] == 401
    code, answer = _call(sms, {"textMessage": {"text": "x"}, "phoneNumbers": ["0812345"]})
    assert code == 400 and "phone" in answer["message"].lower()
    assert (
        _call(
            sms,
            {"textMessage": {"text": "x"}, "phoneNumbers": ["0812345"]},
            query="?skipPhoneValidation=true",
        )[0]
        == 202
    )
    assert _call(sms, {"phoneNumbers": ["+6281234500001"]})[0] == 400


def test_a_webhook_without_a_fresh_valid_signature_is_refused_and_stores_nothing(personas, sms) -> None:
    link_account(person=personas.desa_reporter, channel="sms", address=SITI, by=None)
    envelope = sms.event(
        "sms:received",
        {
            "messageId": "a1",
            "message": "BANTUAN",
            "sender": "+" + SITI,
            "receivedAt": "2026-12-07T10:00:00.000+08:00",
        },
    )
    body, headers = sms.signed(envelope)
    assert sms.post_raw(body, {"Content-Type": "application/json"}) == 403
    assert (
        sms.post_raw(body, {**headers, "X-Signature": sign("bukan-kuncinya", body, headers["X-Timestamp"])})
        == 403
    )
    assert sms.post_raw(body + b" ", headers) == 403  # the body changed after signing
    old_body, old_headers = sms.signed(envelope, timestamp=int(timezone.now().timestamp()) - 3600)
    assert sms.post_raw(old_body, old_headers) == 403  # an old request replayed
    assert not InboundMessage.objects.exists() and not CommandLog.objects.exists() and sms.sent == []
    assert sms.post_raw(body, headers) == 200
    assert InboundMessage.objects.filter(channel="sms").count() == 1
    assert sms.texts_to(SITI) and "LAPOR" in sms.texts_to(SITI)[0]


def test_an_unlinked_number_is_answered_and_nothing_is_stored(personas, sms) -> None:
    code, _event = sms.user_texts(
        "+" + STRANGER, "LAPOR agama Lombok spanduk penolakan rumah ibadah dipasang warga"
    )
    assert code == 200
    (reply,) = sms.texts_to(STRANGER)
    assert "belum tertaut" in reply and "TAUTKAN" in reply and len(reply) <= 160
    assert not Report.objects.exists() and not InboundMessage.objects.exists()
    assert not CommandLog.objects.exists() and not ChatAccount.objects.exists()
    # A second SMS within WASPADA_UNLINKED_REPLY_HOURS (24 by default) costs no reply.
    sms.user_texts("+" + STRANGER, "LAPOR lagi")
    assert len(sms.texts_to(STRANGER)) == 1 and not Report.objects.exists()


def test_a_sender_that_is_no_number_is_neither_answered_nor_stored(personas, sms) -> None:
    assert sms.user_texts("TELKOMSEL", "Paket data Anda hampir habis")[0] == 200
    assert sms.sent == [] and not InboundMessage.objects.exists()


def test_a_gateway_retry_of_the_same_sms_files_one_report_and_one_reply(personas, sms) -> None:
    link_account(person=personas.desa_reporter, channel="sms", address=SITI, by=None)
    code, envelope = sms.user_texts(
        "+" + SITI, "LAPOR agama Lombok Spanduk penolakan pembangunan rumah ibadah dipasang"
    )
    assert code == 200
    assert sms.redeliver(envelope) == 200 and sms.redeliver(envelope) == 200
    assert Report.objects.count() == 1 and len(sms.texts_to(SITI)) == 1


def test_the_compact_form_reads_isu_desa_and_story_and_replies_with_the_reference(personas, sms) -> None:
    link_account(person=personas.desa_reporter, channel="sms", address="0812-3450-0001", by=None)
    sms.user_texts("+" + SITI, "lapor ibadah Lombok Sekelompok warga menghentikan pembangunan rumah ibadah")
    report = Report.objects.get()
    assert report.isu == "agama" and report.region.name == "Lombok" and report.channel == "chat"
    assert report.what == "Sekelompok warga menghentikan pembangunan rumah ibadah"
    reply = " ".join(sms.texts_to(SITI))
    assert REFERENCE.findall(reply) == [report.reference, report.reference]  # "… SKD-…. Balas STATUS SKD-…"
    assert all(len(part) <= 160 for part in sms.texts_to(SITI))


def test_lapor_in_plain_words_goes_through_the_triage(personas, sms) -> None:
    link_account(person=personas.desa_reporter, channel="sms", address=SITI, by=None)
    sms.user_texts(
        "+" + SITI,
        "Warga Desa Lombok Kec. Long Ikis bentrok dengan perusahaan sawit soal lahan plasma, dua orang luka",
    )
    report = Report.objects.get()
    assert report.isu == "agraria_korporasi" and report.region_id == "64.01.06.2006"
    assert report.reference in sms.texts_to(SITI)[0]


def test_a_text_that_is_no_report_is_answered_with_the_short_help(personas, sms) -> None:
    link_account(person=personas.desa_reporter, channel="sms", address=SITI, by=None)
    sms.user_texts("+" + SITI, "ok terima kasih")
    assert not Report.objects.exists()
    assert "LAPOR <isu> <desa> <cerita>" in " ".join(sms.texts_to(SITI))


def test_a_member_links_her_number_by_sms_with_a_code(personas, sms) -> None:
    code = create_link_code(person=personas.desa_reporter)
    sms.user_texts("+" + SITI, f"TAUTKAN {code}")
    assert "tertaut ke Siti Rahmawati" in sms.texts_to(SITI)[-1]
    assert ChatAccount.objects.get(channel="sms").address == SITI


def test_a_long_text_is_split_between_words_and_never_breaks_a_reference() -> None:
    words = "Bentrok warga di simpang hauling SKD-2026-6401-000123 meluas ke desa tetangga, " * 6
    parts = split_sms(words + "lihat https://waspada.example/laporan/SKD-2026-6401-000123/", max_parts=3)
    assert len(parts) == 3 and all(len(p) <= 160 for p in parts)
    assert [p[:6] for p in parts] == ["(1/3) ", "(2/3) ", "(3/3) "] and parts[-1].endswith("...")
    for part in parts:
        body = part[6:].removesuffix(" ...")
        assert all(REFERENCE.fullmatch(t.strip(",")) for t in body.split() if t.startswith("SKD"))
    assert split_sms("Laporan … diterima · Lokasi — Desa Lombok", max_parts=3) == [
        "Laporan ... diterima - Lokasi - Desa Lombok"
    ]
    # Something with no GSM equivalent left: a part holds 70 characters.
    assert all(len(p) <= 70 for p in split_sms("🙏 " + "kata " * 40, max_parts=6))


def test_a_notice_goes_as_one_short_line_naming_its_report_once(personas, sms, settings) -> None:
    settings.WASPADA_BASE_URL = "https://waspada.example"
    link_account(person=personas.kesbangpol_analyst, channel="sms", address=RINA, by=None)
    report = submit(personas.desa_reporter, alert_level="awas", isu="agama", title="Spanduk penolakan").report
    outbox.process_pending()
    texts = sms.texts_to(RINA)
    assert texts and all(len(t) <= 160 for t in texts)
    notice = " ".join(texts)
    assert set(REFERENCE.findall(notice)) == {report.reference} and "\n" not in notice
    rows = Delivery.objects.filter(channel="sms", person=personas.kesbangpol_analyst)
    assert rows and all(d.status == DeliveryStatus.SENT for d in rows)
    # Each part's id at the gateway is the delivery's key and the part's number.
    assert {m["id"].rsplit("-", 1)[0] for m in sms.sent} == {d.idempotency_key.hex for d in rows}
    assert all(m["priority"] == 100 for m in sms.sent)  # awas: past the phone's send limits
    # Status webhooks: sent, then delivered, onto the delivery.
    sms.flush_statuses()
    assert all(d.platform_status == "delivered" for d in Delivery.objects.filter(pk__in=[r.pk for r in rows]))


def test_below_siaga_an_sms_notice_goes_only_to_the_reporter_by_default(personas, sms) -> None:
    link_account(person=personas.kesbangpol_analyst, channel="sms", address=RINA, by=None)
    link_account(person=personas.desa_reporter, channel="sms", address=SITI, by=None)
    submit(personas.desa_reporter, alert_level="waspada", title="Spanduk penolakan")
    outbox.process_pending()
    assert sms.texts_to(RINA) == [] and sms.texts_to(SITI)


def test_a_failed_status_fails_the_delivery_with_the_gateways_reason(personas, sms) -> None:
    link_account(person=personas.kesbangpol_analyst, channel="sms", address=RINA, by=None)
    submit(personas.desa_reporter, alert_level="awas", title="Spanduk penolakan")
    outbox.process_pending()
    delivery = Delivery.objects.filter(channel="sms").first()
    failed = sms.event(
        "sms:failed", {"messageId": f"{delivery.idempotency_key.hex}-1", "reason": "RESULT_ERROR_NO_SERVICE"}
    )
    assert sms.redeliver(failed) == 200
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "RESULT_ERROR_NO_SERVICE" in delivery.last_error


def test_the_generic_aggregator_sends_form_posts_and_takes_incoming_sms(personas, aggregator) -> None:
    link_account(person=personas.desa_reporter, channel="sms", address=SITI, by=None)
    code, message_id = aggregator.user_texts(
        SITI, "LAPOR agama Lombok Spanduk penolakan pembangunan rumah ibadah"
    )
    assert code == 200
    report = Report.objects.get()
    assert report.reference in aggregator.texts_to(SITI)[0]
    # The aggregator retries with the same id: stored once.
    assert (
        aggregator.user_texts(
            SITI, "LAPOR agama Lombok Spanduk penolakan pembangunan rumah ibadah", message_id=message_id
        )[0]
        == 200
    )
    assert Report.objects.count() == 1 and len(aggregator.texts_to(SITI)) == 1
    # Without the inbound token: refused, nothing stored.
    aggregator.inbound_token = "salah"
    assert aggregator.user_texts(SITI, "LAPOR agama Lombok lagi")[0] == 403
    assert Report.objects.count() == 1 and InboundMessage.objects.count() == 1


def test_notice_text_joins_the_lines_and_adds_the_link() -> None:
    message = Message(subject="s", text="[AWAS] Laporan baru\nLokasi: Desa Lombok", url="https://w.example/x")
    assert notice_text(message) == "[AWAS] Laporan baru - Lokasi: Desa Lombok https://w.example/x"
    assert sms_webhook.isu_of("Lahan,") == "agraria_korporasi" and sms_webhook.isu_of("AGAMA") == "agama"
    assert sms_webhook.isu_of("kemarin") is None


def test_replies_follow_the_readers_language_and_stay_one_sms(personas, sms) -> None:
    siti = personas.desa_reporter
    siti.language = "en"
    siti.save(update_fields=["language"])
    link_account(person=siti, channel="sms", address=SITI, by=None)
    sms.user_texts("+" + SITI, "LAPOR agama Lombok Spanduk penolakan pembangunan rumah ibadah dipasang")
    report = Report.objects.get()
    (reply,) = sms.texts_to(SITI)
    assert reply.startswith(f"Report received: {report.reference}. Reply STATUS") and len(reply) <= 160
    sms.user_texts("+" + SITI, "BANTUAN")
    assert "LAPOR <isu> <village> <story>" in " ".join(sms.texts_to(SITI)[1:])


def test_the_aggregator_may_take_json_with_its_own_field_names(personas, aggregator, settings) -> None:
    settings.WASPADA_SMS_HTTP_FORMAT = "json"
    link_account(person=personas.kesbangpol_analyst, channel="sms", address=RINA, by=None)
    report = submit(personas.desa_reporter, alert_level="awas", title="Spanduk penolakan").report
    outbox.process_pending()
    body = next(b for b in aggregator.received if b.startswith(b"/send"))
    sent = json.loads(body.split(b"\n", 1)[1])
    assert sent["to"] == RINA and report.reference in sent["text"] and len(sent["reference"]) == 34
    rows = Delivery.objects.filter(channel="sms", person=personas.kesbangpol_analyst)
    assert rows and all(d.status == DeliveryStatus.SENT and d.provider_ref.startswith("agg-") for d in rows)
    # Incoming, JSON with renamed fields (text keeps its name: the stand-in sends with it too).
    settings.WASPADA_SMS_HTTP_FIELDS = json.dumps({"from": "msisdn", "id": "message_id"})
    link_account(person=personas.desa_reporter, channel="sms", address=SITI, by=None)
    from django.test import Client

    answer = Client().post(
        "/obrolan/sms/http/",
        {"msisdn": "+" + SITI, "text": "STATUS " + report.reference, "message_id": "m-1"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {aggregator.inbound_token}"},
    )
    assert answer.status_code == 200 and report.reference in aggregator.texts_to(SITI)[-1]
    missing = Client().post(
        "/obrolan/sms/http/",
        {"msisdn": "+" + SITI, "text": "BANTUAN"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {aggregator.inbound_token}"},
    )
    assert missing.status_code == 400 and "message_id" in missing.content.decode()


def test_a_signed_body_that_is_not_an_event_is_a_400_and_other_events_change_nothing(personas, sms) -> None:
    body = b"not json"
    stamp = str(int(timezone.now().timestamp()))
    headers = {"X-Signature": sign(sms.signing_key, body, stamp), "X-Timestamp": stamp}
    assert sms.post_raw(body, headers) == 400
    assert sms.redeliver(sms.event("system:ping", {"health": {"status": "pass"}})) == 200
    assert sms.redeliver(sms.event("sms:delivered", {"messageId": "bukan-milik-waspada"})) == 200
    assert not InboundMessage.objects.exists() and not Delivery.objects.exists() and sms.sent == []
    from django.test import Client

    assert Client().get("/obrolan/sms/android/").status_code == 405


def test_an_admin_links_a_number_for_sms_from_the_command_line(personas) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("link_chat", "reporter.lombok", "sms", "0812 3450 0001")
    assert ChatAccount.objects.get(channel="sms", person=personas.desa_reporter).address == SITI
    with pytest.raises(CommandError, match="Nomor SMS"):
        call_command("link_chat", "anggota.fkub", "sms", "TELKOMSEL")
