"""The one resolver behind the report form, the API and chat: a code, or a name a person types."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from waspada.regions.importers import load_bundled_regions
from waspada.regions.places import candidates_sentence, describe_all, resolve_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def paser_loaded() -> None:
    load_bundled_regions("64.01")


def test_a_village_name_spelled_anyhow_finds_the_one_village(paser_loaded: None) -> None:
    for text in ("Lombok", "lombok", "  LOMBOK ", "Desa Lombok", "Ds. Lombok"):
        found = resolve_place(text)
        assert found.region is not None and found.region.code == "64.01.06.2006", text
        assert found.problem == ""


def test_a_code_dotted_or_compact_finds_its_region(paser_loaded: None) -> None:
    assert resolve_place("64.01.06.2006").region.code == "64.01.06.2006"  # type: ignore[union-attr]
    assert resolve_place("6401062006").region.code == "64.01.06.2006"  # type: ignore[union-attr]
    assert resolve_place("99.99.99.9999").problem == "Kode wilayah 99.99.99.9999 tidak dikenal."


def test_a_kecamatan_and_its_namesake_kelurahan_are_offered_to_choose(paser_loaded: None) -> None:
    found = resolve_place("Long Ikis")

    assert found.region is None and found.ambiguous
    assert [r.code for r in found.candidates] == ["64.01.06", "64.01.06.1001"]
    assert found.problem == (
        "Ada 2 wilayah bernama “Long Ikis”. Pilih salah satu, atau tulis lebih lengkap "
        "(mis. “Kelurahan Long Ikis”)."
    )
    sentence = candidates_sentence(found)
    assert "Kecamatan Long Ikis, Kabupaten Paser (64.01.06)" in sentence
    assert "Kelurahan Long Ikis, Kecamatan Long Ikis, Kabupaten Paser (64.01.06.1001)" in sentence


def test_a_level_word_or_the_kecamatan_after_a_comma_settles_it(paser_loaded: None) -> None:
    assert resolve_place("Kecamatan Long Ikis").region.code == "64.01.06"  # type: ignore[union-attr]
    assert resolve_place("Kel. Long Ikis").region.code == "64.01.06.1001"  # type: ignore[union-attr]
    assert resolve_place("Long Ikis, Kecamatan Long Ikis").region.code == "64.01.06.1001"  # type: ignore[union-attr]
    # What the picker shows after a choice is read back as that choice.
    assert (
        resolve_place("Desa Lombok, Kecamatan Long Ikis, Kabupaten Paser").region.code  # type: ignore[union-attr]
        == "64.01.06.2006"
    )


def test_an_unknown_name_says_so_in_indonesian_and_offers_near_matches(paser_loaded: None) -> None:
    nothing = resolve_place("Atlantis")
    assert nothing.region is None and not nothing.candidates
    assert nothing.problem == (
        "Tidak ada desa/kelurahan atau kecamatan bernama “Atlantis”. Periksa ejaannya, atau tulis "
        "kode wilayahnya (mis. 64.01.06.2006)."
    )
    part = resolve_place("Grogot")
    assert part.region is None and not part.ambiguous
    assert "64.01.04" in [r.code for r in part.candidates]  # Kecamatan Tanah Grogot
    assert part.problem.startswith("Tidak ada desa/kelurahan atau kecamatan bernama “Grogot”. Pilih")


def test_a_regency_is_not_a_place_for_a_report_by_name(paser_loaded: None) -> None:
    assert resolve_place("Paser").region is None


def test_the_home_regency_wins_over_namesakes_and_a_province_installation_must_choose(
    settings: Settings,
) -> None:
    load_bundled_regions("64.01")
    load_bundled_regions("64.02")  # Kutai Kartanegara also has a Desa Selerong
    settings.WASPADA_HOME_REGION = "64.01"
    assert resolve_place("Selerong").region.code == "64.01.07.2013"  # type: ignore[union-attr]

    settings.WASPADA_HOME_REGION = "64"
    found = resolve_place("Selerong")
    assert found.ambiguous and [r.code for r in found.candidates] == ["64.01.07.2013", "64.02.07.2001"]
    assert "(mis. “Selerong, " in found.problem  # both are desa: the kecamatan tells them apart
    described = describe_all(found.candidates)
    assert described["64.01.07.2013"].endswith("Kabupaten Paser")
    assert described["64.02.07.2001"].endswith("Kabupaten Kutai Kartanegara")
    assert resolve_place("Selerong, Kutai Kartanegara").region.code == "64.02.07.2001"  # type: ignore[union-attr]
