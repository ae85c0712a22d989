"""SMS, through a gateway (``WASPADA_SMS_PROVIDER``; docs/notifications.md, SMS).

* ``android``: SMS Gateway for Android (github.com/capcom6/android-sms-gateway), a phone with a
  SIM whose app serves an HTTP API: ``POST {WASPADA_SMS_GATEWAY_URL}/message`` with basic auth,
  ``{"id", "textMessage": {"text"}, "phoneNumbers": ["+62…"]}``, answered 202 with the message's
  state. The app enqueues a message id it already has no second time, so the id (the delivery's
  key and the part's number) makes a repeated send harmless: this adapter deduplicates.
* ``http``: a generic aggregator: a form or JSON POST of ``to``, ``text`` and ``reference`` (names
  configurable) with ``Idempotency-Key``; whether the aggregator drops a repeated reference is the
  administrator's to say (``WASPADA_SMS_HTTP_DEDUPES``), and if it does not, an unrecorded send
  is never repeated (the outbox marks it "uncertain", as for Telegram).

Texts are short and safe to split: one line, the notice's single reference first, characters
outside the GSM 7-bit alphabet replaced where they have a plain equivalent (``…`` → ``...``), so
a part holds 160 characters (70 if something without an equivalent is left). A longer text goes
as standalone SMS of at most ``WASPADA_SMS_MAX_PARTS`` parts, each marked ``(1/2)``, cut only
between words (a reference or a link is never broken), the last ending in ``...`` when cut short.
Standalone parts rather than one concatenated SMS: every phone and every aggregator shows them.
"""

from __future__ import annotations

import base64
import json
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from waspada.notify.channels import DeliveryError, Message

# The GSM 03.38 default alphabet, and its extension table (two septets each).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€")
PLAIN = {
    "…": "...",
    "·": "-",
    "—": "-",
    "\u2013": "-",
    "“": '"',
    "”": '"',
    "„": '"',
    "\u2018": "'",
    "\u2019": "'",
    "→": "->",
    "≥": ">=",
    "≤": "<=",
    "\u00d7": "x",
    "\u00a0": " ",
}
SINGLE = {True: 160, False: 70}  # one SMS: GSM 7-bit, UCS-2
MARK = "({i}/{n}) "


def plain(text: str) -> str:
    """The text on one line, in the GSM alphabet wherever a character has a plain equivalent."""
    out = []
    for char in " ".join(text.split()):
        if char in GSM_BASIC or char in GSM_EXTENDED:
            out.append(char)
        elif char in PLAIN:
            out.append(PLAIN[char])
        else:
            bare = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            out.append(bare if bare and all(c in GSM_BASIC for c in bare) else char)
    return "".join(out)


def is_gsm(text: str) -> bool:
    return all(c in GSM_BASIC or c in GSM_EXTENDED for c in text)


def length(text: str, gsm: bool) -> int:
    """Septets (GSM) or UTF-16 code units (UCS-2) the text takes."""
    if gsm:
        return sum(2 if c in GSM_EXTENDED else 1 for c in text)
    return len(text.encode("utf-16-le")) // 2


def split_sms(text: str, *, max_parts: int) -> list[str]:
    """The text as standalone SMS (module doc): whole if it fits one, else parts cut between words."""
    text = plain(text)
    gsm = is_gsm(text)
    limit = SINGLE[gsm]
    if length(text, gsm) <= limit:
        return [text] if text else []
    room = limit - len(MARK.format(i=9, n=9))
    words: list[str] = []
    for word in text.split(" "):
        while length(word, gsm) > room:  # only a token longer than a whole SMS is ever cut
            cut = room
            while length(word[:cut], gsm) > room:
                cut -= 1
            words.append(word[:cut])
            word = word[cut:]
        words.append(word)
    parts: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if length(candidate, gsm) <= room:
            current = candidate
            continue
        parts.append(current)
        current = word
    if current:
        parts.append(current)
    if len(parts) > max_parts:
        parts = parts[:max_parts]
        last = parts[-1].split(" ")
        while last and length(" ".join(last) + " ...", gsm) > room:
            last.pop()
        parts[-1] = " ".join([*last, "..."])
    total = len(parts)
    return [MARK.format(i=i, n=total) + part for i, part in enumerate(parts, start=1)]


def notice_text(message: Message) -> str:
    """A notice as one SMS line: its lines (level and title with the one reference, place, body)
    joined, then the link."""
    lines = [line.strip() for line in message.text.splitlines() if line.strip()]
    text = " - ".join(lines)
    return f"{text} {message.url}" if message.url else text


def part_ids(key: str, count: int) -> list[str]:
    """The gateway's message id of each part: the delivery's key (hex) and the part's number."""
    base = uuid.UUID(key).hex if _is_uuid(key) else key[:32]
    return [f"{base}-{i}" for i in range(1, count + 1)]


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# -- gateways --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sent:
    id: str
    state: str = ""


def _post(
    url: str, data: bytes, headers: dict[str, str], *, what: str, timeout: float = 15
) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=data, method="POST", headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - an administrator's setting
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        try:
            detail = exc.read()[:300].decode("utf-8", "replace")
        except OSError:
            detail = ""
        retryable = exc.code >= 500 or exc.code in (408, 429)
        raise DeliveryError(f"{what} HTTP {exc.code}: {detail}".strip(), retryable=retryable) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryError(f"{what} tidak terjangkau: {exc}", retryable=True) from exc


class AndroidGateway:
    """SMS Gateway for Android's REST API (local server or cloud)."""

    dedupes = True

    def send(self, number: str, text: str, message_id: str, *, urgent: bool = False) -> Sent:
        url = settings.WASPADA_SMS_GATEWAY_URL
        if not url or not settings.WASPADA_SMS_GATEWAY_PASSWORD:
            raise DeliveryError(
                "SMS belum dikonfigurasi (WASPADA_SMS_GATEWAY_URL, WASPADA_SMS_GATEWAY_PASSWORD)",
                retryable=False,
            )
        payload: dict[str, Any] = {
            "id": message_id,
            "textMessage": {"text": text},
            "phoneNumbers": [f"+{number}"],
            "withDeliveryReport": True,
        }
        if urgent:
            payload["priority"] = 100  # past the app's own send limits and delays
        credentials = f"{settings.WASPADA_SMS_GATEWAY_USERNAME}:{settings.WASPADA_SMS_GATEWAY_PASSWORD}"
        headers = {
            "Authorization": "Basic " + base64.b64encode(credentials.encode("utf-8")).decode("ascii"),
            "Content-Type": "application/json",
        }
        _code, raw = _post(
            url.rstrip("/") + "/message", json.dumps(payload).encode("utf-8"), headers, what="Gerbang SMS"
        )
        try:
            answer = json.loads(raw)
            state = str(answer.get("state") or "")
            recipients = answer.get("recipients") or []
        except (ValueError, AttributeError) as exc:
            raise DeliveryError(f"Gerbang SMS: jawaban tak dikenal {raw[:200]!r}", retryable=True) from exc
        if state == "Failed" or any(isinstance(r, dict) and r.get("state") == "Failed" for r in recipients):
            errors = "; ".join(str(r.get("error") or "") for r in recipients if isinstance(r, dict))
            raise DeliveryError(f"Gerbang SMS menolak pesan: {errors}".strip(), retryable=False)
        return Sent(id=str(answer.get("id") or message_id), state=state)


def http_fields() -> dict[str, str]:
    """The aggregator's field names (WASPADA_SMS_HTTP_FIELDS over the defaults)."""
    fields = {"to": "to", "text": "text", "reference": "reference", "from": "from", "id": "id"}
    try:
        given = json.loads(settings.WASPADA_SMS_HTTP_FIELDS or "{}")
    except ValueError:
        given = {}
    if isinstance(given, dict):
        fields.update({str(k): str(v) for k, v in given.items() if k in fields and v})
    return fields


class HttpAggregator:
    """A generic HTTP aggregator: one POST per SMS (docs/notifications.md, SMS)."""

    @property
    def dedupes(self) -> bool:
        return bool(settings.WASPADA_SMS_HTTP_DEDUPES)

    def send(self, number: str, text: str, message_id: str, *, urgent: bool = False) -> Sent:
        url = settings.WASPADA_SMS_HTTP_SEND_URL
        if not url:
            raise DeliveryError("SMS belum dikonfigurasi (WASPADA_SMS_HTTP_SEND_URL)", retryable=False)
        names = http_fields()
        values = {names["to"]: number, names["text"]: text, names["reference"]: message_id}
        headers = {"Idempotency-Key": message_id}
        if settings.WASPADA_SMS_HTTP_TOKEN:
            headers["Authorization"] = f"Bearer {settings.WASPADA_SMS_HTTP_TOKEN}"
        if settings.WASPADA_SMS_HTTP_FORMAT == "json":
            data = json.dumps(values).encode("utf-8")
            headers["Content-Type"] = "application/json"
        else:
            data = urllib.parse.urlencode(values).encode("utf-8")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        _code, raw = _post(url, data, headers, what="Agregator SMS")
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = None
        provider_id = answer.get(names["id"]) if isinstance(answer, dict) else None
        return Sent(id=str(provider_id or message_id))


def gateway() -> AndroidGateway | HttpAggregator:
    if settings.WASPADA_SMS_PROVIDER == "http":
        return HttpAggregator()
    if settings.WASPADA_SMS_PROVIDER == "android":
        return AndroidGateway()
    raise DeliveryError("SMS belum dikonfigurasi (WASPADA_SMS_PROVIDER)", retryable=False)


def send_texts(number: str, texts: list[str], key: str, *, urgent: bool = False) -> list[str]:
    """Send each part with its own id; returns the gateway's ids."""
    via = gateway()
    return [
        via.send(number, text, message_id, urgent=urgent).id
        for text, message_id in zip(texts, part_ids(key, len(texts)), strict=True)
    ]


class SmsChannel:
    name = "sms"

    @property
    def dedupes(self) -> bool:
        # The Android gateway drops an id it has; an aggregator only if the administrator says so.
        return settings.WASPADA_SMS_PROVIDER != "http" or bool(settings.WASPADA_SMS_HTTP_DEDUPES)

    def send(self, address: str, message: Message, *, idempotency_key: str) -> str:
        texts = split_sms(notice_text(message), max_parts=settings.WASPADA_SMS_MAX_PARTS)
        if not texts:
            raise DeliveryError("SMS kosong", retryable=False)
        ids = send_texts(address, texts, idempotency_key, urgent=message.level == "awas")
        return ",".join(ids)[:255]
