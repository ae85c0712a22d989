"""The link crawl (``waspada/testing/crawl.py``) flags internal codes a page shows in its own
words; a machine document shown as it is (a CAP message in ``<pre translate="no">``) is not the
page's words, and its codes are its format."""

from __future__ import annotations

from waspada.testing.crawl import PageReader, codes_in, internal_codes


def _texts(html: str) -> list[str]:
    reader = PageReader()
    reader.feed(html)
    return reader.texts


def test_a_code_in_the_page_text_is_flagged() -> None:
    texts = _texts("<main><p>Isu: agraria_korporasi</p></main>")
    assert codes_in(texts, internal_codes()) == ["agraria_korporasi"]


def test_a_code_inside_a_machine_document_is_not_the_pages_words() -> None:
    texts = _texts(
        '<main><pre class="xml" translate="no"><value>agraria_korporasi</value></pre>'
        "<p>Agraria: warga dan perusahaan</p></main>"
    )
    assert texts == ["Agraria: warga dan perusahaan"]
    assert codes_in(texts, internal_codes()) == []


def test_an_ordinary_pre_still_counts_as_what_the_page_says() -> None:
    texts = _texts("<main><pre>agraria_korporasi</pre><p>lagi</p></main>")
    assert codes_in(texts, internal_codes()) == ["agraria_korporasi"]
    assert texts[-1] == "lagi"
