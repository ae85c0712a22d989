"""Which regencies neighbour a place, from Paser's packaged boundaries and the border table."""

from __future__ import annotations

import pytest

from waspada.regions.adjacency import (
    BORDER_DISTANCE_KM,
    BORDER_NEIGHBOURS,
    distance_to_outline_km,
    neighbours_by_boundary,
)
from waspada.regions.importers import load_bundled_regions, load_paser_boundaries
from waspada.regions.models import Region

MUARA_TOYU = "64.01.08.2008"  # Long Kali, on Paser's northern border
KUARO = "64.01.05.1001"  # the centre of the regency, 15 km from any border
PERKUWEN = "64.01.08.2009"  # Long Kali too, but 14 km inside


@pytest.fixture
def boundaries(db: None) -> None:
    load_bundled_regions("64.01")
    load_paser_boundaries()


def test_a_village_on_the_northern_border_neighbours_penajam_paser_utara(boundaries: None) -> None:
    assert "64.09" in (neighbours_by_boundary(Region.objects.get(code=MUARA_TOYU)) or [])


def test_a_village_in_the_centre_neighbours_nobody(boundaries: None) -> None:
    assert neighbours_by_boundary(Region.objects.get(code=KUARO)) == []


def test_an_inland_village_of_a_border_kecamatan_neighbours_nobody(boundaries: None) -> None:
    assert neighbours_by_boundary(Region.objects.get(code=PERKUWEN)) == []


def test_the_crossing_at_muara_komam_neighbours_tabalong(boundaries: None) -> None:
    assert "63.09" in (neighbours_by_boundary(Region.objects.get(code="64.01.07")) or [])


def test_without_imported_boundaries_the_answer_is_unknown(db: None) -> None:
    load_bundled_regions("64.01")
    assert neighbours_by_boundary(Region.objects.get(code=MUARA_TOYU)) is None


def test_every_kecamatan_of_the_border_table_touches_pasers_outline(boundaries: None) -> None:
    outline = Region.objects.get(code="64.01").boundary
    for code in BORDER_NEIGHBOURS:
        distance = distance_to_outline_km(Region.objects.get(code=code).boundary, outline)
        assert distance is not None and distance <= BORDER_DISTANCE_KM, code


def test_the_border_table_names_only_bundled_regencies_other_than_paser(db: None) -> None:
    for province in ("63", "64"):  # Kalimantan Selatan and Timur
        load_bundled_regions(province)
    for code, regencies in BORDER_NEIGHBOURS.items():
        for regency in regencies:
            assert regency != "64.01"
            assert Region.objects.filter(code=regency, level=2).exists(), (code, regency)
