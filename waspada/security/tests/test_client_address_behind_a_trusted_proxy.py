"""Behind nginx the client's address comes from X-Forwarded-For, but only from a trusted proxy."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from waspada.audit.models import AuditEntry
from waspada.security.addresses import client_address_behind_proxies, network_of


@pytest.fixture
def behind_nginx(settings: Settings) -> Settings:
    settings.WASPADA_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    return settings


def test_the_rightmost_untrusted_hop_is_the_client(behind_nginx: Settings) -> None:
    assert client_address_behind_proxies("127.0.0.1", "198.51.100.9") == "198.51.100.9"
    # A client cannot pass itself off as someone else by sending the header itself.
    assert client_address_behind_proxies("127.0.0.1", "1.2.3.4, 198.51.100.9") == "198.51.100.9"
    assert client_address_behind_proxies("127.0.0.1", "198.51.100.9, 10.1.2.3") == "198.51.100.9"
    assert client_address_behind_proxies("127.0.0.1", "bukan-alamat, 198.51.100.9") == "198.51.100.9"
    assert client_address_behind_proxies("127.0.0.1", "") == "127.0.0.1"


def test_the_header_from_an_untrusted_peer_is_ignored(behind_nginx: Settings) -> None:
    assert client_address_behind_proxies("203.0.113.5", "198.51.100.9") == "203.0.113.5"


def test_without_trusted_proxies_nothing_changes(settings: Settings) -> None:
    settings.WASPADA_TRUSTED_PROXIES = []
    assert client_address_behind_proxies("127.0.0.1", "198.51.100.9") == "127.0.0.1"


def test_ipv6_clients_are_grouped_by_their_slash_64() -> None:
    assert network_of("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert network_of("::ffff:192.0.2.1") == "192.0.2.1"
    assert network_of("nonsense") == "unknown"


@pytest.mark.django_db
def test_the_audit_trail_records_the_client_not_the_proxy(behind_nginx: Settings) -> None:
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    client.post("/akun/masuk/", {"username": "siapa.saja", "password": "salah-sekali"})
    assert AuditEntry.objects.get(action="login.failed").source_ip == "198.51.100.9"
