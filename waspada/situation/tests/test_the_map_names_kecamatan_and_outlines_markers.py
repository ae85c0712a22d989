"""The wall's map names each kecamatan at its centroid, inside the frame; a marker has a dark outline,
so an orange (siaga) marker stays visible on an orange (siaga) kecamatan."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from waspada.regions.importers import load_paser_boundaries
from waspada.situation import mapsvg

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[116.0, -1.0], [116.2, -1.0], [116.2, -1.2], [116.0, -1.2], [116.0, -1.0]]],
}
ISLANDS = {
    "type": "MultiPolygon",
    "coordinates": [
        [[[116.3, -1.0], [116.31, -1.0], [116.31, -1.01], [116.3, -1.01], [116.3, -1.0]]],
        [[[116.4, -1.0], [116.6, -1.0], [116.6, -1.2], [116.4, -1.2], [116.4, -1.0]]],
    ],
}


def _shape(code: str, name: str, geometry: dict) -> mapsvg.Shape:
    return mapsvg.Shape(code=code, name=name, status="siaga", geometry=geometry, href="#")


def test_each_kecamatan_is_named_at_its_main_lands_centroid_inside_the_frame() -> None:
    shapes = [_shape("64.01.01", "Batu Sopang", SQUARE), _shape("64.01.02", "Tanjung Harapan", ISLANDS)]
    svg = str(mapsvg.draw(shapes, [], [], label="Peta", labels=True))
    assert svg.count('class="map-label"') == 2
    assert ">Batu Sopang</text>" in svg and ">Tanjung Harapan</text>" in svg
    frame = mapsvg.frame_for(shapes)
    assert frame is not None
    square_x, _y = mapsvg.project(116.1, -1.1, frame.zoom)
    island_x, _y = mapsvg.project(116.5, -1.1, frame.zoom)
    xs = [float(x) for x in re.findall(r'<text x="([\d.]+)"[^>]*class="map-label"', svg)]
    assert abs(xs[0] - square_x) <= 1  # the centroid of the square
    assert xs[1] <= frame.x0 + frame.width  # the big island's, kept inside the frame
    assert abs(xs[1] - island_x) < frame.width / 4  # not the tiny island's


def test_no_names_unless_asked() -> None:
    svg = str(mapsvg.draw([_shape("64.01.01", "Batu Sopang", SQUARE)], [], [], label="Peta"))
    assert "map-label" not in svg


def test_a_siaga_marker_on_a_siaga_kecamatan_has_a_dark_outline() -> None:
    marker = mapsvg.Marker(116.1, -1.1, "siaga", "SKD-1 Bentrok", "#", "64.01.01")
    svg = str(mapsvg.draw([_shape("64.01.01", "Batu Sopang", SQUARE)], [], [marker], label="Peta"))
    circle = re.search(r'<circle [^>]*class="lv-siaga"[^>]*/>', svg)
    assert circle and 'stroke="#1f2933"' in circle.group(0)


@pytest.mark.django_db
def test_the_map_page_names_each_kecamatan(paser: Any, kesbangpol_analyst: Any) -> None:
    """Issue 19: "the web map has no place names": the map page's SVG names the kecamatan, as the wall's."""
    load_paser_boundaries()
    client = Client()
    client.force_login(kesbangpol_analyst)
    html = client.get("/situasi/peta/").content.decode()
    svg = html.split('<svg class="map"')[1].split("</svg>")[0]
    names = re.findall(r'class="map-label"[^>]*>([^<]+)</text>', svg)
    assert len(names) == 10
    assert {"Long Ikis", "Tanah Grogot", "Batu Sopang"} <= set(names)
