"""Guessing at an account from many addresses slows those addresses down but never locks the owner
out: the name is counted however it is typed, the owner's known address still gets in with the
right password, a completed password reset ends every lockout, and the owner is told."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.notify.models import Event
from waspada.security.models import LoginThrottle, ThrottleScope
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.smtp import SmtpServer, body_text
from waspada.testing.two_factor import enrol_totp, totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/akun/masuk/"
LOCKED_WORDS = "Terlalu banyak percobaan masuk yang gagal"
OWNER_ADDRESS = "198.51.100.10"
# How an attacker may type "bupati": capitals, spaces around it, full-width letters.
VARIANTS = ["BUPATI", " bupati ", "\uff42\uff55\uff50\uff41\uff54\uff49", "Bupati", "bupati"]


def attempt(client: Client, username: str, password: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password})


def owner_logs_in_once(regent: Any) -> None:
    """A complete login (both steps) from the owner's office makes that address a known one."""
    from waspada.security.models import KnownAddress

    secret = enrol_totp(regent)
    office = Client(REMOTE_ADDR=OWNER_ADDRESS)
    assert attempt(office, regent.username, PERSONA_PASSWORD).status_code == 302
    office.post("/akun/dua-langkah/", {"code": totp_code(secret), "next": "/akun/profil/"})
    assert KnownAddress.objects.filter(person=regent, network=OWNER_ADDRESS).exists()


def five_addresses_guess(variants: list[str] = VARIANTS) -> None:
    for n, name in enumerate(variants):
        attempt(Client(REMOTE_ADDR=f"203.0.113.{n + 1}"), name, f"tebakan-{n}")


def end_delays() -> None:
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))


def test_five_wrong_passwords_from_five_addresses_do_not_lock_the_bupati_out(regent: Any) -> None:
    assert regent.username == "bupati"
    owner_logs_in_once(regent)
    five_addresses_guess()

    office = Client(REMOTE_ADDR=OWNER_ADDRESS)
    answer = attempt(office, regent.username, PERSONA_PASSWORD)
    assert LOCKED_WORDS not in answer.content.decode()
    assert answer.status_code == 302 and answer["Location"].startswith("/akun/dua-langkah/")
    assert "_auth_user_id" in office.session


def test_the_name_is_counted_however_it_is_typed_and_other_addresses_wait(regent: Any) -> None:
    five_addresses_guess()
    # One account series of five failures, whatever the spelling.
    row = LoginThrottle.objects.get(scope=ThrottleScope.ACCOUNT, key="bupati")
    assert row.failures == 5
    assert LoginThrottle.objects.filter(scope=ThrottleScope.ACCOUNT).count() == 1

    # A sixth address (not the owner's) waits a short while, even with the right password...
    stranger = Client(REMOTE_ADDR="192.0.2.99")
    refused = attempt(stranger, "BUPATI", PERSONA_PASSWORD)
    assert LOCKED_WORDS in refused.content.decode()
    assert "_auth_user_id" not in stranger.session
    row.refresh_from_db()
    assert row.locked_until is not None
    assert row.locked_until - timezone.now() <= timedelta(seconds=30)
    # ...and is let in once the delay has run out: never a hard lock.
    end_delays()
    assert attempt(stranger, "bupati", PERSONA_PASSWORD).status_code == 302


def test_the_delay_for_unknown_addresses_grows_with_each_failure(regent: Any) -> None:
    five_addresses_guess()
    delays = []
    for n in range(4):
        end_delays()
        attempt(Client(REMOTE_ADDR=f"192.0.2.{n + 10}"), "bupati", "salah-lagi")
        row = LoginThrottle.objects.get(scope=ThrottleScope.ACCOUNT, key="bupati")
        assert row.locked_until is not None
        delays.append(round((row.locked_until - row.last_failure_at).total_seconds()))
    assert delays == [60, 120, 240, 480]


def test_a_completed_password_reset_ends_every_lockout_of_the_account(
    regent: Any, smtp_server: SmtpServer
) -> None:
    # Someone at the owner's own café address locks the name there, and the account waits elsewhere.
    cafe = Client(REMOTE_ADDR="203.0.113.50")
    for n in range(5):
        attempt(cafe, "bupati", f"tebakan-{n}")
    assert LOCKED_WORDS in attempt(cafe, "bupati", PERSONA_PASSWORD).content.decode()

    cafe.post("/akun/sandi/lupa/", {"email": regent.email})
    page, code = re.search(
        r"http://testserver(/akun/sandi/atur/tautan/)#(\S+)", body_text(smtp_server.wait_for(1)[0])
    ).groups()  # type: ignore[union-attr]
    set_url = cafe.post(page, {"code": code}, follow=True).redirect_chain[-1][0]
    new_password = "Kopi-Susu-Tanah-Grogot-77"
    done = cafe.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert done["Location"] == "/akun/sandi/atur/selesai/"

    assert not LoginThrottle.objects.filter(scope__in=[ThrottleScope.ACCOUNT, ThrottleScope.PAIR]).exists()
    answer = attempt(cafe, "bupati", new_password)
    assert answer.status_code == 302
    entry = AuditEntry.objects.get(action="person.password_reset")
    assert entry.changes["login_series_ended"] == 2 and entry.object_id == str(regent.pk)


def test_the_owner_is_told_once_that_someone_guesses_their_password(regent: Any, desa_reporter: Any) -> None:
    five_addresses_guess()
    for n in range(3):
        end_delays()
        attempt(Client(REMOTE_ADDR=f"192.0.2.{n + 20}"), "bupati", "salah-lagi")
    [event] = Event.objects.filter(kind="account.login_failures")
    assert list(event.persons.all()) == [regent]
    assert event.level == "waspada"
    assert "kata sandi" in event.body and "alamat yang biasa Anda pakai" in event.body
    # Names that are no account tell nobody.
    for n in range(5):
        attempt(Client(REMOTE_ADDR=f"192.0.2.{n + 40}"), "tidak.ada.orangnya", "salah")
    assert Event.objects.filter(kind="account.login_failures").count() == 1
