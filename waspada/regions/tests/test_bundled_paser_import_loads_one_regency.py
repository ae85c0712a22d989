from __future__ import annotations

import pytest

from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Level, Region, RegionType

from .conftest import snapshot


@pytest.mark.django_db
def test_paser_only_import_loads_the_regency_its_province_10_kecamatan_and_144_villages() -> None:
    result = load_bundled_regions("64.01")

    assert result.created == {Level.PROVINSI: 1, Level.KABUPATEN: 1, Level.KECAMATAN: 10, Level.DESA: 144}
    assert result.total_updated == 0
    assert Region.objects.count() == 156
    assert list(Region.objects.filter(level=Level.PROVINSI).values_list("code", "name")) == [
        ("64", "Kalimantan Timur")
    ]
    paser = Region.objects.get(code="64.01")
    assert (paser.name, paser.type, paser.parent_id) == ("Kabupaten Paser", RegionType.KABUPATEN, "64")
    assert paser.children.count() == 10
    villages = Region.objects.within(paser).filter(level=Level.DESA)
    assert villages.filter(type=RegionType.DESA).count() == 139
    assert sorted(villages.filter(type=RegionType.KELURAHAN).values_list("name", flat=True)) == [
        "Kuaro",
        "Long Ikis",
        "Long Kali",
        "Muara Komam",
        "Tanah Grogot",
    ]
    long_ikis = Region.objects.get(code="64.01.06")
    assert (long_ikis.name, long_ikis.search_name, long_ikis.label) == (
        "Long Ikis",
        "long ikis",
        "Kecamatan Long Ikis",
    )


@pytest.mark.django_db
def test_re_importing_paser_updates_in_place_and_duplicates_nothing() -> None:
    load_bundled_regions("64.01")
    before = snapshot()

    again = load_bundled_regions("64.01")

    assert again.total_created == 0
    assert again.updated == {Level.PROVINSI: 1, Level.KABUPATEN: 1, Level.KECAMATAN: 10, Level.DESA: 144}
    assert snapshot() == before


@pytest.mark.django_db
def test_re_import_restores_a_name_changed_in_the_database() -> None:
    load_bundled_regions("64.01")
    Region.objects.filter(code="64.01.06").update(name="Long Ikis Lama", search_name="long ikis lama")

    load_bundled_regions("64.01")

    region = Region.objects.get(code="64.01.06")
    assert (region.name, region.search_name) == ("Long Ikis", "long ikis")
    assert Region.objects.filter(code="64.01.06").count() == 1


@pytest.mark.django_db
def test_only_a_kecamatan_loads_it_with_its_villages_and_ancestors() -> None:
    result = load_bundled_regions("640106")  # compact codes are accepted too

    assert result.created[Level.PROVINSI] == 1
    assert result.created[Level.KABUPATEN] == 1
    assert result.created[Level.KECAMATAN] == 1
    assert set(Region.objects.filter(level=Level.DESA).values_list("parent_id", flat=True)) == {"64.01.06"}
    assert Region.objects.filter(level=Level.DESA).count() == result.created[Level.DESA] > 0
