from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from waspada.regions.importers import import_boundaries
from waspada.regions.models import Region

from .conftest import boundaries_dir


@pytest.fixture
def admin_client_id(db: None) -> Client:
    user = get_user_model().objects.create_superuser(
        username="admin.wilayah", email="admin@waspada.test", password="Sandi-Admin-2026!"
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_admin_searches_regions_by_name_and_code_and_filters_by_level(
    paser_regions: Region, admin_client_id: Client
) -> None:
    by_name = admin_client_id.get("/admin/regions/region/", {"q": "long ikis"})
    by_code = admin_client_id.get("/admin/regions/region/", {"q": "6401062006"})
    by_level = admin_client_id.get("/admin/regions/region/", {"level__exact": 3})

    assert by_name.status_code == by_code.status_code == by_level.status_code == 200
    assert "64.01.06.1001" in by_name.content.decode()
    assert "Lombok" in by_code.content.decode()
    assert "Tanah Grogot" in by_level.content.decode()
    assert "64.01.06.1001" not in by_level.content.decode()
    assert "Wilayah" in by_level.content.decode()  # Indonesian labels


@pytest.mark.django_db
def test_admin_shows_the_boundary_as_text_and_allows_no_edits(
    paser_regions: Region, admin_client_id: Client
) -> None:
    import_boundaries(boundaries_dir() / "paser_kecamatan.geojson")

    page = admin_client_id.get("/admin/regions/region/64.01.06/change/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Kecamatan Long Ikis, Kabupaten Paser" in html
    assert "titik" in html and "&quot;coordinates&quot;" in html
    assert 'name="name"' not in html  # read-only
    assert admin_client_id.get("/admin/regions/region/add/").status_code == 403
    assert admin_client_id.post("/admin/regions/region/64.01.06/delete/").status_code == 403
