"""The forgiving search (reports/search.py): affixes, compounds split or joined, visibility kept.

Runs on SQLite (LIKE over ``search_terms``) and on PostgreSQL (the GIN-indexed tsquery) alike.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from waspada.reports.models import Report
from waspada.reports.search import search, stems, terms
from waspada.reports.tests.factories import submit


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("membakar", "bakar"),
        ("dibakar", "bakar"),
        ("terbakar", "bakar"),
        ("kebakaran", "bakar"),
        ("menyerang", "serang"),
        ("diserang", "serang"),
        ("memukul", "pukul"),
        ("menembak", "tembak"),
        ("ditembakkan", "tembak"),
        ("mengirim", "kirim"),
        ("mengambil", "ambil"),
        ("bentrokan", "bentrok"),
        ("berkelahi", "kelahi"),
        ("penambangan", "tambang"),
        ("pertambangan", "tambang"),
        ("diperebutkan", "rebut"),
        ("rumahnya", "rumah"),
        ("melempari", "lempar"),
    ],
)
def test_the_stemmer_finds_the_root_of_a_hand_picked_word(word: str, stem: str) -> None:
    assert stem in stems(word)
    assert word in stems(word)  # the word itself is always kept


def test_short_words_and_numbers_are_left_whole() -> None:
    assert stems("api") == {"api"}
    assert stems("2026") == {"2026"}


def test_neighbouring_words_are_also_stored_joined() -> None:
    stored = terms("Hauling batu bara", "warga menghadang")
    assert " batubara " in stored
    assert " hadang " in stored
    assert stored.startswith(" ") and stored.endswith(" ")


def _filed(person: Any, title: str, what: str = "Warga melapor kejadian di desa.") -> Report:
    return submit(person, title=title, what=what).report


def _found(text: str) -> set[str]:
    return set(search(Report.objects.all(), text).values_list("title", flat=True))


@pytest.mark.django_db
def test_a_compound_is_found_split_or_joined(desa_reporter: Any) -> None:
    _filed(desa_reporter, "Truk batubara terguling")
    _filed(desa_reporter, "Tongkang batu bara kandas")
    _filed(desa_reporter, "Batu besar menutup jalan", what="Longsor di tepi sungai.")  # batu, no bara
    assert _found("batubara") == {"Truk batubara terguling", "Tongkang batu bara kandas"}
    assert _found("batu bara") == {"Truk batubara terguling", "Tongkang batu bara kandas"}
    assert _found("batu-bara") == {"Truk batubara terguling", "Tongkang batu bara kandas"}


@pytest.mark.django_db
def test_affixes_do_not_hide_a_report(desa_reporter: Any) -> None:
    _filed(desa_reporter, "Gudang dibakar massa")
    _filed(desa_reporter, "Warga diserang", what="Sekelompok orang menyerang warga di pasar.")
    _filed(desa_reporter, "Banjir merendam jalan")
    assert _found("membakar") == {"Gudang dibakar massa"}
    assert _found("kebakaran gudang") == {"Gudang dibakar massa"}
    assert _found("penyerangan") == {"Warga diserang"}
    assert _found("menyerang warga") == {"Warga diserang"}
    assert _found("bakar serang") == set()  # every word must match
    assert _found("';drop table--") == set()  # punctuation is never syntax


@pytest.mark.django_db
def test_the_situation_list_search_keeps_to_what_the_person_may_open(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any
) -> None:
    _filed(desa_reporter, "Tongkang batu bara kandas")
    analyst, fkub = Client(), Client()
    analyst.force_login(kesbangpol_analyst)
    fkub.force_login(fkub_officer)
    assert "Tongkang batu bara kandas" in analyst.get("/situasi/laporan/?q=batubara").content.decode()
    # an unverified report is the TKD's: an FKUB member's search does not reach it
    assert "Tongkang batu bara kandas" not in fkub.get("/situasi/laporan/?q=batubara").content.decode()
