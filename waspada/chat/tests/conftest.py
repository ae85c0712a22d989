"""Fixtures of the chat tests: a real Synapse (one per test session), a fresh bot account per
test, and members driven by a real Matrix client library (matrix-nio)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from waspada.chat.tests.members import Member
from waspada.testing.synapse import MatrixUser, Synapse, running_synapse


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    with running_synapse(Path(tmp_path_factory.mktemp("synapse"))) as server:
        yield server


@pytest.fixture
def matrix_bot(synapse: Synapse, settings: Settings) -> MatrixUser:
    """A new bot account on the server, configured as Waspada's bot for this test."""
    bot = synapse.register(f"waspada-{uuid.uuid4().hex[:8]}")
    settings.WASPADA_MATRIX_HOMESERVER = synapse.url
    settings.WASPADA_MATRIX_USER_ID = bot.user_id
    settings.WASPADA_MATRIX_ACCESS_TOKEN = bot.access_token
    return bot


@pytest.fixture
def new_member(synapse: Synapse) -> Iterator[object]:
    """A factory of members: ``new_member("siti")`` registers and logs in a Matrix account."""
    made: list[Member] = []

    def make(name: str) -> Member:
        user = synapse.register(f"{name}-{uuid.uuid4().hex[:6]}")
        member = Member(synapse.url, user)
        made.append(member)
        return member

    yield make
    for member in made:
        member.close()
