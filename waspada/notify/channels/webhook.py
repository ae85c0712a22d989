"""Outgoing webhooks: a JSON POST signed with HMAC-SHA256 of the body.

Headers: ``X-Waspada-Signature: sha256=<hex>``, ``X-Waspada-Timestamp`` (signed with the body as
``<timestamp>.<body>``), and ``Idempotency-Key`` (the delivery's key: the receiver deduplicates).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from waspada.notify.channels import DeliveryError, Message


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


class WebhookChannel:
    name = "webhook"
    dedupes = True  # receivers are asked to deduplicate on Idempotency-Key

    def send(self, address: str, message: Message, *, idempotency_key: str) -> str:
        # address is "<webhook id>"; the URL and secret are looked up here so they never sit in the outbox.
        from waspada.notify.models import Webhook

        hook = Webhook.objects.get(pk=int(address))
        return post_signed(hook.url, hook.secret, message.data, idempotency_key)


def post_signed(url: str, secret: str, payload: dict[str, object], idempotency_key: str) -> str:
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the URL is an administrator's setting
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Waspada-Signature": signature(secret, timestamp, body),
            "X-Waspada-Timestamp": timestamp,
            "Idempotency-Key": idempotency_key,
            "User-Agent": "Waspada-Webhook/1",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return str(response.status)
    except urllib.error.HTTPError as exc:
        retryable = exc.code >= 500 or exc.code in (408, 429)
        raise DeliveryError(f"HTTP {exc.code}", retryable=retryable) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryError(f"tidak terjangkau: {exc}", retryable=True) from exc
