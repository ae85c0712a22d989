"""The crawl's own check, on a tiny site (tests/crawl_sample_site.py): it reports every dead link,
image and form target and every code shown as text, and nothing else. Without this, the crawl
of the real site could pass because it looked at nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import crawl_sample_site as site
from waspada.testing.crawl import Codes, Crawler

CODES = Codes(
    anywhere=frozenset(
        {"agraria_korporasi", "agraria_warga", "batas_wilayah", "sara_etnis", "pemerintahan_desa"}
    )
    | frozenset({"TIMDU_PKS"}),
    alone=frozenset({"menunggu"}),
)


@pytest.fixture
def crawled():  # type: ignore[no-untyped-def]
    site.ASKED.clear()
    client = Client(raise_request_exception=False)
    return Crawler(client, codes=CODES, queries_per_path=2).crawl()


pytestmark = pytest.mark.urls("tests.crawl_sample_site")


def test_dead_links_images_and_a_bounce_to_the_login_page_are_reported(crawled) -> None:  # type: ignore[no-untyped-def]
    broken = {(hop.link, hop.status, hop.how) for hop in crawled.broken}
    assert broken == {
        ("/hilang/", 404, "a"),
        ("/terlarang/", 403, "a"),
        ("/rusak/", 500, "a"),
        ("/ke-masuk/", 200, "a"),
        ("/gambar.png", 404, "img"),
    }
    (error,) = [hop.error for hop in crawled.broken if hop.status == 500]
    assert error == "RuntimeError: halaman rusak"


def test_a_get_form_is_sent_with_its_defaults_and_a_post_form_is_only_asked(crawled) -> None:  # type: ignore[no-untyped-def]
    assert "/cari/?q=banjir&isu=hoaks&urut=baru" in site.ASKED
    post = [hop for hop in crawled.hops if hop.link == "/hanya-post/"]
    assert [(hop.how, hop.status) for hop in post] == [("form POST (GET)", 405)]
    assert not post[0].broken


def test_logout_other_sites_mail_and_fragments_are_not_followed(crawled) -> None:  # type: ignore[no-untyped-def]
    assert "/akun/keluar/" not in site.ASKED
    assert not [hop for hop in crawled.hops if "example" in hop.link or "#" in hop.link]


def test_query_strings_past_the_bound_are_dropped_and_counted(crawled) -> None:  # type: ignore[no-untyped-def]
    asked = [path for path in site.ASKED if path.startswith("/baik/")]
    assert asked == ["/baik/", "/baik/?hal=1", "/baik/?hal=2"]
    assert crawled.unchecked == 0  # the rest fell back to /baik/, which was asked


def test_codes_are_found_in_visible_text_only(crawled) -> None:  # type: ignore[no-untyped-def]
    # Not in the title, a script, an attribute or a textarea's value; "menunggu" only as a whole node.
    assert crawled.codes == {
        page: ["menunggu", "pemerintahan_desa"] for page in ("/baik/", "/baik/?hal=1", "/baik/?hal=2")
    }
