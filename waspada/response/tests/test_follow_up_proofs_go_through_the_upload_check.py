"""A follow-up's proof goes through the same upload check as a report's attachment (issue 22):
on the disposition page a PDF that runs JavaScript is refused under the proofs field and no step
is recorded; a photo's JPEG comment does not survive."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from waspada.response import actions
from waspada.response.models import Disposition, FollowUpProof
from waspada.response.tests.helpers import verified

pytestmark = pytest.mark.django_db

PDF_WITH_JAVASCRIPT = (
    b"%PDF-1.4\n1 0 obj<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>endobj\n"
    b"trailer<< /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
def fkub(desa_reporter, kesbangpol_analyst, fkub_officer, settings, tmp_path) -> Disposition:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    report = verified(desa_reporter, kesbangpol_analyst, isu="agama")
    disposition = report.dispositions.get(forum__code="FKUB-6401")
    actions.acknowledge(disposition=disposition, by=fkub_officer)
    return disposition


def _post_step(person, disposition: Disposition, upload: SimpleUploadedFile):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person)
    return client.post(
        f"/tindak-lanjut/{disposition.pk}/aksi/",
        {"action": "tindakan", "text": "Mediasi di balai desa.", "proofs": upload},
    )


def test_a_proof_pdf_with_javascript_is_refused_on_the_disposition_page(fkub, fkub_officer) -> None:
    response = _post_step(fkub_officer, fkub, SimpleUploadedFile("berita acara.pdf", PDF_WITH_JAVASCRIPT))
    assert response.status_code == 422
    assert "konten aktif" in response.content.decode()
    assert not FollowUpProof.objects.exists()
    assert not fkub.timeline.filter(text="Mediasi di balai desa.").exists()


def test_a_proof_photo_is_stored_without_its_jpeg_comment(fkub, fkub_officer) -> None:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(out, format="JPEG", comment=b"PESAN-TERSEMBUNYI")
    response = _post_step(fkub_officer, fkub, SimpleUploadedFile("mediasi.jpg", out.getvalue()))
    assert response.status_code == 302
    stored = FollowUpProof.objects.get().file.read()
    assert b"PESAN-TERSEMBUNYI" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert "comment" not in image.info
