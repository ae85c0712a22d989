"""Filling the report form in a real browser the way a person does (Playwright pages)."""

from __future__ import annotations

from typing import Any

PLACE_LABEL = "Lokasi (desa/kelurahan atau kecamatan)"


def choose_place(page: Any, typed: str, option: str) -> None:
    """Type ``typed`` into the place box and tap the suggestion whose label is ``option``
    ("Desa Lombok"); waits until the hidden code is set."""
    box = page.get_by_label(PLACE_LABEL)
    box.fill("")
    box.press_sequentially(typed, delay=20)
    choice = page.locator(".region-picker-option").filter(
        has=page.locator(".region-picker-label", has_text=option)
    )
    choice.first.click()
    page.wait_for_function("document.querySelector('input[name=region_code]').value !== ''")


def choose_classes(
    page: Any, *, isu: str = "agraria_korporasi", athg: str = "gangguan", level: str = "waspada"
) -> None:
    """Isu, ATHG and level start empty on the form: choose them."""
    page.get_by_label("Isu").select_option(isu)
    page.get_by_label("Kelas ATHG").select_option(athg)
    page.locator(f"input[name=alert_level][value={level}]").check()
