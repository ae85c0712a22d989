"""A reporter reads in the notification centre that their report was received and verified, and
sets quiet hours for e-mail, on a 360 px phone in a real Chromium."""

from __future__ import annotations

from typing import Any

import pytest

from waspada.notify import outbox
from waspada.notify.models import Notification, Preference
from waspada.response.tests.helpers import verified
from waspada.testing.browser import ARTIFACTS
from waspada.testing.personas import PERSONA_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporter_reads_their_notifications_and_sets_quiet_hours(
    phone: Any, live_server: Any, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    report = verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga")
    outbox.process_pending()

    phone.goto(f"{live_server.url}/akun/masuk/")
    phone.get_by_label("Nama pengguna").fill(desa_reporter.username)
    phone.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    phone.get_by_role("button", name="Masuk").click()
    phone.wait_for_url(f"{live_server.url}/")
    phone.get_by_role("link", name="Notifikasi", exact=True).click()
    main = phone.locator("main").inner_text()
    assert f"Laporan baru {report.reference}" in main
    assert f"Laporan diverifikasi {report.reference}" in main
    assert "belum dibaca" in main
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "notification-centre-on-a-phone.png"), full_page=True)

    phone.get_by_role("button", name="Tandai 2 notifikasi dibaca").click()
    assert "belum dibaca" not in phone.locator("main").inner_text()
    assert not Notification.objects.unread().filter(person=desa_reporter).exists()

    phone.get_by_role("link", name="Pengaturan notifikasi dan akun obrolan").click()
    phone.get_by_label("Mulai tingkat Surel").select_option("awas")
    phone.get_by_label("Jam tenang mulai Surel").fill("22:00")
    phone.get_by_label("Jam tenang selesai Surel").fill("06:00")
    phone.get_by_role("button", name="Simpan").click()
    assert "Pengaturan notifikasi disimpan." in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    email = Preference.objects.get(person=desa_reporter, channel="email")
    assert email.min_level == "awas" and str(email.quiet_start) == "22:00:00"
