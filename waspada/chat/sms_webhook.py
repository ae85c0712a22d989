"""SMS into Waspada: the gateways' calls (docs/notifications.md, SMS).

* ``/obrolan/sms/android/`` (SMS Gateway for Android): refused (403, nothing read or stored)
  unless ``X-Signature`` is the hex HMAC-SHA256 of the raw body followed by ``X-Timestamp``, made
  with ``WASPADA_SMS_WEBHOOK_SIGNING_KEY``, and the timestamp is within five minutes of now (the
  app signs each attempt afresh). ``sms:received`` is a message; ``sms:sent``, ``sms:delivered``
  and ``sms:failed`` update the delivery whose part it was.
* ``/obrolan/sms/http/`` (a generic aggregator): refused unless ``Authorization: Bearer`` is
  ``WASPADA_SMS_HTTP_INBOUND_TOKEN``; a form or JSON POST of ``from``, ``text`` and ``id``
  (names configurable, ``WASPADA_SMS_HTTP_FIELDS``).

A message from a sender that is no phone number (an operator's name, a short code) is neither
answered nor stored. A number not linked to a person is answered with how to get linked (at most
once per ``WASPADA_UNLINKED_REPLY_HOURS``) and nothing of its message is stored (``TAUTKAN
KODE`` excepted: it is how a number gets linked). A linked number's
message is stored once under a key the gateway's retries share (Android: the sender, the app's
message id and the time received; the aggregator: its id), so a retried webhook files nothing
twice, and goes to the same commands as the other networks (``LAPOR``, ``STATUS``, ``TERIMA``,
``TINDAKLANJUT``, ``TAUTKAN``, ``BANTUAN``; any case, no ``!``). ``LAPOR`` takes the compact form
``LAPOR <isu or keyword> <desa> <cerita>``; any other ``LAPOR`` text, and plain words without a
command, go through the triage. Replies are short, in the person's language, and carry the
reference.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from waspada.chat import commands
from waspada.notify.actions import may_answer_unlinked, phone_number
from waspada.notify.channels import DeliveryError
from waspada.notify.channels.sms import http_fields, send_texts, split_sms
from waspada.notify.models import ChannelName, ChatAccount, Delivery, DeliveryStatus, InboundMessage
from waspada.notify.texts import language_for
from waspada.regions.places import resolve_place

if TYPE_CHECKING:
    from waspada.people.models import Person

logger = logging.getLogger(__name__)

MAX_AGE_SECONDS = 300
MAX_TEXT = 2000
# LAPOR's first word: an isu's own name, or a word people use for it. Documented in
# docs/notifications.md; anything else makes the whole text plain words for the triage.
ISU_WORDS = {
    "sara": "sara_etnis",
    "etnis": "sara_etnis",
    "suku": "sara_etnis",
    "agama": "agama",
    "ibadah": "agama",
    "lahan": "agraria_korporasi",
    "sawit": "agraria_korporasi",
    "tambang": "agraria_korporasi",
    "sengketa": "agraria_warga",
    "batas": "batas_wilayah",
    "pemilu": "politik_pemilu",
    "pilkada": "politik_pemilu",
    "politik": "politik_pemilu",
    "ormas": "ormas_kelompok",
    "radikal": "radikalisme",
    "teror": "radikalisme",
    "asing": "orang_asing",
    "wna": "orang_asing",
    "narkoba": "narkoba",
    "kriminal": "kriminalitas",
    "buruh": "ekonomi_buruh",
    "jalan": "infrastruktur_logistik",
    "jembatan": "infrastruktur_logistik",
    "bencana": "bencana",
    "banjir": "bencana",
    "longsor": "bencana",
    "limbah": "lingkungan",
    "hoaks": "hoaks",
    "provokasi": "hoaks",
    "kades": "pemerintahan_desa",
    "lainnya": "lainnya",
}
MAX_PLACE_WORDS = 4


# -- the gateways' calls -----------------------------------------------------------------------
def android_signature_ok(body: bytes, signature: str, timestamp: str, *, now: float | None = None) -> bool:
    key = settings.WASPADA_SMS_WEBHOOK_SIGNING_KEY
    if not key or not signature or not timestamp.isdigit():
        return False
    if abs((now if now is not None else time.time()) - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    expected = hmac.new(key.encode("utf-8"), body + timestamp.encode("ascii"), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature.strip().lower())


def _refused(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


@csrf_exempt
@require_POST
def android_webhook(request: HttpRequest) -> HttpResponse:
    body = request.body
    if not android_signature_ok(
        body, request.headers.get("X-Signature", ""), request.headers.get("X-Timestamp", "")
    ):
        logger.warning("sms webhook refused: bad, old or missing signature")
        return _refused(_("Tanda tangan tidak sah."), 403)
    try:
        envelope = json.loads(body)
        event = str(envelope.get("event") or "")
        payload = envelope.get("payload")
        if not isinstance(payload, dict):
            raise ValueError
    except (ValueError, AttributeError, TypeError):
        return _refused(_("Isi tidak dapat dibaca."), 400)
    if event == "sms:received":
        sender = str(payload.get("sender") or payload.get("phoneNumber") or "")
        text = str(payload.get("message") or "")
        # The app's messageId is made from the content (not unique alone); with the sender and
        # the time received it names one SMS, the same in every retry of its webhook.
        seed = f"{sender}|{payload.get('messageId')}|{payload.get('receivedAt')}"
        receive(sender, text, "agw:" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:40])
    elif event in ("sms:sent", "sms:delivered", "sms:failed"):
        apply_status(event.partition(":")[2], payload)
    return JsonResponse({"ok": True})


@csrf_exempt
@require_POST
def http_webhook(request: HttpRequest) -> HttpResponse:
    token = settings.WASPADA_SMS_HTTP_INBOUND_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(token.encode("utf-8"), given.encode("utf-8")):
        logger.warning("sms aggregator call refused: bad or missing token")
        return _refused(_("Token tidak sah."), 403)
    names = http_fields()
    data: dict[str, Any]
    if request.content_type == "application/json":
        try:
            loaded = json.loads(request.body)
        except ValueError:
            return _refused(_("Isi tidak dapat dibaca."), 400)
        data = loaded if isinstance(loaded, dict) else {}
    else:
        data = request.POST.dict()
    sender, text, message_id = (str(data.get(names[k]) or "") for k in ("from", "text", "id"))
    missing = [names[k] for k, v in (("from", sender), ("id", message_id)) if not v]
    if missing:
        return _refused(_("Isian wajib kosong: %(fields)s.") % {"fields": ", ".join(missing)}, 400)
    receive(sender, text, "http:" + message_id[:200])
    return JsonResponse({"ok": True})


# -- messages --------------------------------------------------------------------------------------
def receive(sender: str, text: str, key: str) -> None:
    """Act on one SMS and send the reply, if any (a failed reply is logged, not raised)."""
    number = phone_number(sender)
    if number is None:
        logger.info("sms from %r ignored: not a phone number", sender[:20])
        return
    reply = handle_sms(number, text[:MAX_TEXT], key)
    if reply:
        send_reply(number, reply, key)


def handle_sms(number: str, text: str, key: str) -> str | None:
    """The reply to one SMS from ``number`` (None: nothing to say, e.g. a retry already handled)."""
    command = commands.bare_command(text)
    account = (
        ChatAccount.objects.filter(channel=ChannelName.SMS, address=number).select_related("person").first()
    )
    if account is None or not account.person.is_active:
        if command and command.startswith("!tautkan"):
            return commands.handle(_incoming(number, key, command))
        if not may_answer_unlinked(channel=ChannelName.SMS, number=number):
            return None  # told already within WASPADA_UNLINKED_REPLY_HOURS: no SMS credit spent
        return _(
            "Nomor ini belum tertaut ke Waspada; SMS tidak diproses dan tidak disimpan. Minta admin "
            "Kesbangpol menautkan, atau buat kode di Waspada lalu kirim: TAUTKAN KODE"
        )
    person = account.person
    try:
        with transaction.atomic():
            InboundMessage.objects.create(channel=ChannelName.SMS, message_id=key)
            ChatAccount.objects.filter(pk=account.pk).update(last_inbound_at=timezone.now())
            with override(language_for(person)):
                # Plain words without a command are a report in plain words (the triage reads them).
                reply = commands.handle(_incoming(number, key, command or f"!lapor {text.strip()}"))
    except IntegrityError:
        logger.info("sms %s seen before: not acted on again", key)
        return None
    return reply


def _incoming(number: str, key: str, text: str) -> commands.Incoming:
    return commands.Incoming(
        channel=ChannelName.SMS,
        message_id=key,
        sender=number,
        room=number,
        text=text,
        is_direct=True,
        lapor_values=lapor_values,
        short=True,
    )


def send_reply(number: str, text: str, key: str) -> None:
    # The reply's ids come from the message's key: sent again, the gateway drops it.
    reply_key = hashlib.sha256(f"reply:{key}".encode()).hexdigest()[:32]
    texts = split_sms(text, max_parts=settings.WASPADA_SMS_MAX_PARTS + 1)
    try:
        send_texts(number, texts, reply_key, urgent=True)
    except DeliveryError:
        logger.exception("could not reply by SMS")


# -- LAPOR ---------------------------------------------------------------------------------------
def isu_of(word: str) -> str | None:
    from waspada.lib.taxonomy import Isu

    word = word.strip(".,:;!?").lower().replace("-", "_")
    if word in Isu.values:
        return word
    return ISU_WORDS.get(word)


def lapor_values(rest: str, person: Person) -> tuple[dict[str, str], str]:
    """``LAPOR <isu or keyword> <desa> <cerita>``; anything else through the triage."""
    from waspada.triage.suggest import suggest

    words = rest.split()
    isu = isu_of(words[0]) if words else None
    if isu is None:
        return _from_triage(rest, person)
    place, story = _place_and_story(words[1:])
    if place is None:
        # Not a place we know after the isu: plain words after all, the isu as the person said.
        values, note = _from_triage(" ".join(words[1:]), person, isu=isu)
        return values, note
    if not story:
        raise commands.Refused(_("Ceritanya kosong. %(help)s") % {"help": commands.SMS_HELP})
    found = suggest(story, reporter=person)
    values = {
        "judul": _title(story),
        "apa": story,
        "isu": isu,
        "lokasi": place,
        "tingkat": str(found.level.value),
        "athg": str(found.athg.value),
    }
    counts, counts_sentence = commands.stated_counts(found)
    values.update(counts)
    note = _("Tingkat %(level)s disarankan otomatis; analis memeriksa.") % {"level": values["tingkat"]}
    return values, f"{note} {counts_sentence}".strip()


def _place_and_story(words: list[str]) -> tuple[str | None, str]:
    """The longest run of leading words (at most four; ``Long_Ikis`` for two) that names one
    desa or kecamatan, and the words after it. Several places of that name: the person is asked
    to write its code."""
    ambiguous = None
    for count in range(min(MAX_PLACE_WORDS, len(words) - 1 if len(words) > 1 else 1), 0, -1):
        name = " ".join(words[:count]).replace("_", " ")
        lookup = resolve_place(name)
        if lookup.region is not None:
            return lookup.region.code, " ".join(words[count:])
        if lookup.ambiguous and ambiguous is None:
            ambiguous = lookup
    if ambiguous is not None:
        options = ", ".join(f"{r.name} {r.code}" for r in ambiguous.candidates[:3])
        raise commands.Refused(
            _(
                "Ada beberapa wilayah bernama %(name)s: %(options)s. Tulis kodenya, mis. LAPOR "
                "agama %(code)s <cerita>."
            )
            % {"name": ambiguous.text[:40], "options": options, "code": ambiguous.candidates[0].code}
        )
    return None, ""


def _title(story: str) -> str:
    return story if len(story) <= 80 else story[:79].rstrip() + "…"


def _from_triage(text: str, person: Person, *, isu: str | None = None) -> tuple[dict[str, str], str]:
    from waspada.triage.suggest import suggest

    text = text.strip()
    if not text:
        raise commands.Refused(str(commands.SMS_HELP))
    found = suggest(text, reporter=person)
    if isu is None and not found.is_early_warning:
        raise commands.Refused(
            _("Pesan tidak terbaca sebagai laporan. %(help)s") % {"help": commands.SMS_HELP}
        )
    values = {
        "judul": _title(text),
        "apa": text,
        "isu": isu or str(found.isu.value),
        "tingkat": str(found.level.value),
        "athg": str(found.athg.value),
    }
    if found.region_code:
        values["lokasi"] = str(found.region_code)
    counts, counts_sentence = commands.stated_counts(found)
    values.update(counts)
    note = _("Disarankan otomatis: isu %(isu)s, tingkat %(level)s, lokasi %(place)s; analis memeriksa.") % {
        "isu": values["isu"],
        "level": values["tingkat"],
        "place": values.get("lokasi", "-"),
    }
    return values, f"{note} {counts_sentence}".strip()


# -- statuses ------------------------------------------------------------------------------------
STATUS_RANK = {"sent": 1, "delivered": 2}


def apply_status(status: str, payload: dict[str, Any]) -> None:
    """``sms:sent|delivered|failed`` onto the delivery whose part it was (its id is the delivery's
    key and the part's number, channels/sms.py); a reply to a command has no delivery row."""
    message_id = str(payload.get("messageId") or "")
    base, _dash, _part = message_id.partition("-")
    try:
        key = uuid.UUID(base)
    except ValueError:
        return
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .filter(idempotency_key=key, channel=ChannelName.SMS)
            .first()
        )
        if delivery is None:
            return
        if status == "failed":
            reason = str(payload.get("reason") or "")[:500]
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.FAILED,
                platform_status="failed",
                last_error=_("SMS gagal menurut gerbang: %(reason)s") % {"reason": reason},
            )
            return
        if delivery.platform_status != "failed" and STATUS_RANK[status] > STATUS_RANK.get(
            delivery.platform_status, 0
        ):
            Delivery.objects.filter(pk=delivery.pk).update(platform_status=status)
