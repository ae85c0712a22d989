"""A tiny site for the crawl's own test: one page of each kind the crawl must tell apart."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

ASKED: list[str] = []  # the paths the crawl asked for, in order

HOME = """<!doctype html><html><head><title>agraria_korporasi</title>
<script>var kind = "TIMDU_PKS";</script></head><body>
<nav><a href="/baik/">Baik</a> <a href="/hilang/">Hilang</a> <a href="/terlarang/">Terlarang</a>
<a href="/rusak/">Rusak</a> <a href="/ke-masuk/">Ke halaman masuk</a> <a href="/akun/keluar/">Keluar</a>
<a href="mailto:tkd@example.test">Surel</a> <a href="#atas">Atas</a> <a href="https://example.org/">Luar</a>
<img src="/gambar.png" alt="foto"></nav>
<form method="get" action="/cari/"><input name="q" value="banjir"><select name="isu">
<option value="">Semua</option><option value="hoaks" selected>Hoaks</option></select>
<input type="checkbox" name="lama" value="1">
<button type="submit" name="urut" value="baru">Cari</button></form>
<form method="post" action="/hanya-post/"><textarea name="catatan">sara_etnis</textarea>
<button type="submit">Kirim</button></form>
<p data-isu="agraria_warga" title="batas_wilayah">Nama isu ditulis dengan labelnya.</p>
</body></html>"""

GOOD = """<!doctype html><html><body><p>Status: <span>menunggu</span></p>
<p>Kelompok menunggu keputusan; isu pemerintahan_desa di Desa Lombok.</p>
<a href="/baik/?hal=1">1</a><a href="/baik/?hal=2">2</a>
<a href="/baik/?hal=3">3</a><a href="/baik/?hal=4">4</a>
</body></html>"""


def _page(html: str):  # type: ignore[no-untyped-def]
    def view(request: HttpRequest) -> HttpResponse:
        ASKED.append(request.get_full_path())
        return HttpResponse(html)

    return view


def gone(request: HttpRequest) -> HttpResponse:
    ASKED.append(request.get_full_path())
    return HttpResponseNotFound("<p>Tidak ada</p>")


def forbidden(request: HttpRequest) -> HttpResponse:
    ASKED.append(request.get_full_path())
    return HttpResponseForbidden("<p>Dilarang</p>")


def broken(request: HttpRequest) -> HttpResponse:
    ASKED.append(request.get_full_path())
    raise RuntimeError("halaman rusak")


def to_login(request: HttpRequest) -> HttpResponse:
    ASKED.append(request.get_full_path())
    return redirect("/akun/masuk/?next=/ke-masuk/")


@require_POST
def post_only(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("", _page(HOME)),
    path("baik/", _page(GOOD)),
    path("cari/", _page("<p>Hasil</p>")),
    path("hilang/", gone),
    path("terlarang/", forbidden),
    path("rusak/", broken),
    path("ke-masuk/", to_login),
    path("hanya-post/", post_only),
    path("gambar.png", gone),
    path("akun/masuk/", _page("<form method='post'><input name='username'></form>")),
    path("akun/keluar/", _page("<p>Anda keluar</p>")),
]
