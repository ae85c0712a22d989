"""The proof a forum member attaches to a follow-up opens for whoever may see the disposition:
its forum's members and the TKD, on the disposition page, as a link and through the API. Anyone
else, the reporter included (she does not see dispositions), gets the 404 of a missing file."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from waspada.people.tokens import create_token
from waspada.response import actions
from waspada.response.models import Disposition, FollowUpProof
from waspada.response.tests.helpers import verified

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (900, 300), (200, 30, 30, 128)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def fkub(desa_reporter, kesbangpol_analyst, settings, tmp_path) -> Disposition:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    report = verified(desa_reporter, kesbangpol_analyst, isu="agama")
    return report.dispositions.get(forum__code="FKUB-6401")


@pytest.fixture
def proofs(fkub, fkub_officer) -> list[FollowUpProof]:  # type: ignore[no-untyped-def]
    actions.acknowledge(disposition=fkub, by=fkub_officer)
    entry = actions.add_action(
        disposition=fkub,
        text="Mediasi di balai desa bersama panitia renovasi.",
        by=fkub_officer,
        proofs=[
            actions.Proof(name="mediasi.png", data=_png()),
            actions.Proof(name="berita acara.pdf", data=PDF),
        ],
    )
    return list(entry.proofs.order_by("pk"))


def _client(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person)
    return client


def _main(content: bytes) -> str:
    return content.decode().split('<main id="main">', 1)[1].split("</main>", 1)[0]


def _body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_member_who_uploaded_the_proof_opens_it_from_the_disposition_page(
    fkub, fkub_officer, proofs
) -> None:
    photo, pdf = proofs
    client = _client(fkub_officer)
    page = client.get(f"/tindak-lanjut/{fkub.pk}/").content.decode()
    assert f'<img src="/tindak-lanjut/{fkub.pk}/bukti/{photo.pk}/kecil/"' in page
    assert f'href="/tindak-lanjut/{fkub.pk}/bukti/{pdf.pk}/"' in page
    assert "berita acara.pdf" in page
    assert "/media/" not in page

    response = client.get(f"/tindak-lanjut/{fkub.pk}/bukti/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="mediasi.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _body(response) == photo.file.open("rb").read()

    thumbnail = client.get(f"/tindak-lanjut/{fkub.pk}/bukti/{photo.pk}/kecil/")
    with Image.open(io.BytesIO(_body(thumbnail))) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (480, 160))

    opened = client.get(f"/tindak-lanjut/{fkub.pk}/bukti/{pdf.pk}/")
    assert opened["Content-Type"] == "application/pdf"
    assert opened["Content-Disposition"] == 'inline; filename="berita acara.pdf"'


def test_the_tkd_opens_the_proof_and_others_get_the_404_of_a_missing_file(
    fkub, proofs, kesbangpol_analyst, desa_reporter, bnk_officer
) -> None:
    photo = proofs[0]
    url = f"/tindak-lanjut/{fkub.pk}/bukti/{photo.pk}/"
    assert _client(kesbangpol_analyst).get(url).status_code == 200
    for person in (desa_reporter, bnk_officer):
        client = _client(person)
        refused = client.get(url)
        missing = client.get(f"/tindak-lanjut/{fkub.pk}/bukti/999999/")
        assert refused.status_code == missing.status_code == 404
        assert _main(refused.content) == _main(missing.content)  # the shell's tokens differ


def test_a_proof_is_found_only_under_its_own_disposition(
    fkub, proofs, fkub_officer, kesbangpol_analyst
) -> None:
    tkd_copy = fkub.report.dispositions.get(forum__code="TKD-6401")
    response = _client(kesbangpol_analyst).get(f"/tindak-lanjut/{tkd_copy.pk}/bukti/{proofs[0].pk}/")
    assert response.status_code == 404


def test_the_api_lists_the_proof_in_the_timeline_and_serves_it(
    fkub, proofs, fkub_officer, bnk_officer
) -> None:
    _token, raw = create_token(person=fkub_officer, name="Ponsel", by=None)
    client = Client(headers={"authorization": f"Bearer {raw}"})
    timeline = client.get(f"/api/v1/dispositions/{fkub.pk}").json()["timeline"]
    listed = [proof for entry in timeline for proof in entry["proofs"]]
    assert [p["url"] for p in listed] == [f"/api/v1/dispositions/{fkub.pk}/proofs/{p.pk}" for p in proofs]
    response = client.get(listed[1]["url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert _body(response) == PDF
    assert client.get(listed[0]["url"] + "/thumbnail")["Content-Type"] == "image/jpeg"

    _token, other = create_token(person=bnk_officer, name="BNK", by=None)
    refused = Client(headers={"authorization": f"Bearer {other}"}).get(listed[1]["url"])
    assert refused.status_code == 404
    assert refused.json()["detail"] == "Tidak ditemukan."
