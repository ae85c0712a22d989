"""Analysts, administrators and informant handlers log in with a password and a TOTP code; a
password-only session can do nothing but give its code (or enrol)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db.models import F
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.people.actions import update_person
from waspada.security.models import RecoveryCode, TotpDevice
from waspada.security.two_factor import requires_second_factor
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import enrol_totp, totp_code

pytestmark = pytest.mark.django_db


def password_step(person: Any, next_url: str = "") -> tuple[Client, Any]:
    client = Client()
    data = {"username": person.username, "password": PERSONA_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client, client.post("/akun/masuk/", data)


def test_who_must_use_a_second_factor(personas: Any) -> None:
    must = {key for key, person in personas.all().items() if requires_second_factor(person)}
    # The ketua of the TKD verifies too (a senior TKD role), so signs in with two steps as well.
    assert must == {"kesbangpol_analyst", "kesbangpol_admin", "tkd_head"}
    handler = update_person(person=personas.fkub_officer, by=None, is_informant_handler=True)
    assert requires_second_factor(handler)


def test_an_analyst_without_an_authenticator_is_sent_to_enrol_and_can_do_nothing_else(
    kesbangpol_analyst: Any,
) -> None:
    client, response = password_step(kesbangpol_analyst, next_url="/laporan/")
    assert response["Location"] == "/akun/dua-langkah/daftar/?next=/laporan/"
    for path in [
        "/",
        "/laporan/",
        "/laporan/baru/",
        "/akun/profil/",
        "/tindak-lanjut/",
        "/akun/dua-langkah/",
    ]:
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer["Location"].startswith("/akun/dua-langkah/daftar/"), path
    assert client.post("/laporan/baru/", {"title": "x"})["Location"] == "/akun/dua-langkah/daftar/"
    assert client.get("/api/v1/reports/").status_code == 401  # the API: as if not logged in

    page = client.get("/akun/dua-langkah/daftar/?next=/laporan/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in html  # the QR code, drawn by the server
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")  # type: ignore[union-attr]
    assert TotpDevice.objects.get(person=kesbangpol_analyst).confirmed_at is None

    wrong = client.post("/akun/dua-langkah/daftar/", {"code": "000000", "next": "/laporan/"})
    assert "Kode tidak cocok" in wrong.content.decode()
    done = client.post("/akun/dua-langkah/daftar/", {"code": totp_code(secret), "next": "/laporan/"})
    codes = re.findall(r'<code class="token">([a-z0-9-]+)</code>', done.content.decode())
    assert len(codes) == 10 and all(len(code) == 19 for code in codes)
    # Only digests are kept.
    stored = set(RecoveryCode.objects.filter(person=kesbangpol_analyst).values_list("digest", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    entry = AuditEntry.objects.get(action="two_factor.enrolled")
    assert entry.object_id == str(kesbangpol_analyst.pk) and secret not in str(entry.changes)

    assert client.get("/laporan/").status_code == 200  # this session gave its code

    # Next login: the code is asked; a recovery code works once.
    again, response = password_step(kesbangpol_analyst)
    assert response["Location"].startswith("/akun/dua-langkah/?next=")
    assert again.get("/laporan/")["Location"].startswith("/akun/dua-langkah/")
    assert again.post("/akun/dua-langkah/", {"code": codes[0].upper()})["Location"] == "/"
    assert again.get("/laporan/").status_code == 200
    assert AuditEntry.objects.get(action="two_factor.recovery_code_used").changes == {
        "recovery_codes_left": 9
    }
    third, _response = password_step(kesbangpol_analyst)
    assert "Kode tidak cocok" in third.post("/akun/dua-langkah/", {"code": codes[0]}).content.decode()


def test_a_code_is_accepted_only_once(kesbangpol_analyst: Any) -> None:
    secret = enrol_totp(kesbangpol_analyst)
    code = totp_code(secret)
    first, _response = password_step(kesbangpol_analyst)
    assert first.post("/akun/dua-langkah/", {"code": code})["Location"] == "/"
    second, _response = password_step(kesbangpol_analyst)
    assert "Kode tidak cocok" in second.post("/akun/dua-langkah/", {"code": code}).content.decode()
    assert second.get("/")["Location"].startswith("/akun/dua-langkah/")


def test_a_password_only_session_cannot_replace_the_authenticator(kesbangpol_analyst: Any) -> None:
    enrol_totp(kesbangpol_analyst)
    client, _response = password_step(kesbangpol_analyst)
    assert client.get("/akun/dua-langkah/daftar/")["Location"].startswith("/akun/dua-langkah/")
    assert client.post("/akun/dua-langkah/daftar/", {"code": "123456"})["Location"].startswith(
        "/akun/dua-langkah/"
    )
    assert TotpDevice.objects.filter(person=kesbangpol_analyst).count() == 1


def test_wrong_codes_count_towards_the_lockout_and_end_the_session(kesbangpol_analyst: Any) -> None:
    secret = enrol_totp(kesbangpol_analyst)
    client, _response = password_step(kesbangpol_analyst)
    for _n in range(4):
        assert "Kode tidak cocok" in client.post("/akun/dua-langkah/", {"code": "000000"}).content.decode()
    last = client.post("/akun/dua-langkah/", {"code": "000000"}, follow=True)
    assert "Terlalu banyak percobaan masuk yang gagal" in last.content.decode()
    assert "_auth_user_id" not in client.session
    locked = AuditEntry.objects.get(action="login.locked")
    assert locked.changes["reason"] == "second_factor"
    # Locked: the password step is refused too, even with the right password.
    again, response = password_step(kesbangpol_analyst)
    assert response.status_code == 200 and "_auth_user_id" not in again.session
    del secret


def test_the_admin_site_needs_the_second_factor(kesbangpol_admin: Any) -> None:
    secret = enrol_totp(kesbangpol_admin)
    client, _response = password_step(kesbangpol_admin, next_url="/admin/")
    assert client.get("/admin/")["Location"].startswith("/akun/dua-langkah/")
    assert client.get("/admin/people/person/")["Location"].startswith("/akun/dua-langkah/")
    verified = client.post("/akun/dua-langkah/", {"code": totp_code(secret), "next": "/admin/"})
    assert verified["Location"] == "/admin/"
    assert client.get("/admin/people/person/").status_code == 200


def test_an_administrator_resets_a_lost_authenticator_and_it_is_recorded(
    client: Client, kesbangpol_admin: Any, kesbangpol_analyst: Any
) -> None:
    enrol_totp(kesbangpol_analyst)
    client.force_login(kesbangpol_admin)  # both steps (see waspada/testing/two_factor.py)
    response = client.post(
        "/admin/people/person/",
        {"action": "reset_second_factor", "_selected_action": [kesbangpol_analyst.pk]},
    )
    assert response.status_code == 302
    assert not TotpDevice.objects.filter(person=kesbangpol_analyst).exists()
    entry = AuditEntry.objects.get(action="two_factor.reset")
    assert entry.actor_id == kesbangpol_admin.pk and entry.object_id == str(kesbangpol_analyst.pk)
    assert entry.changes == {"must_enrol_again": True}
    _again, response = password_step(kesbangpol_analyst)
    assert response["Location"].startswith("/akun/dua-langkah/daftar/")


def test_a_reporter_may_turn_it_on_and_then_needs_it_and_may_turn_it_off(desa_reporter: Any) -> None:
    client, response = password_step(desa_reporter)
    assert response["Location"] == "/"  # optional: not asked
    assert "belum aktif" in client.get("/akun/profil/").content.decode()
    html = client.get("/akun/dua-langkah/daftar/").content.decode()
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")  # type: ignore[union-attr]
    client.post("/akun/dua-langkah/daftar/", {"code": totp_code(secret)})

    again, response = password_step(desa_reporter)
    assert response["Location"].startswith("/akun/dua-langkah/")
    assert again.post("/akun/dua-langkah/", {"code": totp_code(secret, steps_ahead=1)})["Location"] == "/"
    TotpDevice.objects.update(last_step=F("last_step") - 2)  # as if a minute had passed
    turned_off = again.post("/akun/dua-langkah/kelola/", {"action": "turn_off", "code": totp_code(secret)})
    assert turned_off["Location"] == "/akun/profil/"
    assert not TotpDevice.objects.filter(person=desa_reporter).exists()
    assert AuditEntry.objects.filter(action="two_factor.turned_off", actor=desa_reporter).exists()
    _third, response = password_step(desa_reporter)
    assert response["Location"] == "/"


def test_an_analyst_cannot_turn_it_off(client: Client, kesbangpol_analyst: Any) -> None:
    secret = enrol_totp(kesbangpol_analyst)
    client.force_login(kesbangpol_analyst)
    page = client.get("/akun/dua-langkah/kelola/").content.decode()
    assert "tidak dapat dimatikan" in page
    answer = client.post("/akun/dua-langkah/kelola/", {"action": "turn_off", "code": totp_code(secret)})
    assert "tidak dapat dimatikan" in answer.content.decode()
    assert TotpDevice.objects.filter(person=kesbangpol_analyst).exists()
