"""The map: imported GeoJSON boundaries coloured by status, clustered markers, privacy of points, tiles."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from waspada.regions.importers import load_paser_boundaries
from waspada.regions.models import Region
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit
from waspada.situation.tests.helpers import incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def boundaries(paser: Region) -> None:
    load_paser_boundaries()


def _get(person: Any, path: str) -> Any:
    client = Client()
    client.force_login(person)
    return client.get(path)


def test_kecamatan_are_drawn_and_coloured_by_status(
    boundaries: None, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    incident(desa_reporter, kesbangpol_analyst, alert_level="siaga")
    html = _get(kesbangpol_analyst, "/situasi/peta/").content.decode()
    areas = re.findall(r'class="area st-(\w+)" data-code="([\d.]+)"', html)
    assert len(areas) == 10
    assert ("siaga", "64.01.06") in areas
    assert {status for status, code in areas if code != "64.01.06"} == {"normal"}
    assert "<image" not in html  # no tile server configured: nothing fetched from elsewhere
    assert "http" not in html.split('<svg class="map"')[1].split("</svg>")[0]


def test_a_kecamatan_shows_its_villages(
    boundaries: None, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    incident(desa_reporter, kesbangpol_analyst, alert_level="awas")
    html = _get(kesbangpol_analyst, "/situasi/peta/?region=64.01.06").content.decode()
    areas = dict(
        (code, status) for status, code in re.findall(r'class="area st-(\w+)" data-code="([\d.]+)"', html)
    )
    villages = Region.objects.filter(parent_id="64.01.06", boundary__isnull=False).count()
    assert len(areas) == villages > 5 and areas[LONG_IKIS_VILLAGE] == "awas"
    assert html.count('class="outline"') == 1  # the kecamatan's own border on top


def test_dense_markers_cluster_and_hostile_titles_stay_text(
    boundaries: None, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    for n in range(6):
        submit(desa_reporter, title=f"Laporan {n}")
    submit(desa_reporter, title="<script>alert(1)</script>", region_code="64.01.04.1001")
    html = _get(kesbangpol_analyst, "/situasi/peta/").content.decode()
    assert (
        '<a href="/situasi/laporan/?' in html and ">6</text>" in html
    )  # one cluster of six, linking to the list
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_exact_points_are_for_the_tkd_only(
    boundaries: None, desa_reporter: Any, kesbangpol_analyst: Any, regent: Any
) -> None:
    village = Region.objects.get(code=LONG_IKIS_VILLAGE)
    # far from the village centre, still in Paser
    report = incident(
        desa_reporter, kesbangpol_analyst, alert_level="awas", latitude=-1.2, longitude=116.0
    ).reports.get()
    assert report.latitude == -1.2

    def marker(person: Any) -> tuple[str, str]:
        html = _get(person, "/situasi/peta/").content.decode()
        found = re.search(r'<circle cx="(\d+)" cy="(\d+)" r="[\d.]+" class="lv-awas"', html)
        assert found, person
        return found.group(1), found.group(2)

    from waspada.situation.mapsvg import project

    analyst_point, regent_point = marker(kesbangpol_analyst), marker(regent)
    assert analyst_point != regent_point
    frame_zoom = int(re.search(r"zoom=(\d+)", "zoom=" + str(_zoom())).group(1))
    cx, cy = project(village.longitude, village.latitude, frame_zoom)
    assert regent_point == (str(round(cx)), str(round(cy)))  # the village centre, not the point


def _zoom() -> int:
    from waspada.situation.mapsvg import Shape, frame_for

    shapes = [
        Shape(r.code, r.name, "normal", r.boundary, "")
        for r in Region.objects.filter(level=3, boundary__isnull=False)
    ]
    frame = frame_for(shapes)
    assert frame is not None
    return frame.zoom


def test_a_configured_tile_server_is_drawn_under_the_map_and_allowed_by_the_csp(
    boundaries: None, kesbangpol_analyst: Any, settings: Any
) -> None:
    settings.WASPADA_MAP_TILE_URL = "https://tiles.kab.example/{z}/{x}/{y}.png"
    response = _get(kesbangpol_analyst, "/situasi/peta/")
    html = response.content.decode()
    assert re.search(r'<image href="https://tiles\.kab\.example/\d+/\d+/\d+\.png"', html)
    assert "img-src 'self' data: https://tiles.kab.example" in response["Content-Security-Policy"]
    assert "script-src 'self';" in response["Content-Security-Policy"]
