"""Password reset by email, through a real SMTP server, from request to a login with the new password."""

import re
from typing import Any

import pytest
from django.test import Client

from waspada.people.models import Person
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.smtp import SmtpServer, body_text

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kopi-Susu-Tanah-Grogot-77"


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _reset_link(smtp_server: SmtpServer) -> tuple[str, str]:
    """The emailed link: the page, and the code after "#" (never sent to a server by browsers)."""
    link = re.search(
        r"http://testserver(/akun/sandi/atur/tautan/)#([^/\s]+/[^/\s]+)\s",
        body_text(smtp_server.wait_for(1)[0]),
    )
    assert link
    return link.group(1), link.group(2)


def _open_link(client: Client, link: tuple[str, str]) -> Any:
    """What the page's script does: post the code from the fragment, follow to the form."""
    page, code = link
    assert client.get(page).status_code == 200
    return client.post(page, {"code": code}, follow=True)


def test_a_forgotten_password_is_reset_through_the_link_in_the_email(
    client: Client, smtp_server: SmtpServer, kecamatan_fkdm_chair: Person
) -> None:
    response = client.post("/akun/sandi/lupa/", {"email": kecamatan_fkdm_chair.email})
    assert response.status_code == 302
    assert response["Location"] == "/akun/sandi/lupa/terkirim/"

    [message] = smtp_server.wait_for(1)
    assert message["To"] == kecamatan_fkdm_chair.email
    assert message["Subject"] == "Atur ulang kata sandi Waspada Kabupaten Paser"
    body = body_text(message)
    assert "Halo Muhammad Yusuf" in body
    assert kecamatan_fkdm_chair.username in body

    # The emailed link carries the token after "#"; the page posts it and redirects to a URL
    # without it, so it leaks through no access log and no Referer.
    form_page = _open_link(client, _reset_link(smtp_server))
    assert form_page.status_code == 200
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]

    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/akun/sandi/atur/selesai/"
    assert "Kata sandi tersimpan" in client.get(done["Location"]).content.decode()

    assert not Client().login(username=kecamatan_fkdm_chair.username, password=PERSONA_PASSWORD)
    logged_in = client.post(
        "/akun/masuk/", {"username": kecamatan_fkdm_chair.username, "password": NEW_PASSWORD}
    )
    assert logged_in.status_code == 302
    assert logged_in.wsgi_request.user == kecamatan_fkdm_chair


def test_a_reset_link_works_only_once(
    client: Client, smtp_server: SmtpServer, kecamatan_fkdm_chair: Person
) -> None:
    client.post("/akun/sandi/lupa/", {"email": kecamatan_fkdm_chair.email})
    link = _reset_link(smtp_server)
    set_url = _open_link(client, link).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = _open_link(Client(), link)
    assert not again.context["validlink"]
    assert "tidak berlaku lagi" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    client: Client, smtp_server: SmtpServer, kecamatan_fkdm_chair: Person
) -> None:
    unknown = client.post("/akun/sandi/lupa/", {"email": "tidak.ada@waspada.test"}, follow=True)
    known = Client().post("/akun/sandi/lupa/", {"email": kecamatan_fkdm_chair.email}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain
    assert _without_tokens(unknown.content.decode()) == _without_tokens(known.content.decode())
    [message] = smtp_server.wait_for(1)
    assert message["To"] == kecamatan_fkdm_chair.email
    assert len(smtp_server.messages) == 1


def test_a_weak_new_password_is_refused_in_indonesian(
    client: Client, smtp_server: SmtpServer, kecamatan_fkdm_chair: Person
) -> None:
    client.post("/akun/sandi/lupa/", {"email": kecamatan_fkdm_chair.email})
    set_url = _open_link(client, _reset_link(smtp_server)).redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "terlalu pendek" in page
    assert "seluruhnya terdiri dari angka" in page
