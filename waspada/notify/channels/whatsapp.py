"""WhatsApp through the Business Platform's Cloud API (``WASPADA_WHATSAPP_API_URL``, default
https://graph.facebook.com; docs/notifications.md).

Inside a number's 24-hour customer service window (it wrote to us less than 24 hours ago,
``ChatAccount.last_inbound_at``) a notice goes as a free-form text; outside it, as the approved
template of ``WASPADA_WHATSAPP_TEMPLATES`` in the reader's language, the notice in one line as
``{{1}}`` and the link as ``{{2}}``. A template that is not configured for the language, or that
the platform does not know (error 132001), fails the delivery with a message naming the template
and the language: it shows on the admins' failed-deliveries page, never a silent drop.

Exactly once: the Cloud API takes no idempotency key, so each send carries the delivery's key in
``biz_opaque_callback_data``, which the platform echoes in its status webhooks
(``chat/whatsapp_webhook.py``): the first ``sent`` status records the message id on the delivery.
A worker that dies after sending leaves the row "sending"; before its lease runs out (two
minutes; the platform reports within seconds) the webhook has recorded the send, so the row is
not sent again; and a send that finds its message id already recorded returns it unsent.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from waspada.notify.channels import DeliveryError, Message

# The window is 24 hours; a notice is sent as text only with a margin left for the trip.
WINDOW = timedelta(hours=24) - timedelta(minutes=5)


def graph(method: str, path: str, *, payload: dict[str, Any] | None = None, timeout: float = 15) -> Any:
    """One Graph API call; a Graph error object becomes a DeliveryError naming its code."""
    token = settings.WASPADA_WHATSAPP_ACCESS_TOKEN
    if not token or not settings.WASPADA_WHATSAPP_PHONE_NUMBER_ID:
        raise DeliveryError(
            "WhatsApp belum dikonfigurasi (WASPADA_WHATSAPP_ACCESS_TOKEN, WASPADA_WHATSAPP_PHONE_NUMBER_ID)",
            retryable=False,
        )
    url = f"{settings.WASPADA_WHATSAPP_API_URL.rstrip('/')}/{settings.WASPADA_WHATSAPP_API_VERSION}/{path}"
    request = urllib.request.Request(  # noqa: S310 - an administrator's setting
        url,
        data=json.dumps(payload).encode("utf-8") if payload is not None else None,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        code, detail = graph_error_of(exc)
        retryable = exc.code >= 500 or exc.code == 429 or code in (130429, 131000, 131016)
        raise WhatsAppError(
            f"WhatsApp HTTP {exc.code}, galat {code}: {detail}", code=code, retryable=retryable
        ) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryError(f"WhatsApp tidak terjangkau: {exc}", retryable=True) from exc


class WhatsAppError(DeliveryError):
    def __init__(self, message: str, *, code: int | None, retryable: bool) -> None:
        super().__init__(message, retryable=retryable)
        self.code = code


def graph_error_of(exc: urllib.error.HTTPError) -> tuple[int | None, str]:
    try:
        error = json.loads(exc.read()).get("error") or {}
    except (ValueError, AttributeError, OSError):
        return None, ""
    details = (error.get("error_data") or {}).get("details") or ""
    return error.get("code"), f"{error.get('message', '')} {details}".strip()[:500]


def template_config() -> tuple[str, dict[str, str]]:
    """The template's name and its bodies per language, from WASPADA_WHATSAPP_TEMPLATES."""
    try:
        config = json.loads(settings.WASPADA_WHATSAPP_TEMPLATES or "{}")
        name, bodies = str(config.get("name") or ""), dict(config.get("bodies") or {})
    except (ValueError, AttributeError, TypeError):
        name, bodies = "", {}
    return name, {str(k): str(v) for k, v in bodies.items()}


def one_line(text: str) -> str:
    """A template parameter may hold no newline, no tab and no four spaces in a row (error 132018)."""
    return " · ".join(part.strip() for part in text.splitlines() if part.strip()).replace("\t", " ")[:900]


class WhatsAppChannel:
    name = "whatsapp"
    # Repeats are safe: the status webhook records a send (by its biz_opaque_callback_data) before
    # the lease expires, and a send whose message id is recorded is not sent again (module doc).
    dedupes = True

    def send(self, address: str, message: Message, *, idempotency_key: str) -> str:
        from waspada.notify.models import ChannelName, ChatAccount, Delivery, Room
        from waspada.notify.texts import language_for

        recorded = (
            Delivery.objects.filter(idempotency_key=uuid.UUID(idempotency_key))
            .exclude(provider_ref="")
            .values_list("provider_ref", flat=True)
            .first()
        )
        if recorded:
            return recorded
        if Room.objects.filter(channel=ChannelName.WHATSAPP, address=address).exists():
            return send_to_group(address, message, idempotency_key=idempotency_key)
        account = (
            ChatAccount.objects.filter(channel=ChannelName.WHATSAPP, address=address)
            .select_related("person")
            .first()
        )
        text = message.text + (f"\n{message.url}" if message.url else "")
        payload: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": address,
            "biz_opaque_callback_data": idempotency_key,
        }
        open_window = (
            account is not None
            and account.last_inbound_at is not None
            and timezone.now() - account.last_inbound_at < WINDOW
        )
        if open_window:
            payload.update({"type": "text", "text": {"preview_url": False, "body": text[:4096]}})
        else:
            language = language_for(account.person if account else None)
            payload.update({"type": "template", "template": template_payload(language, message)})
        try:
            answer = graph("POST", f"{settings.WASPADA_WHATSAPP_PHONE_NUMBER_ID}/messages", payload=payload)
        except WhatsAppError as exc:
            if exc.code == 132001:
                name = payload.get("template", {}).get("name", "")
                lang = payload.get("template", {}).get("language", {}).get("code", "")
                raise DeliveryError(
                    f"Templat WhatsApp '{name}' bahasa '{lang}' tidak ada atau belum disetujui di "
                    f"WhatsApp Manager (galat 132001): {exc}",
                    retryable=False,
                ) from exc
            raise
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError) as exc:
            raise DeliveryError(f"WhatsApp: jawaban tak dikenal {str(answer)[:200]}", retryable=True) from exc


def send_to_group(group_id: str, message: Message, *, idempotency_key: str) -> str:
    """A text into a group (``recipient_type: group``): a group has no 24-hour window; the
    delivery's key rides in ``biz_opaque_callback_data`` as for a person."""
    text = message.text + (f"\n{message.url}" if message.url else "")
    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "group",
        "to": group_id,
        "type": "text",
        "text": {"preview_url": False, "body": text[:4096]},
        "biz_opaque_callback_data": idempotency_key,
    }
    answer = graph("POST", f"{settings.WASPADA_WHATSAPP_PHONE_NUMBER_ID}/messages", payload=payload)
    try:
        return str(answer["messages"][0]["id"])
    except (KeyError, IndexError, TypeError) as exc:
        raise DeliveryError(f"WhatsApp: jawaban tak dikenal {str(answer)[:200]}", retryable=True) from exc


def send_code(number: str, code: str, person: Any) -> str:
    """A one-time code to a number that may never have written to us: the approved authentication
    template of ``WASPADA_WHATSAPP_CODE_TEMPLATE`` (the code as ``{{1}}`` and as the copy-code
    button's parameter), in the person's language."""
    from waspada.notify.texts import language_for

    language = language_for(person)
    try:
        config = json.loads(settings.WASPADA_WHATSAPP_CODE_TEMPLATE or "{}")
        name, languages = str(config.get("name") or ""), list(config.get("languages") or [])
    except (ValueError, AttributeError, TypeError):
        name, languages = "", []
    if not name or language not in languages:
        raise DeliveryError(
            f"templat kode WhatsApp bahasa '{language}' belum dikonfigurasi (WASPADA_WHATSAPP_CODE_TEMPLATE)",
            retryable=False,
        )
    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": number,
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": language},
            "components": [
                {"type": "body", "parameters": [{"type": "text", "text": code}]},
                {
                    "type": "button",
                    "sub_type": "url",
                    "index": "0",
                    "parameters": [{"type": "text", "text": code}],
                },
            ],
        },
    }
    answer = graph("POST", f"{settings.WASPADA_WHATSAPP_PHONE_NUMBER_ID}/messages", payload=payload)
    return str(((answer.get("messages") or [{}])[0]).get("id") or "")


def template_payload(language: str, message: Message) -> dict[str, Any]:
    name, bodies = template_config()
    if not name or language not in bodies:
        raise DeliveryError(
            f"Templat WhatsApp untuk bahasa '{language}' belum dikonfigurasi (WASPADA_WHATSAPP_TEMPLATES); "
            "penerima di luar jendela 24 jam hanya dapat dikirimi templat yang disetujui.",
            retryable=False,
        )
    link = message.url or (settings.WASPADA_BASE_URL or "Waspada")
    return {
        "name": name,
        "language": {"code": language},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": one_line(message.text)},
                    {"type": "text", "text": link},
                ],
            }
        ],
    }
