"""Second-factor helpers for tests: enrol a persona's authenticator, compute its codes, and let
the Django test client's ``login()``/``force_login()`` stand for a complete two-step login.

Production never skips the second step (``waspada.security.two_factor``). Most tests, though,
are about something else and log an analyst or an administrator in with ``client.force_login``;
for them the root conftest.py applies ``logins_complete_the_second_factor`` to every test: after
the test client logs a person in, it gives that person an authenticator if they have none and
marks the session verified, exactly the state a person reaches by typing a valid code. Tests of
the two-step login itself go through the login page (``client.post("/akun/masuk/", ...)``),
which this does not touch, or call ``forget_second_factor(client)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyotp
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.test import Client
from django.test.client import ClientMixin
from django.utils import timezone

from waspada.lib import crypto
from waspada.people.models import Person
from waspada.security.models import TotpDevice
from waspada.security.two_factor import SESSION_KEY, confirmed_device, requires_second_factor, secret_of


def enrol_totp(person: Person) -> str:
    """Give ``person`` a confirmed authenticator (no audit entry: a fixture, not an action);
    returns its base32 secret. Idempotent: an existing authenticator is kept."""
    device = confirmed_device(person)
    if device is None:
        device = TotpDevice.objects.create(
            person=person, secret_encrypted=crypto.encrypt(pyotp.random_base32()), confirmed_at=timezone.now()
        )
    return secret_of(device)


def totp_code(secret: str, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app with ``secret`` shows now (or ``steps_ahead`` 30 s steps later:
    a code is accepted once, so a second login in the same test uses the next one)."""
    totp = pyotp.TOTP(secret)
    return totp.at(int(timezone.now().timestamp()) + steps_ahead * totp.interval)


def complete_second_factor(client: Client, person: Person) -> None:
    """Mark ``client``'s session as having passed ``person``'s second step."""
    enrol_totp(person)
    device = confirmed_device(person)
    assert device is not None
    session = client.session
    session[SESSION_KEY] = device.pk
    session.save()


def forget_second_factor(client: Client) -> None:
    """Back to a password-only session (for tests of what such a session may not do)."""
    session = client.session
    session.pop(SESSION_KEY, None)
    session.save()


def _needs_code(person: Any) -> bool:
    return isinstance(person, Person) and (
        requires_second_factor(person) or confirmed_device(person) is not None
    )


@contextmanager
def logins_complete_the_second_factor() -> Iterator[None]:
    """While active, the test client's ``login()`` and ``force_login()`` also pass the second step."""
    original_login = ClientMixin.login
    original_force_login = ClientMixin.force_login

    def login(self: Any, **credentials: Any) -> bool:
        logged_in = original_login(self, **credentials)
        if logged_in:
            person = Person.objects.filter(pk=self.session.get(AUTH_SESSION_KEY)).first()
            if person is not None and _needs_code(person):
                complete_second_factor(self, person)
        return logged_in

    def force_login(self: Any, user: Any, backend: str | None = None) -> None:
        original_force_login(self, user, backend)
        if _needs_code(user):
            complete_second_factor(self, user)

    ClientMixin.login = login  # type: ignore[method-assign]
    ClientMixin.force_login = force_login  # type: ignore[method-assign]
    try:
        yield
    finally:
        ClientMixin.login = original_login  # type: ignore[method-assign]
        ClientMixin.force_login = original_force_login  # type: ignore[method-assign]


def log_in_on_the_page(page: Any, base_url: str, person: Person, password: str) -> None:
    """Log ``person`` in through the real form in a Playwright ``page``, with the two-step code
    when their role requires one (enrolled here), and wait for the home page."""
    secret = enrol_totp(person) if requires_second_factor(person) else None
    page.goto(f"{base_url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(person.username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    if secret is not None:
        page.wait_for_url(f"{base_url}/akun/dua-langkah/**")
        page.get_by_label("Kode dari aplikasi autentikator").fill(totp_code(secret))
        page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(f"{base_url}/")
