"""Every answer carries a strict Content-Security-Policy and frame denial; HSTS behind HTTPS; and
no template holds what that policy would block."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

import waspada

pytestmark = pytest.mark.django_db

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'none'; form-action 'self'"
)


@pytest.mark.parametrize(
    "path", ["/akun/masuk/", "/api/v1/regions/64.01", "/sw.js", "/halaman-yang-tidak-ada/"]
)
def test_pages_api_and_errors_carry_the_strict_policy(client: Client, path: str) -> None:
    response = client.get(path)
    assert response["Content-Security-Policy"] == STRICT
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response  # plain HTTP: HSTS would be ignored anyway


def test_logged_in_pages_carry_it_too(client: Client, kesbangpol_analyst: Any) -> None:
    client.force_login(kesbangpol_analyst)
    for path in ["/", "/laporan/", "/akun/profil/", "/akun/dua-langkah/kelola/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Security-Policy"] == STRICT, path


def test_the_admin_runs_under_the_same_policy(client: Client, kesbangpol_admin: Any) -> None:
    client.force_login(kesbangpol_admin)
    for path in ["/admin/", "/admin/people/person/", f"/admin/people/person/{kesbangpol_admin.pk}/change/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Security-Policy"] == STRICT, path


def test_hsts_is_sent_over_https_when_configured(client: Client, settings: Settings) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/akun/masuk/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_https_setting_turns_on_secure_cookies_hsts_and_the_redirect() -> None:
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_PROXY_SSL_HEADER)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "waspada.settings",
        "WASPADA_HTTPS": "true",
        "SECRET_KEY": "x" * 50,
        "WASPADA_DATA_DIR": "/tmp",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [
        "True",
        "True",
        "True",
        "31536000",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
    ]


TEMPLATES = sorted(Path(waspada.__file__).parent.glob("**/templates/**/*.html"))
# What the policy blocks: an inline script (one without src), a <style> block, an inline event
# handler, a style attribute, a javascript: URL.
FORBIDDEN = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.IGNORECASE
)


def test_templates_were_found() -> None:
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize(
    "template", TEMPLATES, ids=lambda path: str(path.relative_to(Path(waspada.__file__).parent))
)
def test_no_template_holds_inline_script_handlers_or_styles(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    found = [match.group(0) for match in FORBIDDEN.finditer(text)]
    assert not found, f"{template}: {found}"
