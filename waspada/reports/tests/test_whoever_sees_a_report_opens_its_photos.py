"""A report's photos and PDFs open for whoever may see the report, and for nobody else.

The reporter, the TKD analyst and a forum the report was shared with open the photo, its
thumbnail and the PDF; a forum that may not see the report gets the same 404 as for a file that
does not exist. The answer says what the bytes are and how to show them (type, inline, a safe
name), never lets a shared cache keep them, and is never a /media/ address.
"""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from waspada.people.tokens import create_token
from waspada.reports.actions import attach_file
from waspada.reports.models import Attachment
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _photo(width: int = 1600, height: int = 1200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(out, format="JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def photo(desa_reporter, media) -> Attachment:  # type: ignore[no-untyped-def]
    report = submit(desa_reporter, title="Blokade jalan hauling di Desa Lombok").report
    return attach_file(report=report, uploader=desa_reporter, data=_photo(), original_name="foto lokasi.jpeg")


def _client(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person)
    return client


def _url(attachment: Attachment, suffix: str = "") -> str:
    return f"/laporan/{attachment.report.reference}/lampiran/{attachment.pk}/{suffix}"


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_reporter_opens_her_own_photo_inline(desa_reporter, photo) -> None:
    response = _client(desa_reporter).get(_url(photo))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'inline; filename="foto lokasi.jpeg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    assert _body(response) == photo.file.open("rb").read()


def test_the_analyst_opens_the_photo_and_a_small_thumbnail(kesbangpol_analyst, photo) -> None:
    client = _client(kesbangpol_analyst)
    assert client.get(_url(photo)).status_code == 200
    response = client.get(_url(photo, "kecil/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    thumbnail = _body(response)
    with Image.open(io.BytesIO(thumbnail)) as image:
        assert max(image.size) == 480
        assert image.size == (480, 360)
    assert len(thumbnail) < photo.size


def test_a_forum_that_may_not_see_the_report_gets_the_404_of_a_missing_file(bnk_officer, photo) -> None:
    client = _client(bnk_officer)
    refused = client.get(_url(photo))
    missing = client.get(f"/laporan/{photo.report.reference}/lampiran/999999/")
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content
    assert client.get(_url(photo, "kecil/")).status_code == 404


def test_an_attachment_is_found_only_under_its_own_report(desa_reporter, photo) -> None:
    other = submit(desa_reporter, title="Laporan lain").report
    response = _client(desa_reporter).get(f"/laporan/{other.reference}/lampiran/{photo.pk}/")
    assert response.status_code == 404


def test_someone_not_signed_in_is_sent_to_the_login_page(client, photo) -> None:  # type: ignore[no-untyped-def]
    response = client.get(_url(photo))
    assert response.status_code == 302
    assert response["Location"].startswith("/akun/masuk/")


def test_a_pdf_opens_inline_and_a_name_outside_ascii_is_sent_as_filename_star(desa_reporter, media) -> None:
    report = submit(desa_reporter).report
    pdf = attach_file(report=report, uploader=desa_reporter, data=PDF, original_name="../surat camat ✓.pdf")
    response = _client(desa_reporter).get(_url(pdf))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''surat%20camat%20%E2%9C%93.pdf"
    assert _client(desa_reporter).get(_url(pdf, "kecil/")).status_code == 404  # a PDF has no thumbnail


def test_a_name_that_lies_about_the_type_gets_the_extension_of_the_content(desa_reporter, media) -> None:
    report = submit(desa_reporter).report
    attachment = attach_file(report=report, uploader=desa_reporter, data=PDF, original_name='x"y.exe')
    response = _client(desa_reporter).get(_url(attachment))
    assert response["Content-Disposition"] == 'inline; filename="x\\"y.exe.pdf"'


def test_a_browser_that_has_the_photo_is_told_it_has_not_changed(desa_reporter, photo) -> None:
    client = _client(desa_reporter)
    etag = client.get(_url(photo))["ETag"]
    again = client.get(_url(photo), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_with_nginx_the_app_checks_and_nginx_sends_the_bytes(
    desa_reporter, bnk_officer, photo, settings
) -> None:
    settings.WASPADA_SENDFILE = "nginx"
    response = _client(desa_reporter).get(_url(photo))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_unggahan/{photo.file.name}"
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == b""
    assert _client(bnk_officer).get(_url(photo)).has_header("X-Accel-Redirect") is False


def test_the_report_page_shows_a_thumbnail_linked_to_the_full_photo(desa_reporter, photo) -> None:
    page = _client(desa_reporter).get(f"/laporan/{photo.report.reference}/").content.decode()
    assert f'<img src="{_url(photo, "kecil/")}"' in page
    assert f'<a href="{_url(photo)}"' in page
    assert "/media/" not in page


def test_the_api_serves_the_photo_to_a_token_of_someone_who_may_see_it(
    desa_reporter, bnk_officer, photo
) -> None:
    _token, raw = create_token(person=desa_reporter, name="Ponsel", by=None)
    client = Client()
    listed = client.get(
        f"/api/v1/reports/{photo.report.reference}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    url = listed["attachments"][0]["url"]
    assert url == f"/api/v1/reports/{photo.report.reference}/attachments/{photo.pk}"
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"{url}/thumbnail", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200

    _token, other = create_token(person=bnk_officer, name="BNK", by=None)
    refused = client.get(url, HTTP_AUTHORIZATION=f"Bearer {other}")
    assert refused.status_code == 404
    assert refused.json() == {"detail": "Tidak ditemukan.", "errors": []}
    assert client.get(url).status_code == 401
