"""With all 91,599 regions loaded, names shared across the country resolve to Paser first."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from waspada.regions.importers import load_bundled_regions

URL = "/api/v1/regions/"


@pytest.mark.django_db
def test_country_wide_search_prefers_exact_names_then_the_home_regency(
    logged_in_client: Client, settings: Settings
) -> None:
    load_bundled_regions(None)
    settings.WASPADA_HOME_REGION = "64.01"

    def search(**params: object) -> list[str]:
        response = logged_in_client.get(URL, params)
        assert response.status_code == 200
        return [region["code"] for region in response.json()]

    # 36 regions are called "Tanjung Harapan"; the home regency's kecamatan comes first.
    tanjung_harapan = search(q="tanjung harapan", limit=50)
    assert tanjung_harapan[0] == "64.01.02"
    assert len(tanjung_harapan) > 30

    lombok = search(q="lombok", limit=50)
    assert lombok[0] == "64.01.06.2006"  # Paser's desa before the other exact "Lombok"s
    assert lombok.index("18.04.22.2001") < lombok.index("52.01")  # exact name before prefix matches

    assert search(q="long ikis") == ["64.01.06", "64.01.06.1001"]
    assert len(search(q="a", limit=50)) == 50
    assert len(search(level=2, limit=50)) == 50
    assert search(q="6401062006") == ["64.01.06.2006"]
    assert len(logged_in_client.get(f"{URL}11.01/children").json()) > 10

    settings.WASPADA_HOME_REGION = "18.04"
    assert search(q="lombok")[0] == "18.04.22.2001"
