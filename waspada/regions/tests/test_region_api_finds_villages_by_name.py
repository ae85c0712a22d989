from __future__ import annotations

import pytest
from django.test import Client

from waspada.regions.models import Region

URL = "/api/v1/regions/"


def codes(response_json: list[dict[str, object]]) -> list[object]:
    return [region["code"] for region in response_json]


@pytest.mark.django_db
def test_search_long_ikis_finds_the_kecamatan_first(paser_regions: Region, logged_in_client: Client) -> None:
    response = logged_in_client.get(URL, {"q": "long ikis"})

    assert response.status_code == 200
    results = response.json()
    assert codes(results) == ["64.01.06", "64.01.06.1001"]
    assert results[0] == {
        "code": "64.01.06",
        "name": "Long Ikis",
        "level": 3,
        "type": "kecamatan",
        "parent_code": "64.01",
        "latitude": None,
        "longitude": None,
        "label": "Kecamatan Long Ikis",
        "ancestors": [
            {"code": "64", "name": "Kalimantan Timur", "level": 1, "label": "Kalimantan Timur"},
            {"code": "64.01", "name": "Kabupaten Paser", "level": 2, "label": "Kabupaten Paser"},
        ],
    }
    assert results[1]["label"] == "Kelurahan Long Ikis"


@pytest.mark.django_db
def test_part_of_a_name_finds_tanah_grogot(paser_regions: Region, logged_in_client: Client) -> None:
    results = logged_in_client.get(URL, {"q": "GROGOT"}).json()

    assert [(r["code"], r["label"]) for r in results] == [
        ("64.01.04", "Kecamatan Tanah Grogot"),
        ("64.01.04.1001", "Kelurahan Tanah Grogot"),
    ]


@pytest.mark.django_db
def test_a_village_name_finds_the_village_with_its_kecamatan(
    paser_regions: Region, logged_in_client: Client
) -> None:
    results = logged_in_client.get(URL, {"q": "lombok", "level": 4}).json()

    assert codes(results) == ["64.01.06.2006"]
    assert [a["label"] for a in results[0]["ancestors"]][-1] == "Kecamatan Long Ikis"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["64.01.06.2006", "6401062006"])
def test_a_dotted_or_compact_code_finds_the_region(
    query: str, paser_regions: Region, logged_in_client: Client
) -> None:
    results = logged_in_client.get(URL, {"q": query}).json()

    assert codes(results) == ["64.01.06.2006"]


@pytest.mark.django_db
def test_a_code_finds_the_region_before_those_below_it(
    paser_regions: Region, logged_in_client: Client
) -> None:
    results = logged_in_client.get(URL, {"q": "6401", "limit": 5}).json()

    assert codes(results)[:2] == ["64.01", "64.01.01"]
    assert len(results) == 5


@pytest.mark.django_db
def test_within_and_level_narrow_the_search(paser_regions: Region, logged_in_client: Client) -> None:
    results = logged_in_client.get(URL, {"q": "muara", "within": "64.01.07", "level": 4}).json()

    assert results
    assert all(r["code"].startswith("64.01.07.") and r["level"] == 4 for r in results)


@pytest.mark.django_db
def test_level_1_without_a_query_lists_the_provinces(paser_regions: Region, logged_in_client: Client) -> None:
    results = logged_in_client.get(URL, {"level": 1}).json()

    assert codes(results) == ["64"]


@pytest.mark.django_db
def test_children_of_paser_are_its_10_kecamatan_in_code_order(
    paser_regions: Region, logged_in_client: Client
) -> None:
    response = logged_in_client.get(f"{URL}64.01/children")

    assert response.status_code == 200
    assert codes(response.json()) == [f"64.01.{n:02d}" for n in range(1, 11)]
    assert response.json()[5]["label"] == "Kecamatan Long Ikis"


@pytest.mark.django_db
def test_one_region_comes_with_its_ancestors(paser_regions: Region, logged_in_client: Client) -> None:
    response = logged_in_client.get(f"{URL}6401062006")

    assert response.status_code == 200
    region = response.json()
    assert (region["code"], region["label"], region["parent_code"]) == (
        "64.01.06.2006",
        "Desa Lombok",
        "64.01.06",
    )
    assert [a["code"] for a in region["ancestors"]] == ["64", "64.01", "64.01.06"]


@pytest.mark.django_db
def test_an_unknown_code_is_a_404_with_an_indonesian_message(
    paser_regions: Region, logged_in_client: Client
) -> None:
    for url in (f"{URL}64.01.99", f"{URL}64.01.99/children"):
        response = logged_in_client.get(url)
        assert response.status_code == 404
        assert response.json()["detail"] == "Wilayah dengan kode 64.01.99 tidak ditemukan."


@pytest.mark.django_db
def test_bad_parameters_are_refused(paser_regions: Region, logged_in_client: Client) -> None:
    assert logged_in_client.get(URL, {"q": "paser", "limit": 51}).status_code == 422
    assert logged_in_client.get(URL, {"level": 5}).status_code == 422
    response = logged_in_client.get(URL, {"within": "Paser"})
    assert response.status_code == 422
    assert "bukan kode wilayah" in response.json()["detail"]


@pytest.mark.django_db
def test_anonymous_visitors_get_401(paser_regions: Region) -> None:
    client = Client()

    for url in (URL + "?q=paser", f"{URL}64.01", f"{URL}64.01/children"):
        response = client.get(url)
        assert response.status_code == 401
        assert "Perlu masuk" in response.json()["detail"]


@pytest.mark.django_db
def test_min_level_keeps_the_regency_out_of_a_place_search(
    paser_regions: Region, logged_in_client: Client
) -> None:
    # The report form's picker: a report lies in a kecamatan or a village, never "Kabupaten Paser".
    everything = codes(logged_in_client.get(URL, {"q": "paser"}).json())
    places = codes(logged_in_client.get(URL, {"q": "paser", "min_level": 3}).json())

    assert "64.01" in everything
    assert places and "64.01" not in places
    assert "64.01.03" in places  # Kecamatan Paser Belengkong
