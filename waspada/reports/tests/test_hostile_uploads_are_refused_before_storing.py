"""Hostile uploads are refused, with the field named, before anything is stored (issue 22, points 1
and 6): an image too large to decode is refused from its header alone; a PDF that could act when
opened (JavaScript, an HTML page in disguise, a program inside) is refused; a photo comes back
without its JPEG comment. Through the report form, the API and the one check behind both.

The files are made here: the big PNG is written row by row into a compressor (mode "1", all
white), so it is a valid 45-megapixel image of a few kilobytes that the test never holds decoded.
"""

from __future__ import annotations

import io
import struct
import time
import zlib
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image, ImageFile

from waspada.people.models import Person
from waspada.people.tokens import create_token
from waspada.reports.actions import attach_file
from waspada.reports.models import Attachment, Report
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db

PLAIN_PDF = (
    b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>endobj\n"
    b"trailer<< /Root 1 0 R >>\n%%EOF\n"
)
PDF_WITH_JAVASCRIPT = (
    b"%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R"
    b" /OpenAction << /S /JavaScript /JS (app.launchURL('http://contoh.invalid/')) >> >>endobj\n"
    b"trailer<< /Root 1 0 R >>\n%%EOF\n"
)
HTML_AS_PDF = (
    b"%PDF-1.4\n<!DOCTYPE html><html><body><script>fetch('/api/v1/me')</script></body></html>\n%%EOF\n"
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100
PDF_WITH_PROGRAM = (
    b"%PDF-1.4\n1 0 obj<< /Length " + str(len(ELF)).encode() + b" >>stream\n" + ELF + b"\nendstream endobj\n"
    b"trailer<< /Root 1 0 R >>\n%%EOF\n"
)


def _png_header_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def big_png(width: int = 7500, height: int = 6000) -> bytes:
    """A valid 1-bit PNG of widthxheight white pixels, compressed row by row (a few KB)."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_header_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + _png_header_chunk(b"IDAT", pixels)
        + _png_header_chunk(b"IEND", b"")
    )


def jpeg_with_comment() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(
        out,
        format="JPEG",
        comment=b"PESAN-TERSEMBUNYI",
        icc_profile=b"PROFIL-WARNA-PALSU",
        xmp=b"<x:xmpmeta>XMP-TERSEMBUNYI</x:xmpmeta>",
    )
    return out.getvalue()


def jpeg_markers(data: bytes) -> list[int]:
    """The JPEG's segment markers up to the image data (start of scan)."""
    markers, at = [], 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:
            break
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]
    return markers


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def decoded(monkeypatch) -> list[object]:  # type: ignore[no-untyped-def]
    """Every image Pillow decodes during the test."""
    calls: list[object] = []
    original = ImageFile.ImageFile.load

    def spy(self):  # type: ignore[no-untyped-def]
        calls.append(self)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return calls


def _attach(person: Person, data: bytes, name: str) -> tuple[Report, ValidationError]:
    report = submit(person).report
    with pytest.raises(ValidationError) as caught:
        attach_file(report=report, uploader=person, data=data, original_name=name)
    return report, caught.value


def _form(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Bentrok di kebun sawit",
        "what": "Bentrok warga dengan security perusahaan sawit di Ds. Lombok, 3 orang luka.",
        "isu": "agraria_korporasi",
        "athg": "ancaman",
        "alert_level": "siaga",
        "region_code": "64.01.06.2006",
        "region_code_text": "Lombok",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "jenis": "insidentil",
        "source_reliability": "F",
        "info_credibility": "6",
        "classification": "biasa",
        "idempotency_key": "draf-unggahan",
    }
    values.update(overrides)
    return values


def _post_form(person: Person, upload: SimpleUploadedFile) -> Any:
    client = Client()
    client.force_login(person)
    return client.post("/laporan/baru/", _form(lampiran=upload), HTTP_ACCEPT="application/json")


def _post_api(person: Person, report: Report, name: str, data: bytes) -> Any:
    _row, raw = create_token(person=person, name="Aplikasi ponsel", by=person)
    return Client().post(
        f"/api/v1/reports/{report.reference}/attachments",
        {"file": SimpleUploadedFile(name, data)},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )


def _field_messages(response: Any, field: str) -> list[str]:
    return [error["message"] for error in response.json()["errors"] if error["field"] == field]


# 1. Decompression bombs: the size from the header, before decoding.


def test_a_45_megapixel_png_is_refused_from_its_header_without_decoding(
    desa_reporter, media, decoded
) -> None:
    bomb = big_png()
    assert len(bomb) < 100_000  # a few KB that would decode to 45 million pixels
    report = submit(desa_reporter).report
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        attach_file(report=report, uploader=desa_reporter, data=bomb, original_name="peta.png")
    assert time.monotonic() - started < 0.5  # decoding it took seconds and 45 MB
    assert decoded == []
    message = caught.value.message_dict["attachments"][0]
    assert "terlalu besar" in message and "7500x6000" in message
    assert report.attachments.count() == 0


def test_an_image_within_the_limit_is_still_decoded_and_stored(desa_reporter, media, decoded) -> None:
    report = submit(desa_reporter).report
    attachment = attach_file(
        report=report, uploader=desa_reporter, data=big_png(800, 600), original_name="a.png"
    )
    assert attachment.content_type == "image/png"
    assert decoded


def test_the_report_form_refuses_the_45_megapixel_png_and_stores_no_report(
    desa_reporter, media, decoded
) -> None:
    response = _post_form(desa_reporter, SimpleUploadedFile("peta.png", big_png(), content_type="image/png"))
    assert response.status_code == 422
    assert any("terlalu besar" in message for message in _field_messages(response, "lampiran"))
    assert decoded == []
    assert not Report.objects.exists()
    assert not Attachment.objects.exists()


def test_the_api_refuses_the_45_megapixel_png(desa_reporter, media, decoded) -> None:
    report = submit(desa_reporter).report
    response = _post_api(desa_reporter, report, "peta.png", big_png())
    assert response.status_code == 422
    assert any("terlalu besar" in message for message in _field_messages(response, "attachments"))
    assert decoded == []
    assert report.attachments.count() == 0


# 6. Active PDF content, and what survives in a photo.


def test_a_pdf_that_runs_javascript_on_opening_is_refused(desa_reporter, media) -> None:
    report, error = _attach(desa_reporter, PDF_WITH_JAVASCRIPT, "surat.pdf")
    message = error.message_dict["attachments"][0]
    assert "konten aktif" in message and "/JavaScript" in message
    assert report.attachments.count() == 0


def test_javascript_spelled_with_name_escapes_is_refused_too(desa_reporter, media) -> None:
    disguised = PDF_WITH_JAVASCRIPT.replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")
    _report, error = _attach(desa_reporter, disguised, "surat.pdf")
    assert "konten aktif" in error.message_dict["attachments"][0]


def test_javascript_inside_a_compressed_object_stream_is_refused(desa_reporter, media) -> None:
    hidden = zlib.compress(b"2 0 << /S /JavaScript /JS (app.alert(1)) >>")
    pdf = (
        b"%PDF-1.5\n5 0 obj<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(hidden)).encode()
        + b" >>stream\n"
        + hidden
        + b"\nendstream endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
    )
    _report, error = _attach(desa_reporter, pdf, "surat.pdf")
    assert "konten aktif" in error.message_dict["attachments"][0]


def test_an_html_page_named_pdf_is_refused_on_the_report_form(desa_reporter, media) -> None:
    response = _post_form(
        desa_reporter, SimpleUploadedFile("surat.pdf", HTML_AS_PDF, content_type="application/pdf")
    )
    assert response.status_code == 422
    assert any("halaman web" in message for message in _field_messages(response, "lampiran"))
    assert not Report.objects.exists()


def test_a_pdf_carrying_a_program_after_its_header_is_refused_by_the_api(desa_reporter, media) -> None:
    report = submit(desa_reporter).report
    response = _post_api(desa_reporter, report, "surat.pdf", PDF_WITH_PROGRAM)
    assert response.status_code == 422
    assert any("berisi program" in message for message in _field_messages(response, "attachments"))
    assert report.attachments.count() == 0


def test_a_pdf_with_javascript_is_refused_by_the_api(desa_reporter, media) -> None:
    report = submit(desa_reporter).report
    response = _post_api(desa_reporter, report, "surat.pdf", PDF_WITH_JAVASCRIPT)
    assert response.status_code == 422
    assert any("konten aktif" in message for message in _field_messages(response, "attachments"))
    assert report.attachments.count() == 0


def test_a_plain_pdf_still_passes_through_the_api_and_the_form(desa_reporter, media) -> None:
    report = submit(desa_reporter).report
    response = _post_api(desa_reporter, report, "surat.pdf", PLAIN_PDF)
    assert response.status_code == 201, response.content
    assert report.attachments.get().file.read() == PLAIN_PDF
    response = _post_form(
        desa_reporter, SimpleUploadedFile("surat.pdf", PLAIN_PDF, content_type="application/pdf")
    )
    assert response.status_code == 201, response.content


def test_a_photo_comes_back_without_its_jpeg_comment_or_trailing_bytes(desa_reporter, media) -> None:
    original = jpeg_with_comment() + b"MUATAN-SETELAH-EOI"
    assert 0xFE in jpeg_markers(original)
    assert b"PROFIL-WARNA-PALSU" in original and b"XMP-TERSEMBUNYI" in original
    report = submit(desa_reporter).report
    response = _post_api(desa_reporter, report, "foto.jpg", original)
    assert response.status_code == 201, response.content
    stored = report.attachments.get().file.read()
    assert 0xFE not in jpeg_markers(stored)
    assert b"PESAN-TERSEMBUNYI" not in stored
    assert b"MUATAN-SETELAH-EOI" not in stored
    assert b"PROFIL-WARNA-PALSU" not in stored and b"XMP-TERSEMBUNYI" not in stored
    assert stored.endswith(b"\xff\xd9")
    with Image.open(io.BytesIO(stored)) as image:
        assert "comment" not in image.info and "icc_profile" not in image.info and "xmp" not in image.info
