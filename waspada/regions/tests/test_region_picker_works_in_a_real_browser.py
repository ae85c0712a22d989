"""The region picker in Debian's Chromium: type, arrow down, Enter; under a strict CSP."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Level
from waspada.regions.widgets import RegionPickerField

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class LocationForm(forms.Form):
    lokasi = RegionPickerField(level=Level.DESA, within="64.01", label="Lokasi kejadian")


def open_picker_page(page: Any, live_server: Any) -> None:
    """A page holding only the picker, served from the live server's origin, logged in."""
    load_bundled_regions("64.01")
    user = get_user_model().objects.create_user(username="peta.wilayah", password="Sandi-Peta-2026!")
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip
    page.goto(f"{live_server.url}/api/v1/regions/64.01")  # any page of the origin, for relative URLs
    form = LocationForm()
    page.set_content(
        "<!doctype html><html lang='id'><head>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'self'; script-src 'self'; "
        "style-src 'self'\">"
        f"{form.media}</head><body><form>{form.as_div()}<button>Kirim</button></form>"
        "<script>window.inlineScriptRan = true;</script></body></html>"
    )
    page.wait_for_function("document.querySelector('[data-region-picker]').regionPicker !== undefined")
    assert page.evaluate("window.inlineScriptRan") is None  # the CSP is in force, and the picker runs


def test_typing_a_village_name_and_pressing_enter_chooses_it(phone: Any, live_server: Any) -> None:
    open_picker_page(phone, live_server)
    search = phone.get_by_role("combobox", name="Lokasi kejadian")

    search.press_sequentially("lomb")
    option = phone.get_by_role("option", name="Desa Lombok")
    option.wait_for()
    assert "Kecamatan Long Ikis" in option.inner_text()
    search.press("ArrowDown")
    assert search.get_attribute("aria-activedescendant") == option.get_attribute("id")
    search.press("Enter")

    assert phone.locator("input[name=lokasi]").input_value() == "64.01.06.2006"
    assert search.input_value() == "Desa Lombok"
    assert search.get_attribute("aria-expanded") == "false"
    assert "Desa Lombok, Kecamatan Long Ikis, Kabupaten Paser" in phone.locator("[aria-live]").inner_text()


def test_escape_closes_the_suggestions_and_restores_the_choice(phone: Any, live_server: Any) -> None:
    open_picker_page(phone, live_server)
    search = phone.get_by_role("combobox", name="Lokasi kejadian")

    search.press_sequentially("muara")
    phone.get_by_role("listbox").wait_for()
    search.press("Escape")
    assert phone.get_by_role("listbox").is_hidden()
    search.press("Escape")

    assert search.input_value() == ""
    assert phone.locator("input[name=lokasi]").input_value() == ""


def test_a_name_that_matches_nothing_says_so(phone: Any, live_server: Any) -> None:
    open_picker_page(phone, live_server)

    phone.get_by_role("combobox", name="Lokasi kejadian").press_sequentially("zzzz")

    phone.get_by_text("Tidak ada wilayah yang cocok.").wait_for()
