"""A village reporter on a 360 px phone files a report: the place by name, nothing preset.

The form opens at her own village with isu, ATHG and level unchosen; a submit without them is
refused field by field; typing "Long Ikis" offers the kecamatan and the kelurahan with where
each lies; she picks Lombok, lets the triage fill the classes (marked on the page) and sends.
Without JavaScript an ambiguous name is asked back as a list to choose from; "Gunakan lokasi
saya" turns the phone's position into the nearest village and keeps the point.
Screenshots: docs/screenshots/journeys/form-*.png.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from waspada.regions.models import Region
from waspada.reports.models import Report
from waspada.testing.browser import PHONE
from waspada.testing.personas import PERSONA_PASSWORD
from waspada.testing.report_form import PLACE_LABEL, choose_classes, choose_place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "journeys"
STORY = "Bentrok warga dengan security perusahaan sawit di Ds. Lembok Kec. Long Ikis, 3 org luka kena parang"
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\bTIMDU_PKS\b")


def shot(page: Any, name: str, *, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"form-{name}.png"), full_page=full_page)


def open_form(page: Any, live_server: Any, person: Any, *, script: bool = True) -> None:
    page.goto(f"{live_server.url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(person.username)
    page.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/laporan/baru/")
    if script:
        page.wait_for_function("document.querySelector('input[name=idempotency_key]').value !== ''")


def test_she_types_the_place_lets_triage_fill_the_classes_and_sends(
    phone: Any, live_server: Any, desa_reporter: Any
) -> None:
    open_form(phone, live_server, desa_reporter)
    place = phone.get_by_label(PLACE_LABEL)
    # Opens at her own village, with nothing chosen for her.
    assert place.input_value() == "Desa Lombok"
    assert phone.locator("input[name=region_code]").input_value() == "64.01.06.2006"
    assert "Dipilih: Desa Lombok, Kecamatan Long Ikis, Kabupaten Paser" in phone.locator("main").inner_text()
    assert phone.get_by_label("Isu").input_value() == ""
    assert phone.get_by_label("Kelas ATHG").input_value() == ""
    assert phone.locator("input[name=alert_level]:checked").count() == 0
    place.scroll_into_view_if_needed()
    shot(phone, "1-opens-at-her-village")

    phone.get_by_label("Judul singkat").fill("Bentrok di kebun sawit")
    phone.get_by_label("Apa yang terjadi").fill(STORY)
    phone.get_by_role("button", name="Kirim laporan").click()
    phone.locator("#field-isu .errorlist").wait_for()
    assert phone.locator("#field-isu .errorlist").inner_text() == "Pilih isu."
    assert phone.locator("#field-athg .errorlist").inner_text() == "Pilih kelas ATHG."
    assert phone.locator("#field-alert_level .errorlist").inner_text() == "Pilih tingkat kewaspadaan."
    phone.locator("#field-alert_level").scroll_into_view_if_needed()
    shot(phone, "2-classes-must-be-chosen")
    assert Report.objects.count() == 0

    # Namesakes are told apart by where they lie.
    place.fill("")
    place.press_sequentially("Long Ikis", delay=20)
    options = phone.locator(".region-picker-option")
    options.first.wait_for()
    place.evaluate("el => el.scrollIntoView({block: 'start'})")
    labels = phone.locator(".region-picker-option .region-picker-label").all_inner_texts()
    where = phone.locator(".region-picker-option .region-picker-context").all_inner_texts()
    assert list(zip(labels, where, strict=True))[:2] == [
        ("Kecamatan Long Ikis", "Kabupaten Paser · 64.01.06"),
        ("Kelurahan Long Ikis", "Kecamatan Long Ikis, Kabupaten Paser · 64.01.06.1001"),
    ]
    assert options.first.bounding_box()["height"] >= 44  # a thumb can hit it
    shot(phone, "3-namesakes-told-apart")
    # Only kecamatan and villages are offered: a report never lies in "Kabupaten Paser".
    place.fill("")
    place.press_sequentially("Paser", delay=20)
    phone.locator(".region-picker-option").first.wait_for()
    assert "Kabupaten Paser" not in phone.locator(".region-picker-label").all_inner_texts()
    assert "Kecamatan Paser Belengkong" in phone.locator(".region-picker-label").all_inner_texts()
    choose_place(phone, "Lombok", "Desa Lombok")
    assert place.input_value() == "Desa Lombok"

    phone.get_by_role("button", name="Sarankan isian dari teks").click()
    status = phone.locator("#triage-status")
    status.filter(has_text="Saran diisikan").wait_for()
    assert phone.get_by_label("Isu").input_value() == "agraria_korporasi"
    assert phone.get_by_label("Kelas ATHG").input_value() != ""
    assert phone.locator("input[name=alert_level]:checked").count() == 1
    assert phone.locator("#field-isu.suggested").count() == 1
    assert phone.locator("#field-isu .errorlist").count() == 0  # the value is there now
    assert "Agraria: warga dan perusahaan" in status.inner_text()
    assert CODE.findall(status.inner_text()) == []
    phone.wait_for_function("document.querySelector('input[name=region_code]').value === '64.01.06.2006'")
    assert place.input_value() == "Desa Lombok"
    phone.locator("#field-isu").scroll_into_view_if_needed()
    shot(phone, "4-suggestions-filled-visibly")

    phone.get_by_role("button", name="Kirim laporan").click()
    phone.wait_for_url(f"{live_server.url}/laporan/SKD-6401-*/")
    report = Report.objects.get()
    assert report.region_id == "64.01.06.2006" and report.isu == "agraria_korporasi"
    assert "Desa Lombok, Kecamatan Long Ikis" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(phone, "5-filed")


def test_without_javascript_an_ambiguous_name_is_asked_back(
    chromium: Any, live_server: Any, desa_reporter: Any
) -> None:
    context = chromium.new_context(viewport=PHONE, locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    try:
        open_form(page, live_server, desa_reporter, script=False)
        page.get_by_label("Judul singkat").fill("Jalan poros rusak, truk terguling")
        page.get_by_label("Apa yang terjadi").fill("Truk sawit terguling di jalan poros, lalu lintas macet.")
        choose_classes(page, isu="infrastruktur_logistik", athg="hambatan", level="normal")
        page.get_by_label(PLACE_LABEL).fill("Long Ikis")
        page.get_by_role("button", name="Kirim laporan").click()
        page.wait_for_load_state()

        candidates = page.locator("fieldset.region-picker-candidates")
        assert (
            "Ada 2 wilayah bernama “Long Ikis”" in page.locator("#field-region_code .errorlist").inner_text()
        )
        assert page.get_by_label(PLACE_LABEL).input_value() == "Long Ikis"
        assert page.get_by_label("Judul singkat").input_value() == "Jalan poros rusak, truk terguling"
        assert page.get_by_label("Isu").input_value() == "infrastruktur_logistik"
        candidates.scroll_into_view_if_needed()
        shot(page, "6-asks-which-long-ikis")
        assert Report.objects.count() == 0

        page.get_by_role("radio", name=re.compile("Kelurahan Long Ikis")).check()
        page.get_by_role("button", name="Kirim laporan").click()
        page.wait_for_url(f"{live_server.url}/laporan/SKD-6401-*/")
        assert Report.objects.get().region_id == "64.01.06.1001"
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_use_my_location_fills_the_nearest_village_and_keeps_the_point(
    chromium: Any, live_server: Any, desa_reporter: Any
) -> None:
    # Centroids (cahyadsn/wilayah, MIT): the bundled code list has none.
    Region.objects.filter(code="64.01.06.2006").update(latitude=-1.581678, longitude=116.095874)  # Lombok
    Region.objects.filter(code="64.01.06.2007").update(latitude=-1.587721, longitude=116.166892)  # Pait
    context = chromium.new_context(
        viewport=PHONE,
        locale="id-ID",
        geolocation={"latitude": -1.5861, "longitude": 116.1601},
        permissions=["geolocation"],
    )
    page = context.new_page()
    try:
        open_form(page, live_server, desa_reporter)
        page.get_by_role("button", name="Gunakan lokasi saya").click()
        status = page.locator("#use-location-status")
        status.filter(has_text=re.compile("^Lokasi Anda:")).wait_for()
        assert page.get_by_label(PLACE_LABEL).input_value() == "Desa Pait"
        assert "Desa Pait, Kecamatan Long Ikis" in status.inner_text()
        assert "hanya Anda dan TKD" in status.inner_text()
        page.locator("#field-region_code").scroll_into_view_if_needed()
        shot(page, "7-my-location")

        page.get_by_label("Judul singkat").fill("Pohon tumbang menutup jalan desa")
        page.get_by_label("Apa yang terjadi").fill(
            "Pohon besar tumbang setelah hujan deras, jalan desa tertutup."
        )
        choose_classes(page, isu="bencana", athg="hambatan", level="normal")
        page.get_by_role("button", name="Kirim laporan").click()
        page.wait_for_url(f"{live_server.url}/laporan/SKD-6401-*/")
        report = Report.objects.get()
        assert report.region_id == "64.01.06.2007"
        assert (round(report.latitude or 0, 4), round(report.longitude or 0, 4)) == (-1.5861, 116.1601)
    finally:
        context.close()
