"""Telegram through the Bot API (``WASPADA_TELEGRAM_API_URL``, default https://api.telegram.org)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings

from waspada.notify.channels import DeliveryError, Message


def call(method: str, payload: dict[str, Any], *, timeout: float = 15) -> Any:
    token = settings.WASPADA_TELEGRAM_BOT_TOKEN
    if not token:
        raise DeliveryError("Telegram belum dikonfigurasi (WASPADA_TELEGRAM_BOT_TOKEN)", retryable=False)
    url = f"{settings.WASPADA_TELEGRAM_API_URL.rstrip('/')}/bot{token}/{method}"
    request = urllib.request.Request(  # noqa: S310 - an administrator's setting
        url, data=json.dumps(payload).encode("utf-8"), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            answer = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        retryable = exc.code >= 500 or exc.code == 429
        raise DeliveryError(f"Telegram HTTP {exc.code}", retryable=retryable) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"Telegram tidak terjangkau: {exc}", retryable=True) from exc
    if not answer.get("ok"):
        raise DeliveryError(f"Telegram: {answer.get('description', '')}", retryable=False)
    return answer["result"]


class TelegramChannel:
    name = "telegram"
    # The Bot API has no idempotency key: a send whose result was not recorded is not repeated.
    dedupes = False

    def send(self, address: str, message: Message, *, idempotency_key: str) -> str:
        text = message.text + (f"\n{message.url}" if message.url else "")
        result = call("sendMessage", {"chat_id": address, "text": text})
        return str(result["message_id"])
