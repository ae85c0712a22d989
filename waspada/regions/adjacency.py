"""Which regencies neighbour a place: the answer behind "share with the neighbouring TKD".

Two sources, used by ``waspada/reports/borders.py`` for an incident:

1. **Boundaries, where imported.** A kecamatan or desa whose polygon touches the outer boundary of
   its regency, or comes within ``BORDER_DISTANCE_KM`` of it, lies on a stretch of that border.
   Which regencies lie across each stretch is not in the boundary files (Waspada ships Paser's
   polygons only, never its neighbours'), so it comes from ``BORDER_NEIGHBOURS``: a hand-written
   table, per border kecamatan, of the regencies across its land border.
2. **Named places, otherwise** (``waspada/reports/borders.py``): a report that names places of two
   regencies is cross-border.

Distances are planar on a local equirectangular projection: good to a few metres over the tens of
kilometres that matter here, and no GIS library for it.

``BORDER_NEIGHBOURS`` and its sources (kept true by ``regions/tests/test_adjacency.py``, which
checks each listed kecamatan against the packaged polygons):

- Kabupaten Paser's own limits as BPS Kabupaten Paser states them ("Kabupaten Paser Dalam
  Angka", chapter *Geografi*: north Kutai, i.e. Kutai Barat; east Penajam Paser Utara and the
  Makassar Strait; south Kotabaru, Kalimantan Selatan; west Tabalong, Kalimantan Selatan) and the
  Wikipedia articles "Kabupaten Paser", "Kabupaten Penajam Paser Utara" (PPU: south Paser, west
  Kutai Barat), "Kabupaten Tabalong" (east: Paser) and "Kabupaten Balangan" (east: Kotabaru and
  Kalimantan Timur).
- Each regency was placed on the border kecamatan whose packaged polygon touches Paser's outer
  boundary on that side (the touching stretch of each kecamatan, in degrees: Long Kali 115.84-
  116.56 E, 0.97-1.67 S, north and north-east; Muara Komam 115.62-115.84 E, 1.17-1.80 S, west;
  Batu Sopang 115.71-115.73 E, 1.80-1.95 S, west; Muara Samu 115.69-115.89 E, 1.95-2.39 S,
  south-west; Batu Engau 115.90-116.41 E, 2.12-2.37 S, south; Tanjung Harapan 116.36-116.60 E,
  2.04-2.41 S, south-east, mostly coast). Long Ikis, Kuaro, Tanah Grogot and Paser Belengkong
  touch the outer boundary only on the coast of Teluk Adang and the strait: no regency lies
  across them. Kalimantan Tengah, which BPS names on the west, is left out: the sources do not
  say which of its regencies meets Paser, and a guess would send an incident to the wrong TKD.

The table is an offer, not a decision: the analyst may share with any other regency's TKD.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from waspada.regions.models import Level, Region

# A place this close to its regency's outer boundary is "on the border": the packaged kecamatan,
# desa and regency polygons come from separate, simplified files and disagree by a few hundred
# metres, and an incident 1-2 km from the line concerns the neighbour as much as one on it.
BORDER_DISTANCE_KM = 1.5

# Border kecamatan → the regencies across its land border (sources in the module docstring).
BORDER_NEIGHBOURS: dict[str, tuple[str, ...]] = {
    # Kabupaten Paser (64.01)
    "64.01.08": ("64.09", "64.07"),  # Long Kali: Penajam Paser Utara, Kutai Barat
    "64.01.07": ("63.09", "64.07"),  # Muara Komam (Muara Kate): Tabalong, Kutai Barat
    "64.01.01": ("63.09",),  # Batu Sopang: Tabalong
    "64.01.10": ("63.09", "63.11", "63.02"),  # Muara Samu: Tabalong, Balangan, Kotabaru
    "64.01.09": ("63.02",),  # Batu Engau: Kotabaru
    "64.01.02": ("63.02",),  # Tanjung Harapan: Kotabaru
}

_KM_PER_DEGREE_LAT = 110.57
_KM_PER_DEGREE_LON_AT_EQUATOR = 111.32

Point = tuple[float, float]
Ring = Sequence[Sequence[float]]


def regency_code(code: str) -> str | None:
    """The regency (kabupaten/kota) a region code lies in, or None for a province."""
    parts = code.split(".")
    if len(parts) < 2:
        return None
    return ".".join(parts[:2])


def kecamatan_code(code: str) -> str | None:
    parts = code.split(".")
    if len(parts) < 3:
        return None
    return ".".join(parts[:3])


def _rings(geometry: Any) -> list[Ring]:
    """Every ring (outer and holes) of a GeoJSON Polygon or MultiPolygon; [] for anything else."""
    if not isinstance(geometry, dict):
        return []
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coordinates)
    if kind == "MultiPolygon":
        return [ring for polygon in coordinates for ring in polygon]
    return []


def _project(ring: Ring, latitude: float) -> list[Point]:
    scale = _KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(latitude))
    return [(float(point[0]) * scale, float(point[1]) * _KM_PER_DEGREE_LAT) for point in ring]


def _point_to_segment(point: Point, start: Point, end: Point) -> float:
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = dx * dx + dy * dy
    t = (
        0.0
        if length == 0
        else max(0.0, min(1.0, ((point[0] - start[0]) * dx + (point[1] - start[1]) * dy) / length))
    )
    return math.hypot(point[0] - start[0] - t * dx, point[1] - start[1] - t * dy)


def _segments(rings: Iterable[list[Point]]) -> list[tuple[Point, Point]]:
    return [(ring[i], ring[i + 1]) for ring in rings for i in range(len(ring) - 1)]


def distance_to_outline_km(inner: Any, outer: Any) -> float | None:
    """The shortest distance (km) from a vertex of ``inner`` to the outline of ``outer`` (both
    GeoJSON geometries); None when either has no rings. A polygon that shares an edge with the
    outline is at 0: the packaged polygons are traced from the same lines, vertex by vertex."""
    inner_rings, outer_rings = _rings(inner), _rings(outer)
    if not inner_rings or not outer_rings:
        return None
    latitude = float(outer_rings[0][0][1])
    segments = _segments(_project(ring, latitude) for ring in outer_rings)
    best = math.inf
    for ring in inner_rings:
        for point in _project(ring, latitude):
            for start, end in segments:
                best = min(best, _point_to_segment(point, start, end))
                if best == 0.0:
                    return best
    return best


def _polygon_of(region: Region) -> tuple[Region, Any] | None:
    """The most precise imported polygon for ``region``: its own, else its kecamatan's."""
    if region.boundary:
        return region, region.boundary
    code = kecamatan_code(region.code)
    if code and code != region.code:
        kecamatan = Region.objects.filter(code=code).only("code", "boundary").first()
        if kecamatan is not None and kecamatan.boundary:
            return kecamatan, kecamatan.boundary
    return None


def neighbours_by_boundary(region: Region) -> list[str] | None:
    """The codes of the regencies across the border ``region`` lies on, from the imported
    boundaries; [] for a place inside its regency; None when the boundaries needed (the
    regency's and the place's or its kecamatan's) are not imported, so the caller falls back on
    the places a report names.

    Steps: take the place's polygon (or its kecamatan's), measure its distance to the regency's
    outline, and if it is within ``BORDER_DISTANCE_KM``, read the regencies across that
    kecamatan's stretch from ``BORDER_NEIGHBOURS``.
    """
    if region.level < Level.KECAMATAN:
        return None
    regency = regency_code(region.code)
    outline = Region.objects.filter(code=regency).values_list("boundary", flat=True).first()
    found = _polygon_of(region)
    if not outline or found is None:
        return None
    distance = distance_to_outline_km(found[1], outline)
    if distance is None or distance > BORDER_DISTANCE_KM:
        return []
    return list(BORDER_NEIGHBOURS.get(kecamatan_code(region.code) or "", ()))


def regencies_of(codes: Iterable[str]) -> list[str]:
    """The distinct regencies the region ``codes`` lie in, in the order first met."""
    seen: list[str] = []
    for code in codes:
        regency = regency_code(code)
        if regency and regency not in seen:
            seen.append(regency)
    return seen
