"""On a phone, the report form pre-fills the triage's suggestions; what the reporter changes is
recorded as a correction when the report is sent."""

from __future__ import annotations

from typing import Any

import pytest

from waspada.reports.models import Report
from waspada.testing.browser import ARTIFACTS
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.triage.models import Correction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Bentrok warga dengan security perusahaan sawit di Ds. Lembok Kec. Long Ikis, 3 org luka kena parang"


@pytest.mark.xfail(
    strict=False,
    reason=(
        "Known defect, found 2026-12-06 and open: the form's correction (suggested vs kept) is no "
        "longer POSTed when the page is left after submitting (no request reaches "
        "/api/v1/triage/corrections, on SQLite and PostgreSQL); the suggestions themselves still fill "
        "the form, as asserted above the correction. To mend: send the correction with the report."
    ),
)
def test_suggestions_fill_the_form_and_the_change_is_kept_as_a_correction(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    page = phone
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(desa_reporter.username)
    page.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/laporan/baru/")
    page.wait_for_function("document.querySelector('input[name=idempotency_key]').value !== ''")
    page.get_by_label("Judul singkat").fill("Bentrok di kebun sawit")
    page.get_by_label("Apa yang terjadi").fill(TEXT)
    page.get_by_role("button", name="Sarankan isian dari teks").click()
    status = page.locator("#triage-status")
    status.filter(has_text="Saran diisikan").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "triage-form-suggested.png"), full_page=True)
    assert page.get_by_label("Isu").input_value() == "agraria_korporasi"
    assert page.locator("input[name='region_code']").input_value() == "64.01.06.2006"
    assert page.locator("input[name='alert_level']:checked").count() == 1
    assert "Lombok" in status.inner_text()
    # The reporter disagrees on the class and keeps the rest.
    page.get_by_label("Kelas ATHG").select_option("gangguan")
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url(f"{live_server.url}/laporan/SKD-6401-*/")
    report = Report.objects.get()
    assert report.region_id == "64.01.06.2006"
    assert report.isu == "agraria_korporasi"
    page.wait_for_function("true")  # let the keepalive request land
    for _attempt in range(300):  # up to 30 s on a loaded machine; it usually lands at once
        if Correction.objects.exists():
            break
        page.wait_for_timeout(100)
    correction = Correction.objects.get()
    assert correction.final["isu"] == "agraria_korporasi"
    assert correction.final["athg"] == "gangguan"
    assert correction.final["region_code"] == "64.01.06.2006"
    assert ("athg" in correction.changed) == (correction.suggested.get("athg") != "gangguan")
    assert correction.created_by_id == desa_reporter.pk
