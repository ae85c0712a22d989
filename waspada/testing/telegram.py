"""A small local stand-in of the Telegram Bot API for tests (the real service is unreachable here).

It speaks the same HTTP shape as https://api.telegram.org/bot<token>/<method>: ``sendMessage``
records the message and answers ``{"ok": true, "result": {...}}``, ``getUpdates`` hands out the
updates a test queued with ``user_says`` (honouring ``offset``), and a wrong token gets 401.
``fail_next(code)`` makes the next calls fail with an HTTP status, to test retries.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeTelegram:
    token: str
    url: str = ""
    sent: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def user_says(self, chat_id: int, text: str) -> None:
        with self.lock:
            update_id = len(self.updates) + 1
            self.updates.append(
                {
                    "update_id": update_id,
                    "message": {
                        "message_id": 1000 + update_id,
                        "chat": {"id": chat_id, "type": "private"},
                        "from": {"id": chat_id, "is_bot": False, "first_name": "Uji"},
                        "text": text,
                    },
                }
            )

    def fail_next(self, code: int, times: int = 1) -> None:
        self.failures.extend([code] * times)


def _handler(api: FakeTelegram) -> type[BaseHTTPRequestHandler]:
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
            length = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(length) or b"{}")
            prefix = f"/bot{api.token}/"
            if not self.path.startswith(prefix):
                self._answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                return
            method = self.path[len(prefix) :]
            with api.lock:
                if api.failures:
                    code = api.failures.pop(0)
                    self._answer(code, {"ok": False, "error_code": code, "description": "failure"})
                    return
                if method == "sendMessage":
                    message = {
                        "message_id": len(api.sent) + 1,
                        "chat": {"id": payload["chat_id"]},
                        "text": payload["text"],
                    }
                    api.sent.append(message)
                    self._answer(200, {"ok": True, "result": message})
                elif method == "getUpdates":
                    offset = int(payload.get("offset") or 0)
                    self._answer(
                        200, {"ok": True, "result": [u for u in api.updates if u["update_id"] >= offset]}
                    )
                else:
                    self._answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    return Handler


TEST_TOKEN = "123456:UJI-token"  # noqa: S105 - a token of the stand-in only


@contextmanager
def running_fake_telegram(token: str = TEST_TOKEN) -> Iterator[FakeTelegram]:
    api = FakeTelegram(token=token)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    api.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
