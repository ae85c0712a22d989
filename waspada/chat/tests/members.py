"""A Matrix member for tests, driven by matrix-nio (a real client library) on its own event loop.

The loop runs in a thread of its own: once a browser test has started Playwright's synchronous
API, the main thread has a running event loop, and a second loop may not run there."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

from nio import AsyncClient, InviteMemberEvent, LoginResponse, RoomMessageNotice, RoomMessageText

from waspada.testing.synapse import MatrixUser

logging.getLogger("nio").setLevel(logging.WARNING)


class Member:
    def __init__(self, homeserver: str, user: MatrixUser) -> None:
        self.user_id = user.user_id
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=f"nio {user.user_id}", daemon=True)
        self._thread.start()
        self.client: AsyncClient = self.run(self._client(homeserver, user.user_id))
        answer = self.run(self.client.login(user.password))
        assert isinstance(answer, LoginResponse), answer
        self.messages: list[tuple[str, str, str]] = []  # (room, sender, body)
        self.invites: set[str] = set()
        self.client.add_event_callback(self._on_message, (RoomMessageText, RoomMessageNotice))  # type: ignore[arg-type]
        self.client.add_event_callback(self._on_invite, InviteMemberEvent)  # type: ignore[arg-type]
        self.run(self.client.sync(timeout=0))

    @staticmethod
    async def _client(homeserver: str, user_id: str) -> AsyncClient:
        return AsyncClient(homeserver, user_id)  # made on the loop's own thread

    def run(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=120)

    async def _on_message(self, room: Any, event: Any) -> None:
        self.messages.append((room.room_id, event.sender, event.body))

    async def _on_invite(self, room: Any, event: InviteMemberEvent) -> None:
        self.invites.add(room.room_id)

    def sync(self, timeout_ms: int = 0) -> None:
        self.run(self.client.sync(timeout=timeout_ms))

    def join(self, room_id: str) -> None:
        answer = self.run(self.client.join(room_id))
        assert getattr(answer, "room_id", None) == room_id, answer

    def accept_invites(self) -> None:
        self.sync()
        for room_id in list(self.client.invited_rooms):
            self.join(room_id)
        self.sync()

    def say(self, room_id: str, text: str) -> str:
        answer = self.run(
            self.client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": text})
        )
        return str(answer.event_id)

    def direct_room_with(self, user_id: str) -> str:
        answer = self.run(self.client.room_create(invite=[user_id], is_direct=True))
        return str(answer.room_id)

    def wait_for(self, room_id: str, needle: str, *, timeout: float = 20, step: Any = None) -> str:
        """Sync until a message in ``room_id`` contains ``needle``; ``step`` runs between syncs
        (the bot's own sync, the worker's sweep) for tests that drive those in-process."""
        deadline = time.monotonic() + timeout
        while True:
            for room, sender, body in self.messages:
                if room == room_id and needle in body and sender != self.user_id:
                    return body
            if time.monotonic() > deadline:
                seen = [m for m in self.messages if m[0] == room_id]
                raise AssertionError(f"no message with {needle!r} in {room_id}; saw {seen}")
            if step is not None:
                step()
            self.sync(timeout_ms=300)

    def wait_until_in_room(self, room_id: str, user_id: str, *, step: Any, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while user_id not in getattr(self.client.rooms.get(room_id), "users", {}):
            assert time.monotonic() < deadline, f"{user_id} never joined {room_id}"
            step()
            self.sync(timeout_ms=200)

    def close(self) -> None:
        self.run(self.client.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()
