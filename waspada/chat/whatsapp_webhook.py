"""The WhatsApp webhook (``/obrolan/whatsapp/webhook/``): the Cloud API's calls into Waspada.

* ``GET``: the subscription handshake. ``hub.mode=subscribe`` with ``hub.verify_token`` equal to
  ``WASPADA_WHATSAPP_VERIFY_TOKEN`` is answered with ``hub.challenge``; anything else with 403.
* ``POST``: refused (403, nothing read or stored) unless ``X-Hub-Signature-256`` is the HMAC-SHA256
  of the raw body with ``WASPADA_WHATSAPP_APP_SECRET``, compared in constant time. Then:

  - a delivery status (sent, delivered, read, failed) updates its delivery row, found by the key
    the send carried in ``biz_opaque_callback_data`` (channels/whatsapp.py); a ``failed`` with
    131047 (outside the 24-hour window) closes the window and queues the notice again, to go as
    the template;
  - a message from a number not linked to a person is answered with how to get linked, at most
    once per ``WASPADA_UNLINKED_REPLY_HOURS`` (24 by default), and nothing of it is stored
    (``tautkan KODE`` excepted: it is how a number gets linked);
  - a message from a linked number is remembered by its id (a replay, or the platform's re-delivery,
    is not acted on twice), opens the 24-hour window, and goes to the same commands as Matrix and
    Telegram (``chat/commands.py``; the ``!`` is optional here), replied to in the person's
    language. A photo or a voice note (downloaded through the media API, checked like any upload)
    and a location pin sent with or within 30 minutes after a report filed by WhatsApp are added to
    that report: the pin fills its point. A voice note (Ogg/Opus) is stored as an audio attachment
    once the upload checks have read its container (lib/uploads.py), and plays on the report page.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from waspada.chat import commands
from waspada.notify.actions import may_answer_unlinked
from waspada.notify.channels import DeliveryError
from waspada.notify.channels.whatsapp import graph
from waspada.notify.models import ChannelName, ChatAccount, Delivery, DeliveryStatus, InboundMessage
from waspada.notify.texts import language_for

if TYPE_CHECKING:
    from waspada.people.models import Person
    from waspada.reports.models import Report

logger = logging.getLogger(__name__)

ATTACH_WINDOW = timedelta(minutes=30)
CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{1,200}$")
STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3}
MAX_MEDIA_BYTES = 10 * 1024 * 1024


def signature_ok(body: bytes, header: str) -> bool:
    secret = settings.WASPADA_WHATSAPP_APP_SECRET
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256=") :].strip().lower())


@csrf_exempt
@require_http_methods(["GET", "POST"])
def webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _handshake(request)
    body = request.body
    if not signature_ok(body, request.headers.get("X-Hub-Signature-256", "")):
        logger.warning("whatsapp webhook refused: bad or missing signature")
        return HttpResponse(
            _("Tanda tangan tidak sah."), status=403, content_type="text/plain; charset=utf-8"
        )
    try:
        payload = json.loads(body)
        changes = [c for entry in payload.get("entry") or [] for c in entry.get("changes") or []]
    except (ValueError, AttributeError, TypeError):
        return HttpResponse(
            _("Isi tidak dapat dibaca."), status=400, content_type="text/plain; charset=utf-8"
        )
    replies: list[tuple[str, str]] = []
    for change in changes:
        value = change.get("value") if isinstance(change, dict) else None
        if not isinstance(value, dict):
            continue
        field = change.get("field")
        if field in ("group_lifecycle_update", "group_participants_update"):
            for entry in value.get("groups") or []:
                if isinstance(entry, dict):
                    group_change(str(field), entry)
            continue
        for status in value.get("statuses") or []:
            if isinstance(status, dict):
                apply_status(status)
        for message in value.get("messages") or []:
            if isinstance(message, dict) and isinstance(message.get("from"), str):
                reply = handle_message(message)
                if reply:
                    replies.append((message["from"], reply))
    for to, text in replies:
        send_text(to, text)
    return HttpResponse("EVENT_RECEIVED", content_type="text/plain")


def group_change(field: str, entry: dict[str, Any]) -> None:
    """A group webhook: a group created (its id and invite link), or participants who joined (each
    checked against forum membership) or left."""
    from waspada.notify import whatsapp_groups

    if field == "group_lifecycle_update" and entry.get("type") == "group_create":
        try:
            whatsapp_groups.group_created(entry)
        except DeliveryError:
            logger.exception("could not invite the members of a new whatsapp group")
    elif field == "group_participants_update":
        whatsapp_groups.participants_changed(entry)


def _handshake(request: HttpRequest) -> HttpResponse:
    token = settings.WASPADA_WHATSAPP_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    if (
        request.GET.get("hub.mode") == "subscribe"
        and token
        and hmac.compare_digest(token.encode("utf-8"), given.encode("utf-8"))
        and CHALLENGE.match(challenge)
    ):
        response = HttpResponse(challenge, content_type="text/plain")
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return HttpResponse(_("Verifikasi ditolak."), status=403, content_type="text/plain; charset=utf-8")


# -- statuses ------------------------------------------------------------------------------------
def apply_status(entry: dict[str, Any]) -> None:
    """A status webhook onto its delivery row (found by the delivery's key, else the message id)."""
    status = str(entry.get("status") or "")
    wamid = str(entry.get("id") or "")[:255]
    if status not in STATUS_RANK and status != "failed":
        return
    found = Q(provider_ref=wamid) if wamid else Q(pk__in=[])
    try:
        found |= Q(idempotency_key=uuid.UUID(str(entry.get("biz_opaque_callback_data") or "")))
    except ValueError:
        pass
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .filter(found, channel=ChannelName.WHATSAPP)
            .select_related("person", "room")
            .first()
        )
        if delivery is None:
            return  # a reply to a command, or a message of before: no delivery row to update
        recipient = str(entry.get("recipient_id") or "")
        if delivery.room is not None:
            account = None
            if delivery.room.address != recipient:
                logger.warning("whatsapp status for delivery %s names another group", delivery.pk)
                return
        else:
            account = ChatAccount.objects.filter(person=delivery.person, channel=ChannelName.WHATSAPP).first()
            if account is None or account.address != recipient:
                logger.warning("whatsapp status for delivery %s names another recipient", delivery.pk)
                return
        if status == "failed":
            _failed_status(delivery, account, entry)
            return
        fields: dict[str, Any] = {}
        if STATUS_RANK[status] > STATUS_RANK.get(delivery.platform_status, 0):
            fields["platform_status"] = status
        if delivery.status in (DeliveryStatus.SENDING, DeliveryStatus.UNCERTAIN) or not delivery.provider_ref:
            fields.update(status=DeliveryStatus.SENT, provider_ref=wamid, last_error="")
            if delivery.sent_at is None:
                fields["sent_at"] = timezone.now()
        if fields:
            Delivery.objects.filter(pk=delivery.pk).update(**fields)


def _failed_status(delivery: Delivery, account: ChatAccount | None, entry: dict[str, Any]) -> None:
    errors = entry.get("errors") or [{}]
    error = errors[0] if isinstance(errors[0], dict) else {}
    code = error.get("code")
    details = (error.get("error_data") or {}).get("details") or error.get("message") or ""
    text = f"WhatsApp galat {code}: {error.get('title', '')}. {details}".strip()[:2000]
    if code == 131047 and account is not None:
        # Outside the 24-hour window after all: close it, and send again, as the template.
        ChatAccount.objects.filter(pk=account.pk).update(last_inbound_at=None)
        if delivery.attempts < settings.WASPADA_NOTIFY_MAX_ATTEMPTS:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.PENDING,
                platform_status="failed",
                provider_ref="",
                next_attempt_at=timezone.now(),
                lease_until=None,
                last_error=_("Di luar jendela 24 jam; dikirim ulang sebagai templat.") + " " + text,
            )
            return
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, platform_status="failed", last_error=text
    )


# -- messages ------------------------------------------------------------------------------------
command_text = commands.bare_command


def handle_message(message: dict[str, Any]) -> str | None:
    """Act on one incoming message; returns the reply to send (None: nothing to say)."""
    wa_id = message["from"][:32]
    message_id = str(message.get("id") or "")[:255]
    kind = str(message.get("type") or "")
    found = message.get(kind)
    content: dict[str, Any] = found if isinstance(found, dict) else {}
    text = str(content.get("body") or content.get("caption") or "") if kind in ("text", "image") else ""
    command = command_text(text) if text else None
    account = (
        ChatAccount.objects.filter(channel=ChannelName.WHATSAPP, address=wa_id)
        .select_related("person")
        .first()
    )
    if account is None or not account.person.is_active:
        if command and command.startswith("!tautkan") and message_id:
            reply = commands.handle(_incoming(wa_id, message_id, command))
            if reply and ChatAccount.objects.filter(channel=ChannelName.WHATSAPP, address=wa_id).exists():
                ChatAccount.objects.filter(channel=ChannelName.WHATSAPP, address=wa_id).update(
                    last_inbound_at=timezone.now()
                )
            return reply
        if not may_answer_unlinked(channel=ChannelName.WHATSAPP, number=wa_id):
            return None  # told already within WASPADA_UNLINKED_REPLY_HOURS
        return _(
            "Nomor WhatsApp ini belum ditautkan ke Waspada, jadi pesan tidak diproses dan tidak "
            "disimpan. Minta admin Kesbangpol menautkan nomor ini, atau buat kode di halaman "
            "Notifikasi Waspada lalu kirim: tautkan KODE"
        )
    if not message_id:
        return None
    person = account.person
    try:
        with transaction.atomic():
            InboundMessage.objects.create(channel=ChannelName.WHATSAPP, message_id=message_id)
            ChatAccount.objects.filter(pk=account.pk).update(last_inbound_at=timezone.now())
            with override(language_for(person)):
                return _act(person, wa_id, message_id, kind, content, command)
    except IntegrityError:
        logger.info("whatsapp message %s seen before: not acted on again", message_id)
        return None


def _incoming(wa_id: str, message_id: str, text: str) -> commands.Incoming:
    return commands.Incoming(
        channel=ChannelName.WHATSAPP,
        message_id=message_id,
        sender=wa_id,
        room=wa_id,
        text=text,
        is_direct=True,
    )


def _act(
    person: Person, wa_id: str, message_id: str, kind: str, content: dict[str, Any], command: str | None
) -> str | None:
    if command is not None:
        reply = commands.handle(_incoming(wa_id, message_id, command))
        if kind == "image" and command.startswith("!lapor"):
            # The photo whose caption filed the report goes with it.
            report = recent_whatsapp_report(person, key=f"{ChannelName.WHATSAPP}:{message_id}")
            if report is not None:
                reply = f"{reply}\n{_add_media(person, report, content, kind)}"
        return reply
    if kind in ("image", "audio"):
        report = recent_whatsapp_report(person)
        if report is None:
            return _no_report_yet()
        return _add_media(person, report, content, kind)
    if kind == "location":
        report = recent_whatsapp_report(person)
        if report is None:
            return _no_report_yet()
        return _add_point(person, report, content)
    if kind in ("reaction", "system", "unsupported"):
        return None  # an emoji on one of our messages, a number change: nothing to answer
    if kind == "text":
        return _("Perintah tidak dikenal. Kirim: bantuan")
    return _("Jenis pesan ini belum dapat diproses Waspada. Kirim: bantuan")


def _no_report_yet() -> str:
    return _(
        "Foto, pesan suara, dan lokasi ditambahkan ke laporan yang Anda kirim lewat WhatsApp dalam "
        "30 menit terakhir. Kirim laporan dulu: lapor <cerita>, lalu kirim foto atau lokasinya."
    )


def recent_whatsapp_report(person: Person, *, key: str = "") -> Report | None:
    """The report this person filed by WhatsApp most recently (or by the message ``key``), if
    within the last 30 minutes."""
    from waspada.reports.models import IdempotencyRecord

    keys = (
        IdempotencyRecord.objects.filter(key=key)
        if key
        else IdempotencyRecord.objects.filter(key__startswith=f"{ChannelName.WHATSAPP}:")
    )
    record = (
        keys.filter(
            person_id=person.pk,
            report__isnull=False,
            created_at__gte=timezone.now() - ATTACH_WINDOW,
        )
        .select_related("report")
        .order_by("-created_at", "-pk")
        .first()
    )
    return record.report if record is not None else None


def _add_media(person: Person, report: Report, content: dict[str, Any], kind: str) -> str:
    from waspada.reports.actions import attach_file

    try:
        data = download_media(str(content.get("id") or ""))
        with transaction.atomic():
            attach_file(report=report, uploader=person, data=data, original_name=f"whatsapp-{kind}")
    except DeliveryError as exc:
        logger.warning("whatsapp media could not be fetched: %s", exc)
        return _("Berkas tidak dapat diambil dari WhatsApp; kirim ulang nanti.")
    except ValidationError as exc:
        return _("Berkas tidak dilampirkan ke %(ref)s: %(why)s") % {
            "ref": report.reference,
            "why": " ".join(exc.messages),
        }
    if kind == "audio":
        return _("Pesan suara dilampirkan ke laporan %(ref)s.") % {"ref": report.reference}
    return _("Foto dilampirkan ke laporan %(ref)s.") % {"ref": report.reference}


def _add_point(person: Person, report: Report, content: dict[str, Any]) -> str:
    from waspada.reports.actions import set_report_point

    try:
        latitude, longitude = float(content["latitude"]), float(content["longitude"])
        with transaction.atomic():
            set_report_point(report=report, by=person, latitude=latitude, longitude=longitude)
    except (KeyError, TypeError, ValueError):
        return _("Lokasi tidak dapat dibaca.")
    except ValidationError as exc:
        return _("Lokasi tidak ditambahkan ke %(ref)s: %(why)s") % {
            "ref": report.reference,
            "why": " ".join(exc.messages),
        }
    except PermissionError as exc:
        return _("Ditolak: %(reason)s") % {"reason": exc}
    return _("Titik lokasi %(lat).5f, %(lon).5f ditambahkan ke laporan %(ref)s.") % {
        "lat": latitude,
        "lon": longitude,
        "ref": report.reference,
    }


def download_media(media_id: str) -> bytes:
    """A media's bytes: its URL from ``GET /{media-id}``, then the URL with the same bearer token."""
    if not media_id.isdigit():
        raise DeliveryError("media id tidak sah", retryable=False)
    meta = graph("GET", media_id)
    if int(meta.get("file_size") or 0) > MAX_MEDIA_BYTES:
        raise DeliveryError("berkas terlalu besar", retryable=False)
    request = urllib.request.Request(  # noqa: S310 - the platform's own media URL
        str(meta["url"]), headers={"Authorization": f"Bearer {settings.WASPADA_WHATSAPP_ACCESS_TOKEN}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            data: bytes = response.read(MAX_MEDIA_BYTES + 1)
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"media tidak terjangkau: {exc}", retryable=True) from exc
    if meta.get("sha256") and hashlib.sha256(data).hexdigest() != meta["sha256"]:
        raise DeliveryError("media rusak (sha256 berbeda)", retryable=True)
    return data


def send_text(to: str, text: str) -> None:
    """A reply inside the window the member's message just opened; a failure is logged, not raised."""
    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"preview_url": False, "body": text[:4096]},
    }
    try:
        graph("POST", f"{settings.WASPADA_WHATSAPP_PHONE_NUMBER_ID}/messages", payload=payload)
    except DeliveryError:
        logger.exception("could not reply on WhatsApp")
