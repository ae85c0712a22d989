"""An FKUB member acknowledges a disposition, records a follow-up with a photo, and closes it,
on a 360 px phone in a real Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from waspada.reports.tests.factories import jpeg_with_gps
from waspada.response.tests.helpers import verified
from waspada.testing.personas import PERSONA_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_fkub_member_follows_up_a_disposition_to_closure(
    phone: Any,
    live_server: Any,
    desa_reporter: Any,
    kesbangpol_analyst: Any,
    fkub_officer: Any,
    tmp_path: Any,
) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga")
    fkub = report.dispositions.get(forum__code="FKUB-6401")

    phone.goto(f"{live_server.url}/akun/masuk/")
    phone.get_by_label("Nama pengguna").fill(fkub_officer.username)
    phone.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    phone.get_by_role("button", name="Masuk").click()
    phone.wait_for_url(f"{live_server.url}/")
    assert "1 disposisi terbuka" in phone.locator("main").inner_text()

    phone.get_by_role("link", name="Tindak lanjut", exact=True).click()
    phone.get_by_role("link", name=f"{report.reference}").first.click()
    phone.get_by_role("button", name="Terima disposisi").click()
    assert "Disposisi diterima." in phone.locator("main").inner_text()

    photo = tmp_path / "dialog.jpg"
    photo.write_bytes(jpeg_with_gps())
    phone.get_by_label("Tindak lanjut yang dilakukan").fill("Dialog dengan panitia dan warga di balai desa.")
    phone.get_by_label("Bukti (foto atau PDF, boleh lebih dari satu)").set_input_files(str(photo))
    phone.get_by_role("button", name="Catat tindak lanjut").click()
    main = phone.locator("main").inner_text()
    assert "Tindak lanjut dicatat." in main and "Dialog dengan panitia" in main

    # A close without a summary is refused next to the form, in Indonesian, by the server.
    phone.get_by_label("Tutup dengan hasil").select_option("tertangani")
    phone.locator("#c-text").evaluate("el => el.removeAttribute('required')")
    phone.get_by_role("button", name="Tutup", exact=True).click()
    assert "Ringkasan penyelesaian wajib diisi." in phone.locator("main").inner_text()

    phone.get_by_label("Tutup dengan hasil").select_option("tertangani")
    phone.get_by_label("Ringkasan penyelesaian").fill("Disepakati menunggu izin lengkap.")
    phone.get_by_role("button", name="Tutup", exact=True).click()
    assert "Disposisi ditutup." in phone.locator("main").inner_text()
    fkub.refresh_from_db()
    assert fkub.status == "selesai" and fkub.timeline.filter(kind="tindakan", proofs__isnull=False).exists()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
