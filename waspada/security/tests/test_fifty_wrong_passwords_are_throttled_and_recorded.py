"""Password guessing meets a lockout per account and per address, recorded in the audit trail;
the right password afterwards still needs the second factor."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.security.models import LoginThrottle, ThrottleScope
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import enrol_totp, totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
LOCKED_WORDS = "Terlalu banyak percobaan masuk yang gagal"


def attempt(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def without_csrf_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def end_lockouts() -> None:
    """As if the lockout had run out (waiting 15 minutes in a test would be silly)."""
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))


def test_fifty_wrong_passwords_lock_the_account_and_the_right_one_still_needs_the_code(
    kesbangpol_analyst: Any,
) -> None:
    secret = enrol_totp(kesbangpol_analyst)
    client = Client(REMOTE_ADDR="203.0.113.7")
    answers = [attempt(client, kesbangpol_analyst.username, f"tebakan-{n}") for n in range(50)]

    assert all(answer.status_code == 200 for answer in answers)  # the form again, never a login
    assert "_auth_user_id" not in client.session
    assert LOCKED_WORDS not in answers[3].content.decode()
    for answer in answers[4:]:
        assert LOCKED_WORDS in answer.content.decode()
    # While locked, not even the right password gets in.
    during = attempt(client, kesbangpol_analyst.username, PERSONA_PASSWORD)
    assert LOCKED_WORDS in during.content.decode()
    assert "_auth_user_id" not in client.session

    # Recorded as a series and a lockout, not as fifty entries; channel web, with the address.
    entries = list(AuditEntry.objects.filter(action__startswith="login.").order_by("id"))
    assert [entry.action for entry in entries] == ["login.failed", "login.locked"]
    for entry in entries:
        assert entry.channel == "web"
        assert entry.source_ip == "203.0.113.7"
        assert entry.object_id == str(kesbangpol_analyst.pk)
        assert entry.changes["account_known"] is True
    # The name is locked from this address (the account itself only gets a delay elsewhere).
    locked = entries[1].changes["locked"]["pair"]
    assert locked["failures"] == 5 and locked["seconds"] == 15 * 60 and locked["lockout"] == 1
    throttle = LoginThrottle.objects.get(
        scope=ThrottleScope.PAIR, key=f"{kesbangpol_analyst.username}|203.0.113.7"
    )
    assert throttle.locked_until is not None and throttle.locked_until > timezone.now()

    # After the lockout, the right password is only the first step.
    end_lockouts()
    response = attempt(client, kesbangpol_analyst.username, PERSONA_PASSWORD)
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/dua-langkah/")
    assert client.get("/akun/profil/")["Location"].startswith("/akun/dua-langkah/")
    assert client.get("/laporan/")["Location"].startswith("/akun/dua-langkah/")
    verified = client.post("/akun/dua-langkah/", {"code": totp_code(secret), "next": "/akun/profil/"})
    assert verified["Location"] == "/akun/profil/"
    assert client.get("/akun/profil/").status_code == 200


def test_the_lockout_message_is_the_same_for_a_name_that_is_no_account(desa_reporter: Any) -> None:
    known = Client(REMOTE_ADDR="198.51.100.1")
    unknown = Client(REMOTE_ADDR="198.51.100.2")
    for _n in range(5):
        last_known = attempt(known, desa_reporter.username, "salah-sekali")
        last_unknown = attempt(unknown, "tidak.ada.orangnya", "salah-sekali")
    known_text = last_known.content.decode().replace("198.51.100.1", "")
    unknown_text = last_unknown.content.decode().replace("tidak.ada.orangnya", desa_reporter.username)
    assert LOCKED_WORDS in known_text
    assert without_csrf_tokens(known_text) == without_csrf_tokens(unknown_text)
    # The trail says the second name is no account, without writing the name itself.
    unknown_entries = AuditEntry.objects.filter(action__startswith="login.", source_ip="198.51.100.2")
    assert unknown_entries.count() == 2
    for entry in unknown_entries:
        assert entry.changes["account_known"] is False
        assert "tidak.ada.orangnya" not in str(entry.changes) + entry.object_repr


def test_one_address_guessing_many_accounts_is_locked_out_and_others_are_not(personas: Any) -> None:
    guesser = Client(REMOTE_ADDR="192.0.2.50")
    for n in range(20):
        attempt(guesser, f"akun.tebakan.{n}", "salah-sekali")
    refused = attempt(guesser, personas.desa_reporter.username, PERSONA_PASSWORD)
    assert LOCKED_WORDS in refused.content.decode()
    assert LoginThrottle.objects.get(scope=ThrottleScope.ADDRESS, key="192.0.2.50").locked_until is not None
    locked = AuditEntry.objects.get(action="login.locked")
    assert "address" in locked.changes["locked"] and locked.source_ip == "192.0.2.50"

    elsewhere = Client(REMOTE_ADDR="192.0.2.51")
    assert attempt(elsewhere, personas.desa_reporter.username, PERSONA_PASSWORD).status_code == 302


def test_an_ipv6_client_is_throttled_by_its_whole_slash_64(desa_reporter: Any) -> None:
    for n in range(20):
        attempt(Client(REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}"), f"akun.{n}", "salah-sekali")
    neighbour = Client(REMOTE_ADDR="2001:db8:1:2:ffff::1")
    assert LOCKED_WORDS in attempt(neighbour, desa_reporter.username, PERSONA_PASSWORD).content.decode()
    other_network = Client(REMOTE_ADDR="2001:db8:1:3::1")
    assert attempt(other_network, desa_reporter.username, PERSONA_PASSWORD).status_code == 302


def test_each_further_lockout_lasts_twice_as_long(desa_reporter: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    lengths = []
    for _round in range(3):
        for _n in range(5):
            end_lockouts()  # also waits out the account's own short delay after its fifth failure
            attempt(client, desa_reporter.username, "salah-sekali")
        throttle = LoginThrottle.objects.get(
            scope=ThrottleScope.PAIR, key=f"{desa_reporter.username}|203.0.113.9"
        )
        assert throttle.locked_until is not None
        lengths.append(round((throttle.locked_until - throttle.last_failure_at).total_seconds()))
        end_lockouts()
    assert lengths == [900, 1800, 3600]
    assert AuditEntry.objects.filter(action="login.locked").count() == 3
    assert AuditEntry.objects.filter(action="login.failed").count() == 1  # one series

    # A successful login ends the series of this name from this address: the next mistake there
    # starts from the bottom again. (The account's own series, guessing from anywhere, goes on.)
    assert attempt(client, desa_reporter.username, PERSONA_PASSWORD).status_code == 302
    assert not LoginThrottle.objects.filter(
        scope=ThrottleScope.PAIR, key=f"{desa_reporter.username}|203.0.113.9"
    ).exists()


def test_the_admin_login_page_sends_to_the_throttled_login_page(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/people/person/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/?next=/admin/people/person/"
    refused = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert refused.status_code == 302 and refused["Location"].startswith("/akun/masuk/")
