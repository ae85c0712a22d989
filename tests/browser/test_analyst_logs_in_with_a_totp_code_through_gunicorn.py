"""Done when (issue 10): the production application server (gunicorn, DEBUG off, collected static
files) on 127.0.0.1, and a real browser logging in with a password and a TOTP code through it.

The same server then shows that the pages and Django's admin run under the Content-Security-Policy
without a single violation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from waspada.testing.personas import PERSONA_PASSWORD, PERSONAS_BY_KEY
from waspada.testing.server import ProductionServer, running_production_server

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProductionServer]:
    with running_production_server(Path(tmp_path_factory.mktemp("served"))) as server:
        yield server


def watch_policy_violations(page: Any) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def log_in_with_both_steps(page: Any, server: ProductionServer, persona: str, next_path: str = "") -> None:
    person = PERSONAS_BY_KEY[persona]
    page.goto(f"{server.url}/akun/masuk/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Nama pengguna").fill(person.username)
    page.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{server.url}/akun/dua-langkah/**")
    assert "Verifikasi dua langkah" in page.locator("h1").inner_text()
    # The code the person's authenticator app shows now, from the secret enrolled for them.
    code = pyotp.TOTP(server.totp_secrets[persona]).now()
    page.get_by_label("Kode dari aplikasi autentikator").fill(code)
    page.get_by_role("button", name="Verifikasi").click()


def test_an_analyst_logs_in_with_password_and_totp_code_through_gunicorn(
    phone: Any, production: ProductionServer
) -> None:
    violations = watch_policy_violations(phone)
    login_page = phone.goto(f"{production.url}/akun/masuk/")
    headers = login_page.headers
    assert "gunicorn" in headers.get("server", "")  # the application server, not runserver
    assert headers["content-security-policy"].startswith("default-src 'self'; script-src 'self';")
    assert headers["x-frame-options"] == "DENY"
    # DEBUG is off: an unknown page is the plain 404, not Django's debug page.
    missing = phone.request.get(f"{production.url}/tidak-ada/")
    assert missing.status == 404 and "Django" not in missing.text()

    log_in_with_both_steps(phone, production, "kesbangpol_analyst")
    phone.wait_for_url(f"{production.url}/")
    assert PERSONAS_BY_KEY["kesbangpol_analyst"].full_name in phone.locator("h1").inner_text()
    phone.goto(f"{production.url}/laporan/")
    assert phone.url == f"{production.url}/laporan/"  # fully logged in: pages open
    cookies = {cookie["name"]: cookie for cookie in phone.context.cookies()}
    assert cookies["sessionid"]["httpOnly"] and cookies["sessionid"]["sameSite"] == "Lax"
    assert violations == []


def test_a_wrong_code_does_not_get_in(chromium: Any, production: ProductionServer) -> None:
    context = chromium.new_context(locale="id-ID")
    page = context.new_page()
    person = PERSONAS_BY_KEY["kesbangpol_analyst"]
    page.goto(f"{production.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(person.username)
    page.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{production.url}/akun/dua-langkah/**")
    page.get_by_label("Kode dari aplikasi autentikator").fill("000000")
    page.get_by_role("button", name="Verifikasi").click()
    assert "Kode tidak cocok" in page.locator("main").inner_text()
    page.goto(f"{production.url}/laporan/")
    assert "/akun/dua-langkah/" in page.url
    context.close()


def test_pages_and_the_admin_run_under_the_policy_without_violations(
    chromium: Any, production: ProductionServer
) -> None:
    context = chromium.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations = watch_policy_violations(page)
    log_in_with_both_steps(page, production, "kesbangpol_admin", next_path="/admin/")
    page.wait_for_url(f"{production.url}/admin/")
    visited = []
    for path in [
        "/admin/",
        "/admin/people/person/",
        "/admin/people/person/add/",
        "/admin/forums/forum/",
        "/admin/forums/forum/add/",
        "/",
        "/laporan/baru/",
        "/akun/profil/",
        "/akun/dua-langkah/kelola/",
        "/akun/dua-langkah/daftar/",
        "/api/docs",
    ]:
        response = page.goto(f"{production.url}{path}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, path
        visited.append(path)
    # The person change page: region picker widget, membership inline, related-object popups.
    page.goto(f"{production.url}/admin/people/person/")
    page.get_by_role("link", name=PERSONAS_BY_KEY["kesbangpol_analyst"].username).click()
    page.wait_for_load_state("networkidle")
    assert "/change/" in page.url
    page.locator("select").first.focus()
    assert violations == [], violations
    context.close()
