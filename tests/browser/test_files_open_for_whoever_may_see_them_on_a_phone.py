"""Photos and proof files open on a 360 px phone in a real Chromium: the reporter attaches a photo
to her report, sees its thumbnail on her report page and opens the full photo; an FKUB member
records a follow-up with a photo and a PDF as proof and opens them from the disposition page.
Screenshots go to docs/screenshots/journeys/files-*.png."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from waspada.reports.actions import verify_report
from waspada.reports.models import Report
from waspada.testing.browser import PHONE
from waspada.testing.personas import PERSONA_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "journeys"
LOMBOK = "64.01.06.2006"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scene(sky: str, ground: str, label: str) -> bytes:
    """A 1600x1200 phone photo: sky, ground and a signboard (a real photo's size, not a real photo)."""
    image = Image.new("RGB", (1600, 1200), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 700, 1600, 1200), fill=ground)
    draw.rectangle((500, 380, 1100, 640), fill="white", outline="black", width=12)
    draw.rectangle((780, 640, 820, 900), fill="saddlebrown")
    draw.text((540, 480), label, fill="black", font_size=90)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def log_in(page: Any, url: str, person: Any) -> None:
    page.goto(f"{url}/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(person.username)
    page.get_by_label("Kata sandi").fill(PERSONA_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{url}/")


def image_loaded(page: Any, selector: str) -> bool:
    """The thumbnail (loaded lazily, once near the screen) arrived and decoded as an image."""
    page.locator(selector).scroll_into_view_if_needed()
    page.wait_for_function(
        "sel => { const img = document.querySelector(sel); return img && img.complete }", arg=selector
    )
    return bool(page.eval_on_selector(selector, "img => img.naturalWidth > 0"))


def test_the_reporter_and_the_forum_open_their_photos_and_proof_on_a_phone(
    phone: Any,
    chromium: Any,
    live_server: Any,
    desa_reporter: Any,
    kesbangpol_analyst: Any,
    fkub_officer: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    photo = tmp_path / "penolakan renovasi.jpg"
    photo.write_bytes(scene("lightskyblue", "olivedrab", "RENOVASI"))

    # The reporter files a report with a photo.
    log_in(phone, live_server.url, desa_reporter)
    phone.goto(f"{live_server.url}/laporan/baru/")
    phone.get_by_label("Judul singkat").fill("Penolakan renovasi rumah ibadah di Desa Lombok")
    phone.get_by_role("radio", name="Waspada").check()
    phone.get_by_label("Isu").select_option("agama")
    phone.get_by_label("Kelas ATHG").select_option("gangguan")
    phone.get_by_label("Lokasi (desa/kelurahan atau kecamatan)").fill(LOMBOK)
    phone.get_by_label("Apa yang terjadi").fill("Warga menolak renovasi; panitia dan warga bersitegang.")
    phone.get_by_role("checkbox", name="Sosial budaya").check()
    phone.get_by_label("Foto atau PDF (maks. 5 berkas, 10 MB per berkas)").set_input_files(str(photo))
    phone.get_by_role("button", name="Kirim laporan").click()
    phone.wait_for_url("**/laporan/SKD-*/")
    report = Report.objects.get()
    attachment = report.attachments.get()

    # Her report page shows the thumbnail, not "image/jpeg (… KB)", and no /media/ address.
    thumbnail = f'img[src="/laporan/{report.reference}/lampiran/{attachment.pk}/kecil/"]'
    phone.wait_for_selector(thumbnail)
    assert image_loaded(phone, thumbnail)
    main = phone.locator("main").inner_text()
    assert "image/jpeg" not in main and "Buka foto" in main
    assert "/media/" not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(SCREENSHOTS / "files-report-thumbnail.png"), full_page=True)

    # She opens the full photo (a new tab): the browser shows the image itself.
    with phone.context.expect_page() as opened:
        phone.locator(thumbnail).click()
    full = opened.value
    full.wait_for_load_state()
    assert full.evaluate("document.contentType") == "image/jpeg"
    size = full.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]")
    assert size == [1600, 1200]
    full.screenshot(path=str(SCREENSHOTS / "files-full-photo.png"))
    full.close()

    # The analyst verifies (routing tasks the FKUB); the FKUB member records a follow-up with proof.
    verify_report(report=report, by=kesbangpol_analyst)
    fkub = report.dispositions.get(forum__code="FKUB-6401")
    member = chromium.new_context(viewport=PHONE, locale="id-ID").new_page()
    log_in(member, live_server.url, fkub_officer)
    member.goto(f"{live_server.url}/tindak-lanjut/{fkub.pk}/")
    member.get_by_role("button", name="Terima disposisi").click()  # the forum says it has it first
    proof = tmp_path / "mediasi balai desa.jpg"
    proof.write_bytes(scene("lightgray", "peru", "MEDIASI"))
    minutes = tmp_path / "berita acara mediasi.pdf"
    minutes.write_bytes(PDF)
    member.get_by_label("Tindak lanjut yang dilakukan").fill(
        "Mediasi di balai desa bersama panitia dan warga."
    )
    member.get_by_label("Bukti (foto atau PDF, boleh lebih dari satu)").set_input_files(
        [str(proof), str(minutes)]
    )
    member.get_by_role("button", name="Catat tindak lanjut").click()
    assert "Tindak lanjut dicatat." in member.locator("main").inner_text()
    photo_proof, _pdf_proof = fkub.timeline.get(kind="tindakan").proofs.order_by("pk")
    proof_thumbnail = f'img[src="/tindak-lanjut/{fkub.pk}/bukti/{photo_proof.pk}/kecil/"]'
    assert image_loaded(member, proof_thumbnail)
    pdf_link = member.get_by_role("link", name="berita acara mediasi.pdf")
    assert "(PDF, " in member.locator("ul.files").inner_text()
    assert member.evaluate("document.documentElement.scrollWidth") <= 360
    member.locator("ol.timeline").screenshot(path=str(SCREENSHOTS / "files-disposition-proof.png"))

    with member.context.expect_page() as opened:
        member.locator(proof_thumbnail).click()
    full = opened.value
    full.wait_for_load_state()
    assert full.evaluate("document.contentType") == "image/jpeg"
    full.close()
    response = member.request.get(f"{live_server.url}{pdf_link.get_attribute('href')}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="berita acara mediasi.pdf"'
    assert response.body() == PDF

    # The reporter, who does not see dispositions, gets a missing file's page for the proof.
    refused = phone.goto(f"{live_server.url}/tindak-lanjut/{fkub.pk}/bukti/{photo_proof.pk}/")
    assert refused is not None and refused.status == 404
    assert "Halaman tidak ditemukan" in phone.locator("main").inner_text()
    assert phone.get_by_role("link", name="Ke beranda").is_visible()
    phone.screenshot(path=str(SCREENSHOTS / "files-not-found.png"))
    member.context.close()
