"""A logged-in person changes their own password, with the old one as proof."""

import pytest
from django.test import Client

from waspada.people.models import Person
from waspada.testing.personas import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sungai-Kandilo-Pagi-2026"


def test_a_person_changes_their_password_and_stays_logged_in(client: Client, regent: Person) -> None:
    client.force_login(regent)
    page = client.get("/akun/sandi/ubah/")
    assert page.status_code == 200
    assert "Kata sandi lama" in page.content.decode()

    response = client.post(
        "/akun/sandi/ubah/",
        {"old_password": PERSONA_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/akun/sandi/ubah/selesai/"
    assert client.get("/akun/profil/").status_code == 200  # the session survived the change
    regent.refresh_from_db()
    assert regent.check_password(NEW_PASSWORD)


def test_the_old_password_must_be_right(client: Client, regent: Person) -> None:
    client.force_login(regent)
    response = client.post(
        "/akun/sandi/ubah/",
        {"old_password": "bukan-sandi-lama", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "salah" in response.content.decode()
    regent.refresh_from_db()
    assert regent.check_password(PERSONA_PASSWORD)
