"""A village reporter logs in from a 360 px wide phone screen, in a real Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from waspada.testing.personas import PERSONA_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_logs_in_and_sees_their_forum(phone: Any, live_server: Any, desa_reporter: Any) -> None:
    phone.goto(f"{live_server.url}/akun/masuk/")
    assert phone.locator("html").get_attribute("lang") == "id"
    phone.get_by_label("Nama pengguna").fill(desa_reporter.username)
    phone.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    phone.get_by_role("button", name="Masuk").click()
    phone.wait_for_url(f"{live_server.url}/")
    assert desa_reporter.display_name in phone.locator("h1").inner_text()
    forum = desa_reporter.memberships.get().forum
    assert forum.name in phone.locator("main").inner_text()
    # Nothing overflows the phone's width.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_wrong_password_is_refused_with_an_indonesian_message(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    phone.goto(f"{live_server.url}/akun/masuk/")
    phone.get_by_label("Nama pengguna").fill(desa_reporter.username)
    phone.get_by_label("Kata sandi").fill("salah-sekali")
    phone.get_by_role("button", name="Masuk").click()
    assert "/akun/masuk/" in phone.url
    assert "benar" in phone.locator("main").inner_text()  # Django's Indonesian: "...yang benar..."
