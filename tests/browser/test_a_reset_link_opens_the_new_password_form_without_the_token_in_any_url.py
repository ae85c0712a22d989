"""The emailed reset link carries its token after "#": in a real Chromium the page's script sends it
in a form, the address bar loses it, and the new-password form opens at a token-less URL."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_reset_link_reaches_the_form_and_no_request_carries_the_token(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    uid = urlsafe_base64_encode(force_bytes(desa_reporter.pk))
    token = default_token_generator.make_token(desa_reporter)
    requested: list[str] = []
    phone.on("request", lambda request: requested.append(request.url))

    phone.goto(f"{live_server.url}/akun/sandi/atur/tautan/#{uid}/{token}")
    phone.wait_for_url("**/set-password/")
    assert token not in phone.url
    new_password = "Kopi-Susu-Tanah-Grogot-77"
    phone.get_by_label("Kata sandi baru", exact=True).fill(new_password)
    phone.get_by_label("Ulangi kata sandi baru").fill(new_password)
    phone.get_by_role("button", name="Simpan kata sandi").click()
    phone.wait_for_url("**/akun/sandi/atur/selesai/")
    assert "semua token API Anda sudah dicabut" in phone.locator("main").inner_text()
    assert requested and all(token not in url for url in requested)
