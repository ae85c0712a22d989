"""'Gunakan lokasi saya': a GPS point → the village of the regency whose centroid is nearest."""

from __future__ import annotations

import pytest
from django.test import Client

from waspada.people.models import Person
from waspada.regions.models import Region
from waspada.regions.places import nearest_village

pytestmark = pytest.mark.django_db

# Centroids of three Long Ikis villages (cahyadsn/wilayah, MIT); the bundled code list has none.
CENTROIDS = {
    "64.01.06.2006": (-1.581678, 116.095874),  # Lombok
    "64.01.06.2007": (-1.587721, 116.166892),  # Pait
    "64.01.06.1001": (-1.601536, 116.203868),  # Kelurahan Long Ikis
}


@pytest.fixture
def centroids(paser: Region) -> None:
    for code, (lat, lon) in CENTROIDS.items():
        Region.objects.filter(code=code).update(latitude=lat, longitude=lon)


def test_a_point_between_villages_belongs_to_the_nearest_centroid(centroids: None) -> None:
    found = nearest_village(-1.585, 116.15)  # 1.9 km from Pait, 6 km from Lombok
    assert found is not None and found.region.code == "64.01.06.2007"
    assert 1.5 < found.distance_km < 2.5
    assert nearest_village(-1.58, 116.10).region.code == "64.01.06.2006"  # type: ignore[union-attr]


def test_a_point_far_from_every_village_finds_none(centroids: None) -> None:
    assert nearest_village(-6.2, 106.8) is None  # Jakarta
    assert nearest_village(-1.58, 116.6) is None  # 50 km east, in the sea


def test_the_api_answers_the_village_with_where_it_lies(
    centroids: None, desa_reporter: Person, client: Client
) -> None:
    client.force_login(desa_reporter)
    response = client.get("/api/v1/regions/nearest", {"lat": "-1.5817", "lon": "116.0959"})
    assert response.status_code == 200
    body = response.json()
    assert body["region"]["code"] == "64.01.06.2006"
    assert body["region"]["label"] == "Desa Lombok"
    assert [a["label"] for a in body["region"]["ancestors"]][-1] == "Kecamatan Long Ikis"
    assert body["distance_km"] < 0.1

    far = client.get("/api/v1/regions/nearest", {"lat": "-6.2", "lon": "106.8"})
    assert far.status_code == 404
    assert "ketik nama desanya" in far.json()["detail"]
    assert client.get("/api/v1/regions/nearest", {"lat": "95", "lon": "116"}).status_code == 422


def test_the_api_needs_a_login(centroids: None, client: Client) -> None:
    assert client.get("/api/v1/regions/nearest", {"lat": "-1.58", "lon": "116.1"}).status_code == 401
