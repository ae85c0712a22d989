"""The demo as a new installation, without history and with its year of history: the analyst's
/deteksi/ says in a real browser which detectors can alarm now, and from when the others can."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from waspada.people.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
DESKTOP = {"width": 1366, "height": 900}


def _open_signals(chromium: Any, live_server: Any) -> Any:
    client = Client()
    client.force_login(Person.objects.get(username="analis.kesbangpol"))
    context = chromium.new_context(viewport=DESKTOP, locale="id-ID")
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip
    page = context.new_page()
    page.goto(f"{live_server.url}/deteksi/")
    return page


def _ready(page: Any) -> set[str]:
    rows = page.locator("tr[data-ready='1']")
    return {rows.nth(i).get_attribute("data-detector") for i in range(rows.count())}


def test_the_demo_without_history_says_only_the_death_rule_and_the_scan_can_alarm_yet(
    chromium: Any, live_server: Any
) -> None:
    call_command("demo", no_serve=True, tanpa_riwayat=True, stdout=io.StringIO())
    page = _open_signals(chromium, live_server)
    sentence = page.locator("[data-readiness-sentence]").inner_text()
    assert sentence.startswith("Deteksi statistik penuh mulai ")
    assert "baru 1 minggu" in sentence
    assert _ready(page) == {"kematian", "scan"}
    assert "mulai" in page.locator("tr[data-detector='ears_c1'] td").nth(2).inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "detection-readiness.png"), full_page=True)


def test_the_demo_with_a_year_of_history_can_alarm_with_ears_and_borrowed_strength_at_once(
    chromium: Any, live_server: Any
) -> None:
    call_command("demo", no_serve=True, stdout=io.StringIO())
    page = _open_signals(chromium, live_server)
    ready = _ready(page)
    assert {"kematian", "scan", "borrowed", "ears_c1", "ears_c2", "ears_c3", "surge"} <= ready
    assert "farrington" not in ready
    borrowed = page.locator("tr[data-detector='borrowed'] td").nth(2).inner_text()
    assert borrowed.startswith("sekarang, untuk isu:")
    page.screenshot(path=str(SCREENSHOTS / "detection-readiness-history.png"), full_page=True)
