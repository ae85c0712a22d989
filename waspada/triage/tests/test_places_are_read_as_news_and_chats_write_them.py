"""Places as the news and members write them: an airport or a port named after its place, a
regency's name written partly joined or shortened, a village followed by its kecamatan, and a
chat in lower case with acronyms in capitals (issue 23, kecamatan where named)."""

from __future__ import annotations

import pytest

from waspada.triage.gazetteer import find_places


@pytest.mark.parametrize(
    ("text", "kecamatan"),
    [
        ("Penerbangan dari Bandara Sentani terhenti dua jam karena landasan dipalang.", "91.03.01"),
        ("Antrean truk mengular di Pelabuhan Bakauheni, Lampung Selatan, sejak pagi.", "18.01.21"),
        ("Dua rumah dibakar di Mulyorejo, Silo, warga takut keluar malam.", "35.09.30"),
        ("satgas mesuji minta penggarap keluar dr HGU PT ABC ds talang batu sblm akhir bulan", "18.11.02"),
    ],
)
def test_the_kecamatan_is_found(text: str, kecamatan: str) -> None:
    assert find_places(text).kecamatan == kecamatan


@pytest.mark.parametrize(
    ("text", "kabupaten"),
    [
        ("Banjir melanda Limapuluh Kota sejak Senin, dua jembatan putus.", "13.07"),
        ("info: 40 pekerja asing masuk ke obi halsel, warga protes", "82.04"),
        ("kantor desa di morotai dipalang warga sejak pagi", "82.07"),
    ],
)
def test_the_regency_is_found_as_written(text: str, kabupaten: str) -> None:
    assert find_places(text).kabupaten == kabupaten


def test_a_river_and_a_street_are_still_no_place() -> None:
    found = find_places("Air Sungai Kandilo naik, warga di Jl. Sudirman mengungsi.")
    assert found.kecamatan is None
