"""A local stand-in of the WhatsApp Business Platform (Cloud API) for tests and the benchmark.

It speaks the Graph API's HTTP shapes on 127.0.0.1 (the real service is unreachable here):

* ``POST /{version}/{phone-number-id}/messages`` (``Authorization: Bearer <token>``): ``text``,
  ``template``, ``image`` and ``audio`` messages; answers
  ``{"messaging_product": "whatsapp", "contacts": [{"input", "wa_id"}], "messages": [{"id": "wamid…"}]}``.
  A template the business has not got (name and language) is refused with HTTP 404 and the Graph
  error object, code 132001; a template parameter with a newline or a tab with HTTP 400, code
  132018. A free-form message to a number outside its 24-hour window is accepted (as the real
  service does) and then reported ``failed`` with code 131047 in a status webhook.
* ``POST /{version}/{phone-number-id}/media`` (multipart ``file``, ``type``, ``messaging_product``)
  → ``{"id": media-id}``; ``GET /{version}/{media-id}`` → ``{"url", "mime_type", "sha256",
  "file_size", "id", "messaging_product"}``; ``GET`` that URL with the same bearer token → the bytes.
* Webhooks to the app, signed like the platform's: ``X-Hub-Signature-256: sha256=<HMAC-SHA256 of
  the raw body with the app secret>``, body ``{"object": "whatsapp_business_account", "entry":
  [{"id", "changes": [{"field": "messages", "value": {...}}]}]}``. A test makes a member write
  (``user_says``, ``user_sends_image``, ``user_sends_voice``, ``user_sends_location``); each
  accepted send queues ``sent`` and ``delivered`` statuses (``failed`` for 131047), delivered by
  ``flush_statuses()`` or, with ``auto_statuses``, by a thread right after the send.

* Groups (the Groups API of an Official Business Account): ``POST /{version}/{phone-number-id}/groups``
  (``subject``, ``description``, ``join_approval_mode``) answers ``{"messaging_product", "request_id"}``
  and queues a ``group_lifecycle_update`` webhook (``type: group_create``) carrying the new
  ``group_id`` and its ``invite_link``; ``GET /{version}/{group-id}/invite_link``;
  ``GET /{version}/{group-id}?fields=subject,participants`` → ``participants: [{"wa_id"}]``;
  ``DELETE /{version}/{group-id}/participants`` with ``participants: [{"user"}]`` removes them
  and queues a ``group_participants_update`` (``group_participants_remove``, ``initiated_by:
  business``). A message with ``recipient_type: group`` and ``to: <group-id>`` is shown to the
  group (refused with 131009 while nobody has joined). A member joins with the invite link
  (``user_joins_group``) or leaves (``user_leaves_group``): the ``group_participants_update``
  webhook goes to the app at once, like a message. Queued group webhooks go with
  ``flush_statuses()``.

Where it differs from the real service is listed in docs/notifications.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

TEST_TOKEN = "EAAG-uji-token"  # noqa: S105 - a token of the stand-in only
TEST_APP_SECRET = "rahasia-aplikasi-uji"  # noqa: S105
TEST_VERIFY_TOKEN = "token-verifikasi-uji"  # noqa: S105
TEST_PHONE_NUMBER_ID = "109876543210987"
TEST_WABA_ID = "102030405060708"
VERSION = "v21.0"
WINDOW_SECONDS = 24 * 3600

# (status code, Graph error code, title, details)
ERRORS = {
    131047: (
        "Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer last "
        "replied to this number.",
    ),
    132001: (
        "Template name does not exist in the translation",
        "template name ({name}) does not exist in {lang}",
    ),
    132018: (
        "There was an issue with the parameters in your template.",
        "Param text cannot have new-line/tab characters",
    ),
}

Deliver = Callable[[bytes, dict[str, str]], int]


@dataclass
class FakeGroup:
    id: str
    subject: str
    description: str
    invite_link: str
    participants: list[str] = field(default_factory=list)  # wa ids, in the order they joined
    removed: list[str] = field(default_factory=list)  # removed by the business, in order


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


@dataclass
class FakeWhatsApp:
    token: str = TEST_TOKEN
    app_secret: str = TEST_APP_SECRET
    phone_number_id: str = TEST_PHONE_NUMBER_ID
    display_number: str = "6281100000000"
    url: str = ""
    webhook_url: str = ""
    # Approved templates: {(name, language code): body with {{1}}, {{2}}…}.
    templates: dict[tuple[str, str], str] = field(default_factory=dict)
    sent: list[dict[str, Any]] = field(default_factory=list)  # accepted messages, with "id" and "at"
    received: list[bytes] = field(default_factory=list)  # every request body, raw, for leak searches
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    last_inbound: dict[str, float] = field(default_factory=dict)  # wa_id -> time of their last message
    statuses: list[dict[str, Any]] = field(default_factory=list)  # queued status webhooks
    failures: list[int] = field(default_factory=list)  # HTTP status of the next calls
    auto_statuses: bool = False
    deliver: Deliver | None = None  # how webhooks reach the app; default: POST to webhook_url
    webhook_answers: list[int] = field(default_factory=list)
    groups: dict[str, FakeGroup] = field(default_factory=dict)  # group id -> group
    group_events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (field, group entry)
    lock: threading.RLock = field(default_factory=threading.RLock)
    _counter: int = 0

    # -- what a member does on their phone -------------------------------------------------------
    def _next_id(self, prefix: str) -> str:
        with self.lock:
            self._counter += 1
            return f"{prefix}{secrets.token_hex(12).upper()}{self._counter:04d}"

    def _inbound(
        self, wa_id: str, kind: str, content: dict[str, Any], *, name: str = "Uji"
    ) -> tuple[int, str]:
        message_id = self._next_id("wamid.IN")
        with self.lock:
            self.last_inbound[wa_id] = time.time()
        message = {
            "from": wa_id,
            "id": message_id,
            "timestamp": str(int(time.time())),
            "type": kind,
            kind: content,
        }
        value = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": self.display_number,
                "phone_number_id": self.phone_number_id,
            },
            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
            "messages": [message],
        }
        return self.post_webhook(self.envelope(value)), message_id

    def user_says(self, wa_id: str, text: str) -> tuple[int, str]:
        """The member sends a text; returns the app's HTTP status and the message's id."""
        return self._inbound(wa_id, "text", {"body": text})

    def user_sends_image(
        self, wa_id: str, data: bytes, *, caption: str = "", mime: str = "image/jpeg"
    ) -> tuple[int, str]:
        media_id = self.store_media(data, mime)
        content: dict[str, Any] = {
            "mime_type": mime,
            "sha256": hashlib.sha256(data).hexdigest(),
            "id": media_id,
        }
        if caption:
            content["caption"] = caption
        return self._inbound(wa_id, "image", content)

    def user_sends_voice(self, wa_id: str, data: bytes) -> tuple[int, str]:
        mime = "audio/ogg; codecs=opus"
        media_id = self.store_media(data, mime)
        content = {
            "mime_type": mime,
            "sha256": hashlib.sha256(data).hexdigest(),
            "id": media_id,
            "voice": True,
        }
        return self._inbound(wa_id, "audio", content)

    def user_sends_location(
        self, wa_id: str, latitude: float, longitude: float, *, name: str = ""
    ) -> tuple[int, str]:
        content: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if name:
            content["name"] = name
        return self._inbound(wa_id, "location", content)

    def user_joins_group(self, wa_id: str, invite_link: str, *, name: str = "Uji") -> int:
        """The member opens the invite link and joins; returns the app's HTTP status."""
        with self.lock:
            group = next((g for g in self.groups.values() if g.invite_link == invite_link), None)
            if group is None:
                raise LookupError(f"no group has the invite link {invite_link}")
            if wa_id not in group.participants:
                group.participants.append(wa_id)
        entry = {
            "timestamp": str(int(time.time())),
            "group_id": group.id,
            "type": "group_participants_add",
            "reason": "invite_link",
            "added_participants": [{"input": wa_id, "wa_id": wa_id, "profile": {"name": name}}],
        }
        return self.post_webhook(self.envelope(self._group_value(entry), "group_participants_update"))

    def user_leaves_group(self, wa_id: str, group_id: str) -> int:
        with self.lock:
            self.groups[group_id].participants.remove(wa_id)
        entry = {
            "timestamp": str(int(time.time())),
            "group_id": group_id,
            "type": "group_participants_remove",
            "initiated_by": "participant",
            "removed_participants": [{"input": wa_id, "wa_id": wa_id}],
        }
        return self.post_webhook(self.envelope(self._group_value(entry), "group_participants_update"))

    def texts_in_group(self, group_id: str) -> list[str]:
        """What every participant of the group sees from us."""
        return [m["shown"] for m in self.sent if m["to"] == group_id]

    def _group_value(self, entry: dict[str, Any]) -> dict[str, Any]:
        return {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": self.display_number,
                "phone_number_id": self.phone_number_id,
            },
            "groups": [entry],
        }

    def create_group(self, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if payload.get("messaging_product") != "whatsapp":
            return 400, graph_error(100, "Invalid parameter", "messaging_product is required")
        subject = str(payload.get("subject") or "").strip()
        if not subject or len(subject) > 128:
            return 400, graph_error(100, "Invalid parameter", "subject is required, at most 128 characters")
        request_id = secrets.token_hex(16)
        group_id = "Y2FwaV9ncm91cD" + secrets.token_urlsafe(24).replace("-", "A").replace("_", "B")
        group = FakeGroup(
            id=group_id,
            subject=subject,
            description=str(payload.get("description") or "")[:2048],
            invite_link=f"https://chat.whatsapp.com/{secrets.token_urlsafe(16)}",
        )
        with self.lock:
            self.groups[group_id] = group
            self.group_events.append(
                (
                    "group_lifecycle_update",
                    {
                        "timestamp": str(int(time.time())),
                        "group_id": group_id,
                        "type": "group_create",
                        "request_id": request_id,
                        "subject": subject,
                        "invite_link": group.invite_link,
                        "join_approval_mode": payload.get("join_approval_mode") or "auto_approve",
                    },
                )
            )
        return 200, {"messaging_product": "whatsapp", "request_id": request_id}

    def remove_participants(self, group_id: str, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        users = [str(p.get("user") or "") for p in payload.get("participants") or [] if isinstance(p, dict)]
        if payload.get("messaging_product") != "whatsapp" or not users or len(users) > 8:
            return 400, graph_error(100, "Invalid parameter", "participants: 1 to 8 objects with user")
        with self.lock:
            group = self.groups[group_id]
            gone = [u for u in users if u in group.participants]
            for user in gone:
                group.participants.remove(user)
                group.removed.append(user)
            if gone:
                self.group_events.append(
                    (
                        "group_participants_update",
                        {
                            "timestamp": str(int(time.time())),
                            "group_id": group_id,
                            "type": "group_participants_remove",
                            "initiated_by": "business",
                            "removed_participants": [{"input": u, "wa_id": u} for u in gone],
                        },
                    )
                )
        return 200, {"messaging_product": "whatsapp", "success": True}

    def store_media(self, data: bytes, mime: str) -> str:
        media_id = str(10**15 + secrets.randbelow(10**15))
        with self.lock:
            self.media[media_id] = (data, mime)
        return media_id

    # -- webhooks to the app ------------------------------------------------------------------------
    def envelope(self, value: dict[str, Any], field: str = "messages") -> dict[str, Any]:
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": TEST_WABA_ID, "changes": [{"value": value, "field": field}]}],
        }

    def signed(self, payload: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
        body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        return body, {"Content-Type": "application/json", "X-Hub-Signature-256": sign(self.app_secret, body)}

    def post_webhook(self, payload: dict[str, Any]) -> int:
        body, headers = self.signed(payload)
        return self.post_raw(body, headers)

    def post_raw(self, body: bytes, headers: dict[str, str]) -> int:
        if self.deliver is not None:
            code = self.deliver(body, headers)
        elif not self.webhook_url:
            code = 0  # no webhook configured yet
        else:
            request = urllib.request.Request(self.webhook_url, data=body, headers=headers, method="POST")  # noqa: S310
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the test's server
                    code = response.status
            except urllib.error.HTTPError as exc:
                code = exc.code
            except (urllib.error.URLError, OSError):
                code = 0  # the app is not listening (stopped): the platform would retry later
        with self.lock:
            self.webhook_answers.append(code)
        return code

    def _queue_status(self, message: dict[str, Any], status: str, error: int | None = None) -> None:
        entry: dict[str, Any] = {
            "id": message["id"],
            "status": status,
            "timestamp": str(int(time.time())),
            "recipient_id": message["to"],
        }
        if message.get("recipient_type") == "group":
            entry["recipient_type"] = "group"
        if message.get("biz_opaque_callback_data"):
            entry["biz_opaque_callback_data"] = message["biz_opaque_callback_data"]
        if error is not None:
            title, details = ERRORS[error]
            entry["errors"] = [
                {"code": error, "title": title, "message": title, "error_data": {"details": details}}
            ]
        with self.lock:
            self.statuses.append(entry)

    def flush_statuses(self) -> list[int]:
        """Deliver the queued status webhooks, one per status as the platform does, then the queued
        group webhooks."""
        with self.lock:
            queued, self.statuses = self.statuses, []
            group_events, self.group_events = self.group_events, []
        answers = []
        for field_name, group_entry in group_events:
            code = self.post_webhook(self.envelope(self._group_value(group_entry), field_name))
            answers.append(code)
            if code == 0 or code >= 500:  # the app is not listening yet: the platform tries again later
                with self.lock:
                    self.group_events.append((field_name, group_entry))
        for entry in queued:
            value = {
                "messaging_product": "whatsapp",
                "metadata": {
                    "display_phone_number": self.display_number,
                    "phone_number_id": self.phone_number_id,
                },
                "statuses": [entry],
            }
            answers.append(self.post_webhook(self.envelope(value)))
        return answers

    def read(self, wamid: str) -> None:
        """The member opened the message: a ``read`` status is queued."""
        message = next(m for m in self.sent if m["id"] == wamid)
        self._queue_status(message, "read")

    def texts_to(self, wa_id: str) -> list[str]:
        """What the member's phone shows from us: text bodies and templates rendered."""
        return [m["shown"] for m in self.sent if m["to"] == wa_id]

    def fail_next(self, code: int, times: int = 1) -> None:
        self.failures.extend([code] * times)

    # -- the Graph API -------------------------------------------------------------------------------
    def accept(self, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if payload.get("messaging_product") != "whatsapp":
            return 400, graph_error(100, "Invalid parameter", "messaging_product is required")
        to = str(payload.get("to") or "")
        kind = payload.get("type", "text")
        to_group = payload.get("recipient_type") == "group"
        if to_group:
            group = self.groups.get(to)
            if group is None:
                return 400, graph_error(100, "Invalid parameter", "to: unknown group id")
            if not group.participants:
                return 400, graph_error(
                    131009, "Parameter value is not valid", "the group has no participants"
                )
        elif not to.isdigit():
            return 400, graph_error(100, "Invalid parameter", "to must be a phone number")
        outside = not to_group and time.time() - self.last_inbound.get(to, 0) > WINDOW_SECONDS
        if kind == "text":
            shown = str((payload.get("text") or {}).get("body") or "")
            if not shown:
                return 400, graph_error(100, "Invalid parameter", "text.body is required")
        elif kind == "template":
            template = payload.get("template") or {}
            name, lang = template.get("name", ""), (template.get("language") or {}).get("code", "")
            body = self.templates.get((name, lang))
            if body is None:
                title, details = ERRORS[132001]
                return 404, graph_error(132001, title, details.format(name=name, lang=lang))
            params = [
                str(p.get("text", ""))
                for c in template.get("components") or []
                if c.get("type") == "body"
                for p in c.get("parameters") or []
            ]
            if any("\n" in p or "\t" in p for p in params):
                title, details = ERRORS[132018]
                return 400, graph_error(132018, title, details)
            shown = body
            for number, value in enumerate(params, start=1):
                shown = shown.replace(f"{{{{{number}}}}}", value)
            outside = False  # templates may open a conversation
        elif kind in ("image", "audio"):
            media = payload.get(kind) or {}
            if str(media.get("id") or "") not in self.media and not media.get("link"):
                return 400, graph_error(131053, "Media upload error", "unknown media id")
            shown = f"[{kind}] {media.get('caption', '')}".strip()
        else:
            return 400, graph_error(100, "Invalid parameter", f"type {kind} is not supported here")
        wamid = self._next_id("wamid.HBgN")
        message = {**payload, "id": wamid, "to": to, "type": kind, "shown": shown, "at": time.time()}
        with self.lock:
            self.sent.append(message)
        if outside and kind != "template":
            self._queue_status(message, "failed", 131047)
        else:
            self._queue_status(message, "sent")
            self._queue_status(message, "delivered")
        answer: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": wamid}],
        }
        if kind == "template":
            answer["messages"][0]["message_status"] = "accepted"
        return 200, answer


def ogg_opus_voice_note(frames: int = 50) -> bytes:
    """A small, valid Ogg/Opus file like a WhatsApp voice note: the OpusHead and OpusTags pages,
    then ``frames`` 20 ms packets of silence (one second for 50), pages with their CRCs."""
    import struct

    from waspada.lib.uploads import ogg_crc

    serial = 0x5A5A1234

    def page(packets: list[bytes], sequence: int, granule: int, flags: int) -> bytes:
        table = b""
        for packet in packets:
            table += b"\xff" * (len(packet) // 255) + bytes([len(packet) % 255])
        header = (
            b"OggS" + struct.pack("<BBqIII", 0, flags, granule, serial, sequence, 0) + bytes([len(table)])
        )
        raw = header + table + b"".join(packets)
        return raw[:22] + struct.pack("<I", ogg_crc(raw)) + raw[26:]

    head = b"OpusHead" + struct.pack("<BBHIhB", 1, 1, 312, 48000, 0, 0)
    tags = b"OpusTags" + struct.pack("<I", 7) + b"Waspada" + struct.pack("<I", 0)
    silence = b"\xf8\xff\xfe"  # one 20 ms CELT frame of silence
    pages = [page([head], 0, 0, 0x02), page([tags], 1, 0, 0)]
    pages.append(page([silence] * frames, 2, 312 + 960 * frames, 0x04))
    return b"".join(pages)


def graph_error(code: int, title: str, details: str) -> dict[str, Any]:
    return {
        "error": {
            "message": f"(#{code}) {title}",
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": details},
            "fbtrace_id": "A" + secrets.token_hex(10),
        }
    }


def _handler(api: FakeWhatsApp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(
            self, code: int, body: dict[str, Any] | bytes, content_type: str = "application/json"
        ) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            if self.headers.get("Authorization") != f"Bearer {api.token}":
                self._answer(
                    401, graph_error(190, "Invalid OAuth access token", "Invalid OAuth access token.")
                )
                return False
            with api.lock:
                if api.failures:
                    code = api.failures.pop(0)
                    self._answer(
                        code,
                        graph_error(131000 if code >= 500 else 130429, "Something went wrong", "failure"),
                    )
                    return False
            return True

        def _parts(self) -> list[str]:
            return [p for p in urlsplit(self.path).path.split("/") if p]

        def do_GET(self) -> None:
            if not self._authorised():
                return
            parts = self._parts()
            if len(parts) == 2 and parts[0] == "media-bytes" and parts[1] in api.media:
                data, mime = api.media[parts[1]]
                self._answer(200, data, mime.split(";")[0])
            elif len(parts) == 3 and parts[1] in api.groups and parts[2] == "invite_link":
                self._answer(
                    200, {"messaging_product": "whatsapp", "invite_link": api.groups[parts[1]].invite_link}
                )
            elif len(parts) == 2 and parts[1] in api.groups:
                group = api.groups[parts[1]]
                with api.lock:
                    participants = [{"wa_id": wa_id} for wa_id in group.participants]
                self._answer(
                    200,
                    {
                        "messaging_product": "whatsapp",
                        "id": group.id,
                        "subject": group.subject,
                        "description": group.description,
                        "participants": participants,
                        "total_participant_count": len(participants),
                    },
                )
            elif len(parts) == 2 and parts[1] in api.media:
                data, mime = api.media[parts[1]]
                self._answer(
                    200,
                    {
                        "messaging_product": "whatsapp",
                        "url": f"{api.url}/media-bytes/{parts[1]}",
                        "mime_type": mime,
                        "sha256": hashlib.sha256(data).hexdigest(),
                        "file_size": len(data),
                        "id": parts[1],
                    },
                )
            else:
                self._answer(404, graph_error(100, "Unsupported get request", "Object does not exist"))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            with api.lock:
                api.received.append(self.path.encode() + b"\n" + raw)
            if not self._authorised():
                return
            parts = self._parts()
            if len(parts) == 3 and parts[2] == "groups" and parts[1] == api.phone_number_id:
                try:
                    code, answer = api.create_group(json.loads(raw or b"{}"))
                except ValueError:
                    code, answer = 400, graph_error(100, "Invalid parameter", "body is not JSON")
                self._answer(code, answer)
                if code == 200 and api.auto_statuses:
                    threading.Thread(target=api.flush_statuses, daemon=True).start()
                return
            if len(parts) != 3 or parts[1] != api.phone_number_id:
                self._answer(400, graph_error(100, "Invalid parameter", "unknown phone number id"))
                return
            if parts[2] == "messages":
                try:
                    payload = json.loads(raw or b"{}")
                except ValueError:
                    self._answer(400, graph_error(100, "Invalid parameter", "body is not JSON"))
                    return
                code, answer = api.accept(payload)
                self._answer(code, answer)
                if code == 200 and api.auto_statuses:
                    threading.Thread(target=api.flush_statuses, daemon=True).start()
            elif parts[2] == "media":
                header = f"Content-Type: {self.headers.get('Content-Type', '')}\r\n\r\n".encode()
                form = BytesParser(policy=HTTP).parsebytes(header + raw)
                files = [
                    part
                    for part in form.iter_parts()
                    if part.get_param("name", header="content-disposition") == "file"
                ]
                if not files:
                    self._answer(400, graph_error(100, "Invalid parameter", "file is required"))
                    return
                data = files[0].get_payload(decode=True)
                if not isinstance(data, bytes):
                    data = b""
                self._answer(200, {"id": api.store_media(data, files[0].get_content_type())})
            else:
                self._answer(404, graph_error(100, "Unsupported post request", "unknown edge"))

        def do_DELETE(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            with api.lock:
                api.received.append(b"DELETE " + self.path.encode() + b"\n" + raw)
            if not self._authorised():
                return
            parts = self._parts()
            if len(parts) == 3 and parts[1] in api.groups and parts[2] == "participants":
                try:
                    code, answer = api.remove_participants(parts[1], json.loads(raw or b"{}"))
                except ValueError:
                    code, answer = 400, graph_error(100, "Invalid parameter", "body is not JSON")
                self._answer(code, answer)
                if code == 200 and api.auto_statuses:
                    threading.Thread(target=api.flush_statuses, daemon=True).start()
            else:
                self._answer(404, graph_error(100, "Unsupported delete request", "unknown edge"))

    return Handler


@contextmanager
def running_fake_whatsapp(**options: Any) -> Iterator[FakeWhatsApp]:
    api = FakeWhatsApp(**options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
