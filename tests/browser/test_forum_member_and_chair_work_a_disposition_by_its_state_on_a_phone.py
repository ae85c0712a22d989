"""Issue 17, parts 6 and 7, on a 360x740 phone in a real Chromium: an FKUB member opens a new
disposition and is offered only "Terima" (handing back sits apart, behind a confirmation);
acknowledged, she records an action and may close; the forum's chair assigns it to her; she is
told, and closing leaves only "Buka kembali". Screenshots go to docs/screenshots/journeys/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from waspada.forums.actions import add_membership
from waspada.forums.models import Forum, Role
from waspada.notify.events import Kind
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event
from waspada.people.actions import create_person
from waspada.response.tests.helpers import verified
from waspada.testing.browser import PHONE
from waspada.testing.personas import PERSONA_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEYS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "journeys"


def log_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{url}/")


def offered(page: Any) -> list[str]:
    """The action buttons a person can see now (those in the closed danger zone are hidden)."""
    texts: list[str] = page.locator("section.disposition-actions button:visible").all_inner_texts()
    return [text.strip() for text in texts]


def shoot(page: Any, name: str) -> None:
    JOURNEYS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(JOURNEYS / f"response-{name}.png"), full_page=True)


def test_a_member_acknowledges_acts_and_closes_and_the_chair_assigns_it(
    phone: Any,
    chromium: Any,
    live_server: Any,
    desa_reporter: Any,
    kesbangpol_analyst: Any,
    fkub_officer: Any,
) -> None:
    chair = create_person(
        username="ketua.fkub",
        full_name="Haji Abdul Rahman",
        email="ketua.fkub@example.id",
        password=PERSONA_PASSWORD,
    )
    add_membership(person=chair, forum=Forum.objects.get(code="FKUB-6401"), role=Role.KETUA, by=None)
    report = verified(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga")
    fkub = report.dispositions.get(forum__code="FKUB-6401")
    url = live_server.url

    # The member opens the new disposition: only "Terima"; handing back is set apart.
    log_in(phone, url, fkub_officer.username)
    phone.get_by_role("link", name="Tindak lanjut", exact=True).click()
    phone.get_by_role("link", name=report.reference).first.click()
    main = phone.locator("main")
    assert "Batas terima" in main.inner_text() and "Batas selesai" not in main.inner_text()
    assert offered(phone) == ["Terima disposisi"]
    assert phone.get_by_text("Kembalikan, alihkan, atau tarik disposisi").is_visible()
    shoot(phone, "1-new-disposition")

    phone.get_by_role("button", name="Terima disposisi").click()
    assert "Disposisi diterima." in main.inner_text()
    assert "Batas selesai" in main.inner_text() and "Batas terima" not in main.inner_text()
    assert offered(phone) == ["Catat tindak lanjut", "Tutup", "Jeda"]
    phone.get_by_label("Tindak lanjut yang dilakukan").fill("Dialog dengan panitia dan warga di balai desa.")
    phone.get_by_role("button", name="Catat tindak lanjut").click()
    assert "Tindak lanjut dicatat." in main.inner_text()
    shoot(phone, "2-acknowledged")

    # Handing back is confirmed: the browser will not send it without the box ticked.
    phone.get_by_text("Kembalikan, alihkan, atau tarik disposisi").click()
    phone.get_by_label("Kembalikan ke TKD (bukan kewenangan forum ini)").fill("Bukan kewenangan FKUB")
    phone.get_by_role("button", name="Kembalikan", exact=True).click()
    assert phone.get_by_label("Ya, kembalikan disposisi ini ke TKD").is_visible()
    zone = phone.locator("details.danger-zone")
    JOURNEYS.mkdir(parents=True, exist_ok=True)
    zone.screenshot(path=str(JOURNEYS / "response-3-hand-back-asks-confirmation.png"))
    fkub.refresh_from_db()
    assert fkub.status == "ditangani"

    # The chair, on her own phone, assigns it to the member.
    context = chromium.new_context(viewport=PHONE, locale="id-ID")
    try:
        chair_page = context.new_page()
        log_in(chair_page, url, chair.username)
        chair_page.goto(f"{url}/tindak-lanjut/{fkub.pk}/")
        assert "Tugaskan" in offered(chair_page)
        chair_page.get_by_label("Tugaskan kepada anggota forum").select_option(
            label="Ketut Wirawan (Anggota)"
        )
        chair_page.get_by_role("button", name="Tugaskan", exact=True).click()
        chair_main = chair_page.locator("main").inner_text()
        assert "Disposisi ditugaskan kepada Ketut Wirawan." in chair_main
        assert "Ditugaskan kepada" in chair_main
        shoot(chair_page, "4-chair-assigns")
    finally:
        context.close()

    # The member is told, and the link opens her disposition.
    fan_out(Event.objects.get(kind=Kind.DISPOSITION_ASSIGNED, disposition=fkub).pk)
    phone.goto(f"{url}/notifikasi/")
    assert "Disposisi ditugaskan kepada Anda" in phone.locator("main").inner_text()
    phone.goto(f"{url}/tindak-lanjut/")
    assert "Ditugaskan kepada Ketut Wirawan" in main.inner_text()
    phone.get_by_role("link", name=report.reference).first.click()

    phone.get_by_label("Tutup dengan hasil").select_option("tertangani")
    phone.get_by_label("Ringkasan penyelesaian").fill("Disepakati menunggu izin lengkap.")
    phone.get_by_role("button", name="Tutup", exact=True).click()
    assert "Disposisi ditutup." in main.inner_text()
    assert offered(phone) == ["Buka kembali"]
    shoot(phone, "5-closed")
    fkub.refresh_from_db()
    assert fkub.status == "selesai" and fkub.assigned_to == fkub_officer
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
