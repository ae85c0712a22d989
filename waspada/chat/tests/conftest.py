"""Fixtures of the chat tests: a real Synapse (one per test session), a fresh bot account per
test, and members driven by a real Matrix client library (matrix-nio)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from waspada.chat.tests.members import Member
from waspada.testing.sms import (
    FakeAggregator,
    FakeSmsGateway,
    running_fake_aggregator,
    running_fake_sms_gateway,
)
from waspada.testing.synapse import MatrixUser, Synapse, running_synapse
from waspada.testing.whatsapp import TEST_VERIFY_TOKEN, FakeWhatsApp, running_fake_whatsapp

WEBHOOK_PATH = "/obrolan/whatsapp/webhook/"


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


TEMPLATES = {
    ("waspada_pemberitahuan", "id"): "Pemberitahuan Waspada: {{1}} Buka: {{2}}",
    ("waspada_pemberitahuan", "en"): "Waspada notice: {{1}} Open: {{2}}",
    # The authentication template (its body is Meta's own wording, the code as {{1}}).
    ("waspada_kode", "id"): "*{{1}}* adalah kode verifikasi Anda.",
    ("waspada_kode", "en"): "*{{1}}* is your verification code.",
}


@pytest.fixture
def whatsapp(settings: Settings) -> Iterator[FakeWhatsApp]:
    """The Cloud API stand-in, configured as Waspada's WhatsApp number; its webhooks reach the app
    through the test client (same signed body and headers as over HTTP)."""
    with running_fake_whatsapp(templates=dict(TEMPLATES)) as api:
        settings.WASPADA_WHATSAPP_API_URL = api.url
        settings.WASPADA_WHATSAPP_ACCESS_TOKEN = api.token
        settings.WASPADA_WHATSAPP_PHONE_NUMBER_ID = api.phone_number_id
        settings.WASPADA_WHATSAPP_APP_SECRET = api.app_secret
        settings.WASPADA_WHATSAPP_VERIFY_TOKEN = TEST_VERIFY_TOKEN

        def deliver(body: bytes, headers: dict[str, str]) -> int:
            extra = {k: v for k, v in headers.items() if k != "Content-Type"}
            response = Client().generic(
                "POST", WEBHOOK_PATH, body, content_type="application/json", headers=extra
            )
            return int(response.status_code)

        api.deliver = deliver
        yield api


SMS_WEBHOOK_PATH = "/obrolan/sms/android/"
SMS_HTTP_PATH = "/obrolan/sms/http/"


def _through_test_client(path: str, body: bytes, headers: dict[str, str]) -> int:
    """A gateway's POST into the app through the test client: the same body and headers as over HTTP."""
    content_type = headers.get("Content-Type", "application/json")
    extra = {k: v for k, v in headers.items() if k != "Content-Type"}
    return int(Client().generic("POST", path, body, content_type=content_type, headers=extra).status_code)


@pytest.fixture
def sms(settings: Settings) -> Iterator[FakeSmsGateway]:
    """SMS Gateway for Android's stand-in, configured as Waspada's SMS gateway."""
    with running_fake_sms_gateway() as api:
        settings.WASPADA_SMS_PROVIDER = "android"
        settings.WASPADA_SMS_GATEWAY_URL = api.url
        settings.WASPADA_SMS_GATEWAY_USERNAME = api.username
        settings.WASPADA_SMS_GATEWAY_PASSWORD = api.password
        settings.WASPADA_SMS_WEBHOOK_SIGNING_KEY = api.signing_key
        api.webhook_url = SMS_WEBHOOK_PATH
        api.deliver = _through_test_client
        yield api


@pytest.fixture
def aggregator(settings: Settings) -> Iterator[FakeAggregator]:
    """The generic HTTP aggregator's stand-in, configured as Waspada's SMS gateway."""
    with running_fake_aggregator() as api:
        settings.WASPADA_SMS_PROVIDER = "http"
        settings.WASPADA_SMS_HTTP_SEND_URL = api.url + "/send"
        settings.WASPADA_SMS_HTTP_TOKEN = api.send_token
        settings.WASPADA_SMS_HTTP_INBOUND_TOKEN = api.inbound_token
        settings.WASPADA_SMS_HTTP_FORMAT = "form"
        settings.WASPADA_SMS_HTTP_DEDUPES = True
        api.webhook_url = SMS_HTTP_PATH
        api.deliver = _through_test_client
        yield api
