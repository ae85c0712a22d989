"""What the service worker may keep on a phone, as the server marks it, and the installable shell.

Kept (``X-Waspada-Luring: simpan``): the report form, the person's list of reports, the pages of
reports they filed, their inbox, their home. Never: another person's report (even one they may
read), the situation picture, a POST, anything for nobody. Every page names its person by an
opaque key (``X-Waspada-Pengguna`` and the meta tag), empty when nobody is signed in.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from PIL import Image

from waspada.core.offline import OFFLINE_HEADER, OWNER_HEADER
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


def client_for(person: Any) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def test_her_form_list_inbox_and_own_report_are_marked_for_keeping(desa_reporter: Any) -> None:
    own = submit(desa_reporter).report
    client = client_for(desa_reporter)

    for path in ("/laporan/baru/", "/laporan/", f"/laporan/{own.reference}/", "/tindak-lanjut/", "/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response[OFFLINE_HEADER] == "simpan", path
        assert response[OWNER_HEADER]


def test_a_report_someone_else_filed_is_never_kept_even_for_a_reader(
    desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    theirs = submit(desa_reporter).report
    response = client_for(kesbangpol_analyst).get(f"/laporan/{theirs.reference}/")

    assert response.status_code == 200
    assert OFFLINE_HEADER not in response
    assert client_for(kesbangpol_analyst).get("/situasi/").get(OFFLINE_HEADER) is None


def test_a_post_and_a_page_for_nobody_are_never_kept(desa_reporter: Any) -> None:
    response = client_for(desa_reporter).post("/laporan/baru/", {"title": ""})
    assert OFFLINE_HEADER not in response

    login = Client().get("/akun/masuk/")
    assert login.status_code == 200
    assert OFFLINE_HEADER not in login
    assert login[OWNER_HEADER] == ""
    assert b'<meta name="waspada-pengguna" content="">' in login.content


def test_each_person_has_an_own_stable_key_that_names_nobody(desa_reporter: Any, fkub_officer: Any) -> None:
    first = client_for(desa_reporter).get("/laporan/")[OWNER_HEADER]
    again = client_for(desa_reporter).get("/laporan/baru/")[OWNER_HEADER]
    other = client_for(fkub_officer).get("/laporan/")[OWNER_HEADER]

    assert first == again and first != other
    assert desa_reporter.username not in first and str(desa_reporter.pk) != first
    page = client_for(desa_reporter).get("/laporan/").content.decode()
    assert f'<meta name="waspada-pengguna" content="{first}">' in page


def test_the_offline_page_holds_nobodys_data(desa_reporter: Any) -> None:
    page = client_for(desa_reporter).get("/luring/").content.decode()

    assert "Halaman ini belum tersimpan di perangkat" in page
    assert desa_reporter.display_name not in page
    assert "waspada-pengguna" not in page
    assert 'data-halaman="salinan"' in page


def test_the_manifest_makes_waspada_installable_with_its_icons() -> None:
    response = Client().get("/manifest.webmanifest")
    assert response["Content-Type"].startswith("application/manifest+json")
    manifest = json.loads(response.content)

    assert manifest["name"] and manifest["short_name"] and len(manifest["short_name"]) <= 12
    assert (manifest["lang"], manifest["display"], manifest["scope"]) == ("id", "standalone", "/")
    assert manifest["start_url"].startswith("/") and manifest["theme_color"].startswith("#")
    wanted = {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    assert {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]} == wanted
    for icon in manifest["icons"]:
        name = icon["src"].split("/static/", 1)[1]
        path = finders.find(name)
        assert path, name
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
        if icon["purpose"] == "maskable":  # nothing but the background outside the 80 % safe circle
            with Image.open(path) as image:
                rgb = image.convert("RGB")
                corner = rgb.getpixel((0, 0))
                edge = [rgb.getpixel((x, y)) for x in range(0, 512, 8) for y in (0, 511)]
                assert set(edge) == {corner}


def test_every_page_links_the_manifest_the_icons_and_the_offline_script(desa_reporter: Any) -> None:
    page = client_for(desa_reporter).get("/laporan/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#0b5394">' in page
    assert "waspada/offline.js" in page and 'data-halaman="jaringan"' in page
    assert 'id="offline-banner"' in page and "Anda sedang luring" in page


def test_the_service_worker_lists_the_shell_it_keeps() -> None:
    body = Client().get("/sw.js").content.decode()
    shell_line = next(line for line in body.splitlines() if line.startswith("self.WASPADA_SHELL"))
    shell = json.loads(shell_line.split("=", 1)[1].strip().rstrip(";"))

    assert any(url.endswith(".css") for url in shell)
    assert any("offline" in url and url.endswith(".js") for url in shell)
    assert any(url.endswith(".png") for url in shell)
    assert 'request.method !== "GET"' in body  # never a POST
