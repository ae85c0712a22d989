"""The server's operator can reset a lost authenticator and lift a lockout from the command line."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.security.models import LoginThrottle, TotpDevice
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import enrol_totp

pytestmark = pytest.mark.django_db


def test_reset_two_factor_removes_the_authenticator_and_records_it(kesbangpol_admin: Any) -> None:
    enrol_totp(kesbangpol_admin)
    out = StringIO()
    call_command("reset_two_factor", kesbangpol_admin.username, stdout=out)
    assert "harus mendaftarkan" in out.getvalue()
    assert not TotpDevice.objects.filter(person=kesbangpol_admin).exists()
    entry = AuditEntry.objects.get(action="two_factor.reset")
    assert entry.channel == "cli" and entry.actor is None


def test_unlock_login_lifts_an_account_lockout(desa_reporter: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.77")
    for _n in range(5):
        client.post("/akun/masuk/", {"username": desa_reporter.username, "password": "salah-sekali"})
    assert LoginThrottle.objects.filter(locked_until__isnull=False).exists()
    call_command("unlock_login", desa_reporter.username, stdout=StringIO())
    answer = client.post("/akun/masuk/", {"username": desa_reporter.username, "password": PERSONA_PASSWORD})
    assert answer.status_code == 302
    assert AuditEntry.objects.get(action="login.unlocked").channel == "cli"


def test_unlock_login_by_address(desa_reporter: Any) -> None:
    for n in range(20):
        Client(REMOTE_ADDR="2001:db8:9:9::1").post("/akun/masuk/", {"username": f"x{n}", "password": "salah"})
    call_command("unlock_login", address="2001:db8:9:9::abcd", stdout=StringIO())
    answer = Client(REMOTE_ADDR="2001:db8:9:9::1").post(
        "/akun/masuk/", {"username": desa_reporter.username, "password": PERSONA_PASSWORD}
    )
    assert answer.status_code == 302
