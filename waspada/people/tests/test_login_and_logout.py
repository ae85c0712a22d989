"""Logging in with a username and password, and logging out with a POST."""

import pytest
from django.conf import settings
from django.test import Client

from waspada.people.models import Person
from waspada.testing.personas import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_login_page_speaks_indonesian(client: Client) -> None:
    response = client.get("/akun/masuk/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="id">' in page
    assert "Nama pengguna" in page and "Kata sandi" in page and "Lupa kata sandi?" in page
    assert 'name="username"' in page and 'autocomplete="current-password"' in page
    assert f'<a class="brand" href="/">{settings.WASPADA_SITE_NAME}</a>' in page  # not the host name


def test_a_reporter_logs_in_and_lands_on_the_home_page(client: Client, desa_reporter: Person) -> None:
    response = client.post(
        "/akun/masuk/", {"username": desa_reporter.username, "password": PERSONA_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert response.context["user"] == desa_reporter
    assert "FKDM Desa Lombok" in response.content.decode()


def test_login_returns_to_the_page_asked_for(client: Client, desa_reporter: Person) -> None:
    response = client.post(
        "/akun/masuk/?next=/akun/profil/",
        {"username": desa_reporter.username, "password": PERSONA_PASSWORD, "next": "/akun/profil/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/akun/profil/"


def test_login_refuses_to_send_you_to_another_site(client: Client, desa_reporter: Person) -> None:
    response = client.post(
        "/akun/masuk/",
        {"username": desa_reporter.username, "password": PERSONA_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_a_wrong_password_is_refused_in_indonesian(client: Client, desa_reporter: Person) -> None:
    response = client.post("/akun/masuk/", {"username": desa_reporter.username, "password": "salah-sekali"})
    assert response.status_code == 200
    assert "yang benar" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_a_deactivated_account_cannot_log_in(client: Client, outsider: Person) -> None:
    Person.objects.filter(pk=outsider.pk).update(is_active=False)
    response = client.post("/akun/masuk/", {"username": outsider.username, "password": PERSONA_PASSWORD})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_logout_needs_a_post_and_ends_the_session(client: Client, desa_reporter: Person) -> None:
    client.force_login(desa_reporter)
    assert client.get("/akun/keluar/").status_code == 405  # a link or an image cannot log you out
    assert client.get("/").status_code == 200

    response = client.post("/akun/keluar/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/masuk/"
    assert client.get("/").status_code == 302  # back to the login page


def test_pages_need_a_login(client: Client) -> None:
    response = client.get("/akun/profil/")
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/?next=")
