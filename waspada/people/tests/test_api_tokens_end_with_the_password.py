"""A new password (changed or reset) and a second-factor reset revoke the person's API tokens, in the
same transaction and audited; reset mail is limited; the reset token reaches no server log."""

from __future__ import annotations

import logging
import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.people.tokens import create_token
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.smtp import SmtpServer, body_text
from waspada.testing.two_factor import enrol_totp

pytestmark = pytest.mark.django_db

API = "/api/v1/reports/"
NEW_PASSWORD = "Kopi-Susu-Tanah-Grogot-77"


def api_status(secret: str) -> int:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(API).status_code


def reset_link(smtp_server: SmtpServer) -> tuple[str, str]:
    found = re.search(r"http://testserver(/akun/sandi/[^#\s]*)#(\S+)", body_text(smtp_server.wait_for(1)[0]))
    assert found
    return found.group(1), found.group(2)


def test_changing_the_password_revokes_the_api_tokens(client: Client, desa_reporter: Any) -> None:
    _token, secret = create_token(person=desa_reporter, name="ponsel", by=desa_reporter)
    assert api_status(secret) == 200
    client.force_login(desa_reporter)
    changed = client.post(
        "/akun/sandi/ubah/",
        {"old_password": PERSONA_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "semua token API Anda sudah dicabut" in changed.content.decode()
    assert api_status(secret) == 401
    entry = AuditEntry.objects.get(action="token.revoked_all")
    assert entry.changes["reason"] == "password_change" and entry.changes["count"] == 1
    assert AuditEntry.objects.filter(action="person.password_changed").exists()


def test_a_password_reset_revokes_the_api_tokens(smtp_server: SmtpServer, desa_reporter: Any) -> None:
    _token, secret = create_token(person=desa_reporter, name="ponsel", by=desa_reporter)
    browser = Client()
    browser.post("/akun/sandi/lupa/", {"email": desa_reporter.email})
    page, code = reset_link(smtp_server)
    set_url = browser.post(page, {"code": code}, follow=True).redirect_chain[-1][0]
    done = browser.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "semua token API Anda sudah dicabut" in done.content.decode()
    assert api_status(secret) == 401
    assert AuditEntry.objects.get(action="token.revoked_all").changes["reason"] == "password_reset"


def test_a_second_factor_reset_revokes_the_api_tokens(kesbangpol_analyst: Any) -> None:
    enrol_totp(kesbangpol_analyst)
    _token, secret = create_token(person=kesbangpol_analyst, name="gis", by=kesbangpol_analyst)
    assert api_status(secret) == 200
    call_command("reset_two_factor", kesbangpol_analyst.username, stdout=StringIO())
    assert api_status(secret) == 401
    entry = AuditEntry.objects.get(action="token.revoked_all")
    assert entry.changes["reason"] == "two_factor_reset" and entry.channel == "cli"


def test_reset_mail_is_limited_per_account_with_the_same_answer(
    smtp_server: SmtpServer, desa_reporter: Any
) -> None:
    answers = [
        Client(REMOTE_ADDR=f"203.0.113.{n + 1}").post("/akun/sandi/lupa/", {"email": desa_reporter.email})
        for n in range(15)
    ]
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, "/akun/sandi/lupa/terkirim/")
    }
    smtp_server.wait_for(3)
    assert len(smtp_server.messages) == 3


def test_reset_mail_is_limited_per_address(smtp_server: SmtpServer, desa_reporter: Any) -> None:
    guesser = Client(REMOTE_ADDR="192.0.2.77")
    for n in range(10):
        guesser.post("/akun/sandi/lupa/", {"email": f"tebakan{n}@waspada.test"})
    answer = guesser.post("/akun/sandi/lupa/", {"email": desa_reporter.email})
    assert answer["Location"] == "/akun/sandi/lupa/terkirim/"
    assert smtp_server.messages == []
    Client(REMOTE_ADDR="192.0.2.78").post("/akun/sandi/lupa/", {"email": desa_reporter.email})
    assert len(smtp_server.wait_for(1)) == 1


def test_the_reset_token_is_in_no_request_path_and_no_log(
    smtp_server: SmtpServer, desa_reporter: Any, caplog: pytest.LogCaptureFixture
) -> None:
    browser = Client()
    browser.post("/akun/sandi/lupa/", {"email": desa_reporter.email})
    page, code = reset_link(smtp_server)
    token = code.split("/", 1)[1].strip("/")
    # The path browsers request (and nginx and gunicorn log) ends before "#": no token in it.
    assert page == "/akun/sandi/atur/tautan/" and token not in page
    caplog.set_level(logging.DEBUG)
    requested = [page]
    assert browser.get(page).status_code == 200
    opened = browser.post(page, {"code": code}, follow=True)
    requested += [url for url, _status in opened.redirect_chain]
    done = browser.post(
        opened.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    requested.append(done["Location"])
    assert all(token not in url for url in requested)
    assert all(token not in record.getMessage() for record in caplog.records)


def test_an_administrator_setting_a_password_in_the_admin_revokes_the_api_tokens(
    client: Client, kesbangpol_admin: Any, desa_reporter: Any
) -> None:
    _token, secret = create_token(person=desa_reporter, name="ponsel", by=desa_reporter)
    enrol_totp(kesbangpol_admin)
    client.force_login(kesbangpol_admin)
    url = f"/admin/people/person/{desa_reporter.pk}/password/"
    answer = client.post(
        url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    assert answer.status_code == 302, answer.context["form"].errors
    assert api_status(secret) == 401
    entry = AuditEntry.objects.get(action="token.revoked_all")
    assert entry.changes["reason"] == "password_set" and entry.actor_id == kesbangpol_admin.pk
