"""403, 404 and 500 answers: pages in the site's shell, in the reader's language, with a way home;
JSON in the API's error shape under /api/. DEBUG is off, as in production (pytest-django's default).
The admin carries Waspada's name."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from waspada.core.errors import server_error
from waspada.reports.tests.factories import submit


@pytest.fixture
def failing_routes(settings):  # type: ignore[no-untyped-def]
    settings.ROOT_URLCONF = "waspada.core.tests.error_urls"
    assert settings.DEBUG is False


def _signed_in(person) -> Client:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(person)
    return client


def _main(content: bytes) -> str:
    return content.decode().split('<main id="main">', 1)[1].split("</main>", 1)[0]


@pytest.mark.django_db
def test_a_missing_page_is_drawn_in_the_shell_with_a_way_home(desa_reporter) -> None:
    response = _signed_in(desa_reporter).get("/tidak-ada-di-sini/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Halaman tidak ditemukan</h1>" in page
    assert 'class="topbar"' in page and desa_reporter.display_name in page  # the shell, signed in
    assert '<a href="/" class="button primary">Ke beranda</a>' in page


@pytest.mark.django_db
def test_a_report_one_may_not_see_answers_the_same_page_as_a_missing_one(desa_reporter, bnk_officer) -> None:
    report = submit(desa_reporter).report
    client = _signed_in(bnk_officer)
    hidden = client.get(f"/laporan/{report.reference}/")
    missing = client.get("/laporan/SKD-6401-2026-999999/")
    assert hidden.status_code == missing.status_code == 404
    assert "Halaman tidak ditemukan" in hidden.content.decode()
    assert _main(hidden.content) == _main(missing.content)  # the shell differs only in its tokens


@pytest.mark.django_db
def test_the_missing_page_follows_the_readers_language(desa_reporter) -> None:
    page = _signed_in(desa_reporter).get("/tidak-ada-di-sini/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in page
    assert ">Reports</a>" in page  # the shell's menu, from the English catalogue
    assert "Bahasa Indonesia" in page  # and the switch back


@pytest.mark.django_db
def test_a_refusal_is_drawn_in_the_shell_without_the_internal_reason(desa_reporter, failing_routes) -> None:
    response = _signed_in(desa_reporter).get("/uji/terlarang/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Tidak berwenang</h1>" in page and 'class="topbar"' in page
    assert "internal detail" not in page
    english = _signed_in(desa_reporter).get("/uji/terlarang/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Not authorized</h1>" in english


@pytest.mark.django_db
def test_an_action_refused_on_a_page_says_why_in_the_same_shell(desa_reporter, kesbangpol_analyst) -> None:
    report = submit(desa_reporter).report
    response = _signed_in(desa_reporter).post(
        f"/laporan/{report.reference}/triase/", {"action": "reject", "reason": "x"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Tidak berwenang</h1>" in page
    assert '<a href="/" class="button primary">Ke beranda</a>' in page


@pytest.mark.django_db
def test_a_server_error_is_drawn_in_the_shell_and_logged(desa_reporter, failing_routes, caplog) -> None:
    response = _signed_in(desa_reporter).get("/uji/rusak/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Terjadi kesalahan</h1>" in page and 'class="topbar"' in page
    assert "a bug" not in page and "Traceback" not in page
    assert '<a href="/" class="button primary">Ke beranda</a>' in page
    assert any("a bug" in str(record.exc_info) for record in caplog.records if record.exc_info)


def test_the_server_error_page_needs_neither_the_database_nor_the_user() -> None:
    """No django_db mark: any query raises. The request's user explodes when touched."""

    class Unreachable:
        def __getattr__(self, name: str) -> object:
            raise AssertionError(f"the 500 page read request.user.{name}")

    request = RequestFactory().get("/laporan/")
    request.user = Unreachable()  # type: ignore[assignment]
    response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "Terjadi kesalahan" in page and 'href="/akun/masuk/"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status", "detail"),
    [
        ("/api/v1/tidak-ada", 404, "Tidak ditemukan."),
        ("/api/uji/terlarang/", 403, "Anda tidak berwenang."),
        ("/api/uji/rusak/", 500, "Terjadi kesalahan di server."),
    ],
)
def test_under_the_api_errors_stay_json_in_the_documented_shape(
    desa_reporter, failing_routes, path: str, status: int, detail: str
) -> None:
    response = _signed_in(desa_reporter).get(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["errors"] == []
    assert body["detail"].startswith(detail)


@pytest.mark.django_db
def test_the_admin_carries_waspadas_name(kesbangpol_admin) -> None:
    client = _signed_in(kesbangpol_admin)
    page = client.get("/admin/").content.decode()
    assert "Administrasi Waspada" in page
    assert "Django" not in page.split("<body", 1)[1].split("</header>", 1)[0]
    assert "<title>Pengaturan forum, orang, wilayah dan aturan tindak lanjut | Admin Waspada</title>" in page
