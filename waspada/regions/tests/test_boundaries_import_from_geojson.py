from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from waspada.regions.importers import import_boundaries, import_code_lists
from waspada.regions.models import Level, Region

from .conftest import boundaries_dir, regions_dir


@pytest.mark.django_db
def test_paser_kecamatan_and_village_polygons_attach_to_all_154_regions(paser_regions: Region) -> None:
    kecamatan = import_boundaries(boundaries_dir() / "paser_kecamatan.geojson")
    villages = import_boundaries(boundaries_dir() / "paser_desa_kelurahan.geojson")
    regency = import_boundaries(boundaries_dir() / "paser_kabupaten.geojson")

    assert kecamatan.updated[Level.KECAMATAN] == 10
    assert villages.updated[Level.DESA] == 144
    assert regency.updated[Level.KABUPATEN] == 1
    assert kecamatan.total_created == villages.total_created == 0
    assert not Region.objects.within(paser_regions).filter(boundary__isnull=True).exists()

    long_ikis = Region.objects.get(code="64.01.06")
    assert long_ikis.boundary is not None
    assert long_ikis.boundary["type"] in ("Polygon", "MultiPolygon")
    assert (long_ikis.latitude, long_ikis.longitude) == (-1.579522, 116.192388)  # the feature's lat/lng
    assert shape(long_ikis.boundary).buffer(0.01).contains(Point(long_ikis.longitude, long_ikis.latitude))


@pytest.mark.django_db
def test_re_importing_boundaries_changes_nothing(paser_regions: Region) -> None:
    import_boundaries(boundaries_dir() / "paser_kecamatan.geojson")
    before = list(Region.objects.values_list("code", "boundary", "latitude", "longitude").order_by("code"))

    again = import_boundaries(boundaries_dir() / "paser_kecamatan.geojson")

    assert again.updated[Level.KECAMATAN] == 10
    assert (
        list(Region.objects.values_list("code", "boundary", "latitude", "longitude").order_by("code"))
        == before
    )


@pytest.mark.django_db
def test_a_provincial_layer_with_only_paser_sets_just_the_paser_boundary(
    paser_regions: Region, tmp_path: Path
) -> None:
    layer = json.loads((boundaries_dir() / "paser_kabupaten.geojson").read_text(encoding="utf-8"))
    neighbour = [[[116.5, -1.3], [116.8, -1.3], [116.8, -1.0], [116.5, -1.0], [116.5, -1.3]]]
    layer["features"].append(
        {
            "type": "Feature",
            "properties": {"kode": "64.09", "nama": "Kabupaten Penajam Paser Utara"},
            "geometry": {"type": "Polygon", "coordinates": neighbour},
        }
    )
    path = tmp_path / "kaltim.geojson"
    path.write_text(json.dumps(layer), encoding="utf-8")

    result = import_boundaries(path, only="64.01")

    assert result.total == 1
    assert Region.objects.get(code="64.01").boundary is not None
    assert not Region.objects.filter(code="64.09").exists()


@pytest.mark.django_db
def test_without_lat_lng_properties_the_centroid_comes_from_the_polygon(
    paser_regions: Region, tmp_path: Path
) -> None:
    square = [[[116.0, -1.6], [116.2, -1.6], [116.2, -1.4], [116.0, -1.4], [116.0, -1.6]]]
    # A U shape: its centroid falls in the gap, so the marker must move inside the polygon.
    u_shape = [
        [[116.0, -2.0], [116.3, -2.0], [116.3, -1.7], [116.2, -1.7], [116.2, -1.9],
         [116.1, -1.9], [116.1, -1.7], [116.0, -1.7], [116.0, -2.0]]
    ]  # fmt: skip
    path = tmp_path / "dua.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "64.01.06"},
                        "geometry": {"type": "Polygon", "coordinates": square},
                    },
                    {
                        "type": "Feature",
                        "properties": {"kode": "640104"},
                        "geometry": {"type": "Polygon", "coordinates": u_shape},
                    },
                ],
            }
        ),
        encoding="utf-8",
    )

    import_boundaries(path)

    long_ikis = Region.objects.get(code="64.01.06")
    assert (long_ikis.latitude, long_ikis.longitude) == pytest.approx((-1.5, 116.1))
    tanah_grogot = Region.objects.get(code="64.01.04")
    assert tanah_grogot.boundary == {"type": "Polygon", "coordinates": u_shape}
    assert shape(tanah_grogot.boundary).contains(Point(tanah_grogot.longitude, tanah_grogot.latitude))


@pytest.mark.django_db
def test_shared_code_lists_with_lat_lng_import_with_centroids(db: None) -> None:
    result = import_code_lists(regions_dir(), only="64.01")

    assert result.created == {Level.PROVINSI: 1, Level.KABUPATEN: 1, Level.KECAMATAN: 10, Level.DESA: 144}
    with open(regions_dir() / "desa_kelurahan.csv", encoding="utf-8") as handle:
        expected = {row["kode"]: (float(row["lat"]), float(row["lng"])) for row in csv.DictReader(handle)}
    stored = {
        code: (lat, lng)
        for code, lat, lng in Region.objects.filter(level=Level.DESA).values_list(
            "code", "latitude", "longitude"
        )
    }
    assert stored == expected
    assert Region.objects.get(code="64").latitude is not None
    assert not Region.objects.filter(latitude__isnull=True).exists()
