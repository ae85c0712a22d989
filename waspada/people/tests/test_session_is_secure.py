"""Session cookies a script cannot read, sent only by our own site, and passwords hashed with Argon2."""

import pytest
from django.test import Client

from waspada.people.actions import create_person
from waspada.people.models import Person
from waspada.testing.personas import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_session_cookie_is_httponly_and_samesite_lax(client: Client, desa_reporter: Person) -> None:
    response = client.post("/akun/masuk/", {"username": desa_reporter.username, "password": PERSONA_PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_the_session_ends_with_the_browser_and_after_idle_hours(
    client: Client, desa_reporter: Person
) -> None:
    client.force_login(desa_reporter)
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() <= 8 * 60 * 60


def test_passwords_are_stored_with_argon2(db: None) -> None:
    person = create_person(
        username="operator.desa",
        full_name="Yohanes Liu",
        email="yohanes@waspada.test",
        password="Lada-Hitam-Muara-9",
    )
    stored = Person.objects.get(pk=person.pk).password
    assert stored.startswith("argon2$argon2id$")
    assert "Lada-Hitam-Muara-9" not in stored
    assert person.check_password("Lada-Hitam-Muara-9")


def test_personas_passwords_are_argon2_too(desa_reporter: Person) -> None:
    assert Person.objects.get(pk=desa_reporter.pk).password.startswith("argon2$argon2id$")
