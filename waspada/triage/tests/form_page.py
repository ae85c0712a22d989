"""The report form's triage button as a browser test drives it: log in, open the form, write the
story, press "Sarankan isian dari teks" and wait for its message."""

from __future__ import annotations

from typing import Any

from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.two_factor import log_in_on_the_page

# Suggested: agraria_korporasi, gangguan, siaga (cues: luka, senjata, massa), gatra, 3 injured.
TEXT = "Bentrok warga dengan security perusahaan sawit di Ds. Lembok Kec. Long Ikis, 3 org luka kena parang"


def open_form(
    page: Any, live_server: Any, person: Any, text: str = TEXT, title: str = "Kejadian di desa"
) -> None:
    log_in_on_the_page(page, live_server.url, person, PERSONA_PASSWORD)
    page.goto(f"{live_server.url}/laporan/baru/")
    page.wait_for_function("document.querySelector('input[name=idempotency_key]').value !== ''")
    page.get_by_label("Judul singkat").fill(title)
    page.get_by_label("Apa yang terjadi").fill(text)


def ask(page: Any) -> Any:
    """Press the button; returns its message once the suggestion is filled in."""
    page.get_by_role("button", name="Sarankan isian dari teks").click()
    status = page.locator("#triage-status")
    status.filter(has_text="Saran diisikan").wait_for()
    return status
