"""Place finding against the packaged gazetteer of all Indonesia (no database needed)."""

from __future__ import annotations

import pytest

from waspada.triage.gazetteer import find_places, gazetteer


def test_gazetteer_covers_the_whole_country_from_the_packaged_list() -> None:
    places = gazetteer("64.01").places
    assert len(places) > 90_000
    assert places["64.72"].name == "Kota Samarinda"
    assert places["11.01.01.2001"].name == "Keude Bakongan"


def test_village_with_prefix_and_spelling_variant_is_found_with_its_span() -> None:
    text = "Bentrok warga di Ds. Lembok Kec. Long Ikis tadi malam"
    result = find_places(text, home="64.01")
    assert result.desa == ["64.01.06.2006"]  # Lombok, Long Ikis
    assert result.kecamatan == "64.01.06"
    assert result.kabupaten == "64.01"
    lembok = result.found[0]
    assert text[lembok.start : lembok.end] == "Lembok"
    assert 0 < lembok.confidence < next(f for f in result.found if f.code == "64.01.06").confidence


@pytest.mark.parametrize(
    ("text", "kecamatan", "desa"),
    [
        ("warga kec. pasir belengkong protes", "64.01.03", []),
        ("Warga Desa Pasir Belengkong protes jalan hauling", "64.01.03", ["64.01.03.2006"]),
        ("Kelurahan Paser Belengkong", "64.01.03", ["64.01.03.2006"]),
        ("Banjir di Tanah Grogot sejak subuh", "64.01.04", []),
        ("Kel. Tanah Grogot banjir", "64.01.04", ["64.01.04.1001"]),
        ("Desa Tanjung Pinang kec muara samu", "64.01.10", ["64.01.10.2001"]),
        ("DJALAN poetoes di desa Soeatang", "64.01.03", ["64.01.03.2004"]),
    ],
)
def test_prefixes_and_old_spellings(text: str, kecamatan: str, desa: list[str]) -> None:
    result = find_places(text, home="64.01")
    assert (result.kecamatan, result.desa) == (kecamatan, desa)


def test_collision_prefers_the_installation_regency() -> None:
    # Tanjung Pinang is also a city in Riau; Damit a village in Tanah Laut too.
    assert find_places("di Desa Damit ada keributan", home="64.01").desa == ["64.01.03.2003"]
    assert find_places("di Desa Damit ada keributan", home="63.01").desa == ["63.01.09.2007"]


def test_context_resolves_an_ambiguous_name() -> None:
    # "Sumber Sari" and "Harapan Baru" are villages in many regencies; the kecamatan beside them decides.
    assert find_places("Desa Sumber Sari Kecamatan Babulu", home="64.01").desa == ["64.09.03.2009"]
    assert find_places("Desa Harapan Baru, Kecamatan Kuaro", home="64.01").desa == ["64.01.05.2004"]


def test_reporter_region_resolves_a_name_the_text_leaves_ambiguous() -> None:
    alone = find_places("keributan di desa Sumber Sari", home="64.01")
    near = find_places("keributan di desa Sumber Sari", home="64.01", reporter_region="64.09.03")
    assert near.desa == ["64.09.03.2009"]
    assert alone.desa != near.desa
    assert alone.confidence < near.confidence


def test_neighbouring_regencies_and_cities_are_found() -> None:
    result = find_places("rombongan dari Samarinda dan Balikpapan menuju Penajam Paser Utara", home="64.01")
    assert {f.code for f in result.found} == {"64.72", "64.71", "64.09"}
    assert find_places("kejadian di Sepaku PPU", home="64.01").kecamatan == "64.09.04"


@pytest.mark.parametrize(
    "text",
    [
        "Masyarakat adat Dayak Paser menolak rencana itu",
        "air Sungai Kandilo keruh dan berbau",
        "orang Bugis dan Banjar berselisih paham",
        "Jl. Kuaro macet total",
        "harga kerang naik, ada random orang datang",
        "suku Paser dan suku Jawa hidup rukun",
    ],
)
def test_landmarks_peoples_and_common_words_are_not_places(text: str) -> None:
    assert find_places(text, home="64.01").found == []


def test_resolve_name_turns_label_names_into_codes() -> None:
    g = gazetteer("64.01")
    assert g.resolve_name("Long Ikis", level=3) == "64.01.06"
    assert g.resolve_name("Lombok", level=4, within="64.01.06") == "64.01.06.2006"
    assert g.resolve_name("64.72", level=2) == "64.72"
    assert g.resolve_name("Negeri Antah Berantah", level=3) is None
