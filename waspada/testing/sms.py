"""Local stand-ins of SMS gateways for tests and the benchmark, on 127.0.0.1.

``FakeSmsGateway`` speaks SMS Gateway for Android's local-server API (the phone's app,
github.com/capcom6/android-sms-gateway):

* ``POST /message`` (also ``/messages``), HTTP basic auth (user ``sms`` by default), JSON
  ``{"id"?, "textMessage": {"text"} | "message" | "dataMessage", "phoneNumbers": [...],
  "simNumber"?, "withDeliveryReport"?, "priority"?, "ttl"?}``; answered 202 with
  ``{"id", "deviceId", "state": "Pending", "isHashed", "isEncrypted", "recipients":
  [{"phoneNumber", "state", "error"}], "states": {"Pending": time}}``. An id it already holds is
  not sent again (answered 202 all the same, as the app does); a number not in E.164 form is
  refused with 400 unless ``?skipPhoneValidation=true``; bad credentials get 401.
* Webhooks to the app, as the phone sends them: ``{"deviceId", "event", "id", "payload",
  "webhookId"}``, signed with ``X-Signature`` (hex HMAC-SHA256 of the body followed by the
  timestamp) and ``X-Timestamp`` (Unix seconds, fresh for every attempt). A member texts with
  ``user_texts``; ``redeliver`` posts the same event again, as the app's retry does. Each accepted
  message queues ``sms:sent`` and ``sms:delivered``, posted by ``flush_statuses()`` (or at once
  with ``auto_statuses``).

``FakeAggregator`` plays the generic HTTP aggregator of docs/notifications.md: ``POST /send``
(form or JSON, bearer token) records the SMS; ``user_texts`` posts an incoming SMS to the app
with the inbound token.

Where they differ from the real services is listed in docs/notifications.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TEST_USERNAME = "sms"
TEST_PASSWORD = "kata-sandi-gerbang-uji"  # noqa: S105 - a password of the stand-in only
TEST_SIGNING_KEY = "kunci-penandatangan-uji"
TEST_INBOUND_TOKEN = "token-masuk-agregator-uji"  # noqa: S105
TEST_SEND_TOKEN = "token-kirim-agregator-uji"  # noqa: S105
DEVICE_NUMBER = "+6281100000099"
E164 = re.compile(r"^\+[1-9]\d{6,14}$")

Deliver = Callable[[str, bytes, dict[str, str]], int]


def sign(key: str, body: bytes, timestamp: str) -> str:
    return hmac.new(key.encode("utf-8"), body + timestamp.encode("ascii"), hashlib.sha256).hexdigest()


def _nanoid() -> str:
    alphabet = "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(21))


def _now_iso() -> str:
    return datetime.now(UTC).astimezone().isoformat(timespec="milliseconds")


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the test's server
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, OSError):
        return 0  # the app is not listening: the phone would retry later


@dataclass
class FakeSmsGateway:
    username: str = TEST_USERNAME
    password: str = TEST_PASSWORD
    signing_key: str = TEST_SIGNING_KEY
    device_id: str = "ffffffffceb0b1db0000018e937c815b"
    url: str = ""
    webhook_url: str = ""
    deliver: Deliver | None = None  # how webhooks reach the app; default: POST to webhook_url
    sent: list[dict[str, Any]] = field(default_factory=list)  # SMS that left the phone
    received: list[bytes] = field(default_factory=list)  # every request body, raw, for leak searches
    known_ids: set[str] = field(default_factory=set)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)  # HTTP status of the next calls
    auto_statuses: bool = False
    webhook_answers: list[int] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    # -- what a member does on their phone -------------------------------------------------------
    def user_texts(self, number: str, text: str) -> tuple[int, dict[str, Any]]:
        """A member's SMS reaches the phone: returns the app's HTTP status and the event sent."""
        payload = {
            # The app makes this id from the content: the same text gets the same id.
            "messageId": hashlib.sha256(text.encode("utf-8")).hexdigest()[:16],
            "message": text,
            "sender": number,
            "recipient": DEVICE_NUMBER,
            "phoneNumber": number,
            "simNumber": 1,
            "receivedAt": _now_iso(),
        }
        envelope = self.event("sms:received", payload)
        return self.redeliver(envelope), envelope

    def event(self, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "deviceId": self.device_id,
            "event": name,
            "id": _nanoid(),
            "payload": payload,
            "webhookId": "waspada-" + name.replace(":", "-"),
        }

    def signed(
        self, envelope: dict[str, Any], *, timestamp: int | None = None
    ) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Signature": sign(self.signing_key, body, stamp),
            "X-Timestamp": stamp,
        }
        return body, headers

    def redeliver(self, envelope: dict[str, Any]) -> int:
        """Post an event (again): the same body, signed afresh, as each attempt of the app."""
        body, headers = self.signed(envelope)
        return self.post_raw(body, headers)

    def post_raw(self, body: bytes, headers: dict[str, str]) -> int:
        code = (
            self.deliver(self.webhook_url, body, headers)
            if self.deliver is not None
            else _post(self.webhook_url, body, headers)
        )
        with self.lock:
            self.webhook_answers.append(code)
        return code

    def texts_to(self, number: str) -> list[str]:
        """What the member's phone shows from us, in order."""
        wanted = number if number.startswith("+") else f"+{number}"
        return [m["text"] for m in self.sent if m["to"] == wanted]

    def flush_statuses(self) -> list[int]:
        with self.lock:
            queued, self.statuses = self.statuses, []
        return [self.redeliver(envelope) for envelope in queued]

    def fail_next(self, code: int, times: int = 1) -> None:
        self.failures.extend([code] * times)

    # -- the phone's API -------------------------------------------------------------------------
    def accept(self, request: dict[str, Any], *, skip_validation: bool) -> tuple[int, dict[str, Any]]:
        kinds = [k for k in ("textMessage", "dataMessage", "message") if request.get(k) is not None]
        if not kinds:
            return 400, {"message": "Must specify exactly one of: textMessage, dataMessage, or message"}
        if len(kinds) > 1:
            return 400, {"message": "Cannot specify multiple message types simultaneously"}
        if kinds[0] == "textMessage":
            text = str((request.get("textMessage") or {}).get("text") or "")
        elif kinds[0] == "message":
            text = str(request.get("message") or "")
        else:
            return 400, {"message": "data messages are not served by the stand-in"}
        if not text:
            return 400, {"message": "Text message is empty"}
        numbers = request.get("phoneNumbers") or []
        if not isinstance(numbers, list) or not numbers:
            return 400, {"message": "phoneNumbers is empty"}
        if not skip_validation and not all(isinstance(n, str) and E164.match(n) for n in numbers):
            return 400, {"message": f"Invalid phone number: {numbers}"}
        message_id = str(request.get("id") or _nanoid())
        with self.lock:
            new = message_id not in self.known_ids
            self.known_ids.add(message_id)
            if new:
                for number in numbers:
                    message = {"id": message_id, "to": number, "text": text, "at": time.time()}
                    message["priority"] = request.get("priority")
                    self.sent.append(message)
                    for status in ("sms:sent", "sms:delivered"):
                        stamp = "sentAt" if status == "sms:sent" else "deliveredAt"
                        payload = {
                            "messageId": message_id,
                            "sender": DEVICE_NUMBER,
                            "recipient": number,
                            "phoneNumber": number,
                            "simNumber": 1,
                            stamp: _now_iso(),
                        }
                        self.statuses.append(self.event(status, payload))
        answer = {
            "id": message_id,
            "deviceId": self.device_id,
            "state": "Pending",
            "isHashed": False,
            "isEncrypted": bool(request.get("isEncrypted")),
            "recipients": [{"phoneNumber": n, "state": "Pending", "error": None} for n in numbers],
            "states": {"Pending": _now_iso()},
        }
        return 202, answer


def _gateway_handler(api: FakeSmsGateway) -> type[BaseHTTPRequestHandler]:
    expected = "Basic " + base64.b64encode(f"{api.username}:{api.password}".encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, code: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if code == 401:
                self.send_header("WWW-Authenticate", 'Basic realm="Access to SMS Gateway"')
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            with api.lock:
                api.received.append(self.path.encode() + b"\n" + raw)
            if not hmac.compare_digest(self.headers.get("Authorization", ""), expected):
                self._answer(401, {"message": "Unauthorized"})
                return
            with api.lock:
                failure = api.failures.pop(0) if api.failures else None
            if failure is not None:
                self._answer(failure, {"message": "stand-in failure"})
                return
            url = urllib.parse.urlsplit(self.path)
            if url.path.rstrip("/") not in ("/message", "/messages"):
                self._answer(404, {"message": "Not Found"})
                return
            try:
                request = json.loads(raw or b"{}")
                assert isinstance(request, dict)
            except (ValueError, AssertionError):
                self._answer(400, {"message": "body is not a JSON object"})
                return
            skip = urllib.parse.parse_qs(url.query).get("skipPhoneValidation") == ["true"]
            code, answer = api.accept(request, skip_validation=skip)
            self._answer(code, answer)
            if code == 202 and api.auto_statuses:
                threading.Thread(target=api.flush_statuses, daemon=True).start()

    return Handler


@dataclass
class FakeAggregator:
    send_token: str = TEST_SEND_TOKEN
    inbound_token: str = TEST_INBOUND_TOKEN
    url: str = ""
    webhook_url: str = ""
    deliver: Deliver | None = None
    sent: list[dict[str, Any]] = field(default_factory=list)
    received: list[bytes] = field(default_factory=list)
    references: set[str] = field(default_factory=set)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def user_texts(self, number: str, text: str, *, message_id: str | None = None) -> tuple[int, str]:
        message_id = message_id or secrets.token_hex(8)
        body = urllib.parse.urlencode({"from": number, "text": text, "id": message_id}).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": f"Bearer {self.inbound_token}",
        }
        code = (
            self.deliver(self.webhook_url, body, headers)
            if self.deliver is not None
            else _post(self.webhook_url, body, headers)
        )
        return code, message_id

    def texts_to(self, number: str) -> list[str]:
        return [m["text"] for m in self.sent if m["to"] == number]


def _aggregator_handler(api: FakeAggregator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, code: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with api.lock:
                api.received.append(self.path.encode() + b"\n" + raw)
            if self.headers.get("Authorization") != f"Bearer {api.send_token}":
                self._answer(401, {"error": "unauthorized"})
                return
            if self.headers.get("Content-Type", "").startswith("application/json"):
                values = {str(k): str(v) for k, v in json.loads(raw or b"{}").items()}
            else:
                values = {k: v[0] for k, v in urllib.parse.parse_qs(raw.decode()).items()}
            if not values.get("to") or not values.get("text"):
                self._answer(400, {"error": "to and text are required"})
                return
            with api.lock:
                reference = values.get("reference", "")
                if reference not in api.references:  # a repeated reference is dropped
                    api.references.add(reference)
                    api.sent.append({**values, "at": time.time()})
            self._answer(200, {"id": "agg-" + (reference or secrets.token_hex(6)), "status": "queued"})

    return Handler


@contextmanager
def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def running_fake_sms_gateway(**options: Any) -> Iterator[FakeSmsGateway]:
    api = FakeSmsGateway(**options)
    with _serve(_gateway_handler(api)) as url:
        api.url = url
        yield api


@contextmanager
def running_fake_aggregator(**options: Any) -> Iterator[FakeAggregator]:
    api = FakeAggregator(**options)
    with _serve(_aggregator_handler(api)) as url:
        api.url = url
        yield api
