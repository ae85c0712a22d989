"""A small Matrix client-server API client over plain HTTP (urllib): what the bot needs, no more.

Settings: ``WASPADA_MATRIX_HOMESERVER`` (e.g. https://matrix.example.go.id), ``WASPADA_MATRIX_USER_ID``
and ``WASPADA_MATRIX_ACCESS_TOKEN`` of the bot account.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings

from waspada.notify.channels import DeliveryError


class MatrixClient:
    def __init__(self, homeserver: str | None = None, access_token: str | None = None) -> None:
        self.homeserver = (homeserver or settings.WASPADA_MATRIX_HOMESERVER).rstrip("/")
        self.access_token = access_token or settings.WASPADA_MATRIX_ACCESS_TOKEN
        if not self.homeserver or not self.access_token:
            raise DeliveryError("Matrix belum dikonfigurasi (WASPADA_MATRIX_HOMESERVER)", retryable=False)
        self.user_id: str = settings.WASPADA_MATRIX_USER_ID

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, timeout: float = 15
    ) -> dict[str, Any]:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - the homeserver is an administrator's setting
            self.homeserver + "/_matrix/client/v3" + path,
            data=data,
            method=method,
            headers={"Authorization": f"Bearer {self.access_token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                result: dict[str, Any] = json.loads(response.read() or b"{}")
                return result
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:300].decode("utf-8", "replace")
            retryable = exc.code >= 500 or exc.code == 429
            raise DeliveryError(f"Matrix HTTP {exc.code}: {detail}", retryable=retryable) from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"Matrix tidak terjangkau: {exc}", retryable=True) from exc

    @staticmethod
    def q(value: str) -> str:
        return urllib.parse.quote(value, safe="")

    def send_text(self, room_id: str, text: str, *, txn_id: str, notice: bool = False) -> str:
        """PUT /send with our transaction ID: the homeserver answers a repeat with the first event."""
        content = {"msgtype": "m.notice" if notice else "m.text", "body": text}
        path = f"/rooms/{self.q(room_id)}/send/m.room.message/{self.q(txn_id)}"
        return str(self.request("PUT", path, content)["event_id"])

    def joined_members(self, room_id: str) -> list[str]:
        return list(self.request("GET", f"/rooms/{self.q(room_id)}/joined_members")["joined"].keys())

    def invited_members(self, room_id: str) -> list[str]:
        chunk = self.request("GET", f"/rooms/{self.q(room_id)}/members?membership=invite")["chunk"]
        return [event["state_key"] for event in chunk]

    def create_room(self, name: str, *, invite: list[str] | None = None, direct: bool = False) -> str:
        body: dict[str, Any] = {"name": name, "preset": "private_chat", "invite": invite or []}
        if direct:
            body["is_direct"] = True
        return str(self.request("POST", "/createRoom", body)["room_id"])

    def invite(self, room_id: str, user_id: str) -> None:
        self.request("POST", f"/rooms/{self.q(room_id)}/invite", {"user_id": user_id})

    def join(self, room_id: str) -> None:
        self.request("POST", f"/join/{self.q(room_id)}", {})

    def sync(self, since: str | None, timeout_ms: int) -> dict[str, Any]:
        params = {"timeout": str(timeout_ms)}
        if since:
            params["since"] = since
        return self.request("GET", "/sync?" + urllib.parse.urlencode(params), timeout=timeout_ms / 1000 + 15)
