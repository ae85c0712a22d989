"""Bad GeoJSON is reported with file, feature number, kode and reason, and writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from waspada.regions.importers import RegionImportError, import_boundaries
from waspada.regions.models import Region

from .conftest import boundaries_dir, snapshot

TRIANGLE = {"type": "Polygon", "coordinates": [[[116.0, -1.6], [116.2, -1.6], [116.2, -1.4], [116.0, -1.6]]]}
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[116.0, -1.6], [116.2, -1.4], [116.2, -1.6], [116.0, -1.4], [116.0, -1.6]]],
}
SWAPPED_AXES = {
    "type": "Polygon",
    "coordinates": [[[-1.6, 116.0], [-1.6, 116.2], [-1.4, 116.2], [-1.6, 116.0]]],
}


def feature(code: str, geometry: Any, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"kode": code, **properties}, "geometry": geometry}


def collection(*features: dict[str, Any]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


CASES: dict[str, tuple[str, str]] = {
    "self-intersecting bow tie": (
        collection(feature("64.01.05", TRIANGLE), feature("64.01.06", BOW_TIE)),
        "batas.geojson fitur 2 (kode 64.01.06): geometri tidak sah: Self-intersection",
    ),
    "unknown kode": (
        collection(feature("64.01.05", TRIANGLE), feature("64.01.99", TRIANGLE)),
        "batas.geojson fitur 2 (kode 64.01.99): wilayah belum ada",
    ),
    "not a region code": (
        collection(feature("Long Ikis", TRIANGLE)),
        "batas.geojson fitur 1: 'Long Ikis' bukan kode wilayah Kemendagri",
    ),
    "no kode property": (
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {}, "geometry": TRIANGLE}],
            }
        ),
        "batas.geojson fitur 1: properti kode tidak ada",
    ),
    "point instead of polygon": (
        collection(feature("64.01.06", {"type": "Point", "coordinates": [116.1, -1.5]})),
        "batas.geojson fitur 1 (kode 64.01.06): geometri harus Polygon atau MultiPolygon, bukan Point",
    ),
    "lat/lng order swapped": (
        collection(feature("64.01.06", SWAPPED_AXES)),
        "batas.geojson fitur 1 (kode 64.01.06): koordinat tidak sah: titik [-1.6, 116.0] di luar rentang",
    ),
    "ring not closed": (
        collection(
            feature(
                "64.01.06",
                {
                    "type": "Polygon",
                    "coordinates": [[[116, -1.6], [116.2, -1.6], [116.2, -1.4], [116, -1.4]]],
                },
            )
        ),
        "batas.geojson fitur 1 (kode 64.01.06): koordinat tidak sah: cincin poligon tidak tertutup",
    ),
    "latitude property out of range": (
        collection(feature("64.01.06", TRIANGLE, lat=-100, lng=116.1)),
        "batas.geojson fitur 1 (kode 64.01.06): lintang -100 di luar rentang -90..90",
    ),
    "duplicate feature": (
        collection(feature("64.01.06", TRIANGLE), feature("64.01.06", TRIANGLE)),
        "batas.geojson fitur 2 (kode 64.01.06): kode ganda (sudah ada di fitur 1)",
    ),
    "not GeoJSON at all": ("kode,nama\n64.01,Paser\n", "batas.geojson: bukan GeoJSON"),
    "JSON but not a FeatureCollection": (
        json.dumps(feature("64.01.06", TRIANGLE)),
        "batas.geojson: bukan GeoJSON FeatureCollection",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(CASES))
def test_bad_boundary_file_is_reported_and_leaves_the_database_unchanged(
    case: str, paser_regions: Region, tmp_path: Path
) -> None:
    import_boundaries(boundaries_dir() / "paser_kecamatan.geojson")
    content, expected = CASES[case]
    path = tmp_path / "batas.geojson"
    path.write_text(content, encoding="utf-8")
    before = snapshot()

    with pytest.raises(RegionImportError) as caught:
        import_boundaries(path)

    assert expected in str(caught.value)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_boundary_for_a_region_not_yet_imported_names_the_remedy(db: None, tmp_path: Path) -> None:
    with pytest.raises(RegionImportError) as caught:
        import_boundaries(boundaries_dir() / "paser_kecamatan.geojson")

    assert len(caught.value.errors) == 10
    assert caught.value.errors[0] == (
        "paser_kecamatan.geojson fitur 1 (kode 64.01.01): wilayah belum ada; impor daftar kode wilayah dahulu"
    )
