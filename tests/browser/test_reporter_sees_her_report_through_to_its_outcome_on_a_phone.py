"""The reporter's loop closes, on a 360 px phone in a real Chromium: she files a report, the
analyst verifies it, the FKUB records a step it shares with her and closes the disposition; she
opens her notification and reads her report's journey to its outcome, without the forum's
internal note or the informant's name. Screenshots: docs/screenshots/journeys/loop-*.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from waspada.notify import outbox
from waspada.reports.actions import verify_report
from waspada.reports.models import Report
from waspada.response import actions
from waspada.testing.browser import PHONE
from waspada.testing.personas import PERSONA_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JOURNEYS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "journeys"
LOMBOK = "64.01.06.2006"
TITLE = "Spanduk provokatif di dekat rumah ibadah"
SHARED = "Dialog pengurus rumah ibadah dan warga digelar di balai desa; spanduk diturunkan bersama."
INTERNAL = "Catatan internal: minta Polsek memantau akun penyebar."
INFORMANT = "Bapak Informan Rahasia"


def shot(page: Any, name: str) -> None:
    JOURNEYS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(JOURNEYS / f"loop-{name}.png"), full_page=True)


def log_in(page: Any, live_server: Any, person: Any) -> None:
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(person.username)
    page.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")


def test_reporter_files_and_reads_her_report_through_to_its_outcome(
    phone: Any,
    chromium: Any,
    live_server: Any,
    desa_reporter: Any,
    kesbangpol_analyst: Any,
    fkub_officer: Any,
) -> None:
    # 1. She files the report from her phone.
    log_in(phone, live_server, desa_reporter)
    phone.goto(f"{live_server.url}/laporan/baru/")
    phone.get_by_label("Judul singkat").fill(TITLE)
    phone.get_by_role("radio", name="Waspada").check()
    phone.get_by_label("Isu").select_option("agama")
    phone.get_by_label("Kelas ATHG").select_option("ancaman")
    phone.get_by_label("Lokasi (desa/kelurahan atau kecamatan)").fill(LOMBOK)
    phone.get_by_label("Apa yang terjadi").fill(
        "Spanduk bernada provokatif dipasang semalam dekat masjid desa."
    )
    phone.get_by_label("Nama informan (dirahasiakan)").fill(INFORMANT)
    phone.get_by_role("button", name="Kirim laporan").click()
    phone.wait_for_url(re.compile(r".*/laporan/SKD-[^/]+/$"))
    report = Report.objects.get(title=TITLE)
    assert "Perjalanan laporan Anda" in phone.locator("main").inner_text()
    shot(phone, "1-reporter-filed")

    # 2. The analyst verifies it (routing gives the FKUB a disposition).
    verify_report(report=report, by=kesbangpol_analyst)
    fkub = report.dispositions.get(forum__code="FKUB-6401")

    # 3. The FKUB member, on her own phone, records a step shared with the reporter and one not.
    context = chromium.new_context(viewport=PHONE, locale="id-ID")
    forum = context.new_page()
    try:
        log_in(forum, live_server, fkub_officer)
        forum.goto(f"{live_server.url}/tindak-lanjut/{fkub.pk}/")
        forum.get_by_role("button", name="Terima disposisi").click()  # the forum says it has it first
        forum.get_by_label("Tindak lanjut yang dilakukan").fill(INTERNAL)
        forum.get_by_role("button", name="Catat tindak lanjut").click()
        assert "Tindak lanjut dicatat." in forum.locator("main").inner_text()
        forum.get_by_label("Tindak lanjut yang dilakukan").fill(SHARED)
        forum.get_by_label("Bagikan ke pelapor", exact=False).check()
        forum.get_by_role("button", name="Catat tindak lanjut").click()
        main = forum.locator("main").inner_text()
        assert "Tindak lanjut dicatat." in main and "dibagikan ke pelapor" in main
        assert forum.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(forum, "2-forum-shares-a-step")
    finally:
        context.close()
    actions.close(
        disposition=fkub, outcome="tertangani", text="Spanduk diturunkan, warga sepakat.", by=fkub_officer
    )
    outbox.process_pending()  # the worker's fan-out

    # 4. She opens her notification and lands on her report, not on the forum's page.
    phone.goto(f"{live_server.url}/")
    phone.get_by_role("link", name="Notifikasi", exact=True).click()
    centre = phone.locator("main").inner_text()
    assert f"Disposisi selesai {report.reference}" in centre
    assert f"Tindak lanjut {report.reference}" in centre
    assert INTERNAL not in centre
    shot(phone, "3-reporter-notifications")
    phone.get_by_role("link", name=re.compile(f"^Disposisi selesai {report.reference}")).click()
    phone.wait_for_url(f"{live_server.url}/laporan/{report.reference}/")
    main = phone.locator("main").inner_text()
    assert "Selesai: Tertangani" in main
    journey = phone.locator("section.reporter-timeline").inner_text()
    for step in (
        "Laporan diterima",
        "Diverifikasi oleh Tim Kewaspadaan Dini",
        SHARED,
        "dengan hasil: Tertangani",
    ):
        assert step in journey, step
    assert INTERNAL not in main and INFORMANT not in main
    assert "Batas" not in phone.locator("section.dispositions").inner_text()  # closed: no deadline left
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.locator("section.reporter-timeline").scroll_into_view_if_needed()
    shot(phone, "4-reporter-reads-the-outcome")
