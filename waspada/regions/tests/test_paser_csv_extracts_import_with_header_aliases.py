from __future__ import annotations

import pytest

from waspada.regions.importers import import_code_lists, load_bundled_regions
from waspada.regions.models import Level, Region

from .conftest import regions_dir, snapshot


@pytest.mark.django_db
def test_paser_extract_files_are_recognised_by_their_kode_headers(db: None) -> None:
    folder = regions_dir()
    files = [
        folder / "provinsi.csv",
        folder / "kabupaten_kota.csv",
        folder / "kecamatan.csv",
        folder / "desa_kelurahan.csv",
    ]

    result = import_code_lists(files, only="64.01")

    assert result.created == {Level.PROVINSI: 1, Level.KABUPATEN: 1, Level.KECAMATAN: 10, Level.DESA: 144}
    batu_sopang = Region.objects.get(code="64.01.01")
    assert (batu_sopang.latitude, batu_sopang.longitude) == (-1.750467, 115.912637)


@pytest.mark.django_db
def test_a_code_list_without_coordinates_keeps_the_centroids_already_loaded(db: None) -> None:
    import_code_lists(regions_dir(), only="64.01")
    before = snapshot()

    load_bundled_regions("64.01")  # idn-area-data has no lat/lng columns

    assert snapshot() == before
    assert Region.objects.get(code="64.01.06").latitude == -1.579522


@pytest.mark.django_db
def test_provinces_and_regencies_alone_are_a_valid_import(db: None) -> None:
    folder = regions_dir()

    result = import_code_lists([folder / "provinsi.csv", folder / "kabupaten_kota.csv"])

    assert result.created == {Level.PROVINSI: 3, Level.KABUPATEN: 10, Level.KECAMATAN: 0, Level.DESA: 0}
