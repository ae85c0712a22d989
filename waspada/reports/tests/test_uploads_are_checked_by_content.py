import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from waspada.reports.actions import attach_file
from waspada.reports.tests.factories import jpeg_with_gps, submit

pytestmark = pytest.mark.django_db


def test_a_photo_is_stored_without_its_exif_and_gps(desa_reporter, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = submit(desa_reporter).report
    original = jpeg_with_gps()
    assert b"KameraPonsel" in original
    attachment = attach_file(report=report, uploader=desa_reporter, data=original, original_name="foto.jpg")
    stored = attachment.file.read()
    assert b"KameraPonsel" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
    assert attachment.content_type == "image/jpeg"


def test_a_disguised_executable_is_refused(desa_reporter, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = submit(desa_reporter).report
    fake_photo = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200  # a Windows executable header
    with pytest.raises(ValidationError) as caught:
        attach_file(report=report, uploader=desa_reporter, data=fake_photo, original_name="foto.jpg")
    assert "Hanya foto" in caught.value.message_dict["attachments"][0]
    assert report.attachments.count() == 0


def test_a_pdf_is_accepted(desa_reporter, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = submit(desa_reporter).report
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    attachment = attach_file(report=report, uploader=desa_reporter, data=pdf, original_name="surat.pdf")
    assert attachment.content_type == "application/pdf"
