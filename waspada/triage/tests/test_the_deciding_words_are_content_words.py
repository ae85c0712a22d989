"""The "kata penentu" a suggestion names for its isu are words that say something: no "yang",
"di", "dan", no numbers, no two-letter tokens, at most five."""

from __future__ import annotations

import pytest

from waspada.triage.classify import FILLER_WORDS, content_words
from waspada.triage.suggest import suggest

TEXTS = [
    "Yang di sana dan di sini ada 12 orang yang berkumpul dan 3 orang yang membawa parang",
    "Di desa kami ada 200 warga yang demo di kantor camat dan mereka bilang akan datang lagi",
]


def test_filler_words_numbers_and_short_tokens_are_left_out() -> None:
    words = ["yang", "Di", "dan", "12", "tiga", "ok", "parang", "Berkumpul", "berkumpul", "sawit"]
    assert content_words(words) == ["parang", "Berkumpul", "sawit"]
    assert len(content_words("parang golok sawit tambang lahan ormas kebun".split())) == 5
    # chat shorthand is filler too ("sktr" is "sekitar", "mlm" "malam", "msh" "masih")
    assert content_words(["sktr", "perusahaan", "mlm", "msh", "bakal", "plasma"]) == ["perusahaan", "plasma"]


@pytest.mark.django_db
@pytest.mark.parametrize("text", TEXTS)
def test_the_isu_is_explained_by_content_words_only(text: str) -> None:
    shown = suggest(text).as_dict()
    words = shown["isu"]["words"]
    assert 1 <= len(words) <= 5, words
    for word in words:
        assert word.lower() not in FILLER_WORDS and len(word) > 2, words
        assert not any(c.isdigit() for c in word), words
