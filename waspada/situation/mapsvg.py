"""The map as server-drawn SVG: boundaries from imported GeoJSON coloured by status, clustered markers.

Works with no internet and no tile server. Coordinates are Web Mercator pixels at an integer zoom
chosen to fit the area in about 900 px, so that a tile server (``WASPADA_MAP_TILE_URL``, e.g.
``https://tiles.example/{z}/{x}/{y}.png``) drops its 256 px tiles straight underneath.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from waspada.reports.taxonomy import ALERT_RANK

TARGET_WIDTH = 900
CLUSTER_PX = 28
# A marker's outline: dark, so an orange (siaga) marker stands out on an orange kecamatan, and a
# yellow one on yellow; the stroke keeps its width at every zoom.
OUTLINE = mark_safe('stroke="#1f2933" stroke-width="2" vector-effect="non-scaling-stroke"')


def project(lon: float, lat: float, zoom: int) -> tuple[float, float]:
    scale = 256 * 2**zoom
    lat = max(min(lat, 85.0), -85.0)
    x = (lon + 180.0) / 360.0 * scale
    y = (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * scale
    return x, y


def rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """Every ring of a GeoJSON Polygon or MultiPolygon, outer and inner alike; nothing for others."""
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


@dataclass
class Shape:
    code: str
    name: str
    status: str
    geometry: dict[str, Any]
    href: str


@dataclass
class Marker:
    lon: float
    lat: float
    level: str
    title: str
    href: str
    region_code: str


@dataclass
class Frame:
    zoom: int
    x0: float
    y0: float
    width: float
    height: float


def frame_for(shapes: list[Shape]) -> Frame | None:
    lons, lats = [], []
    for shape in shapes:
        for ring in rings(shape.geometry):
            for lon, lat, *_rest in ring:
                lons.append(lon)
                lats.append(lat)
    if not lons:
        return None
    zoom = 0
    for candidate in range(18, -1, -1):
        left, top = project(min(lons), max(lats), candidate)
        right, bottom = project(max(lons), min(lats), candidate)
        if right - left <= TARGET_WIDTH and bottom - top <= TARGET_WIDTH * 1.3:
            zoom = candidate
            break
    left, top = project(min(lons), max(lats), zoom)
    right, bottom = project(max(lons), min(lats), zoom)
    pad = 6
    return Frame(zoom, left - pad, top - pad, right - left + 2 * pad, bottom - top + 2 * pad)


def _path(geometry: dict[str, Any], zoom: int) -> str:
    parts = []
    for ring in rings(geometry):
        points: list[str] = []
        last = ""
        for lon, lat, *_rest in ring:
            x, y = project(lon, lat, zoom)
            point = f"{round(x)},{round(y)}"  # one pixel is plenty at this scale
            if point != last:
                points.append(point)
                last = point
        if len(points) >= 3:
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


def centroid(geometry: dict[str, Any], zoom: int) -> tuple[float, float] | None:
    """The area-weighted centroid, in map pixels, of the largest outer ring of a GeoJSON Polygon
    or MultiPolygon (a kecamatan's islands: its name on the main land)."""
    if geometry.get("type") == "Polygon":
        outers = [geometry["coordinates"][0]] if geometry["coordinates"] else []
    elif geometry.get("type") == "MultiPolygon":
        outers = [polygon[0] for polygon in geometry["coordinates"] if polygon]
    else:
        return None
    best: tuple[float, float, float] | None = None
    for ring in outers:
        points = [project(lon, lat, zoom) for lon, lat, *_rest in ring]
        area = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
            cross = x1 * y2 - x2 * y1
            area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if abs(area) < 1e-9:
            continue
        if best is None or abs(area) > best[0]:
            best = (abs(area), cx / (3 * area), cy / (3 * area))
    return None if best is None else (best[1], best[2])


def tiles(frame: Frame, url: str) -> str:
    out = []
    for tx in range(int(frame.x0 // 256), int((frame.x0 + frame.width) // 256) + 1):
        for ty in range(int(frame.y0 // 256), int((frame.y0 + frame.height) // 256) + 1):
            href = url.replace("{z}", str(frame.zoom)).replace("{x}", str(tx)).replace("{y}", str(ty))
            out.append(
                format_html(
                    '<image href="{href}" x="{x}" y="{y}" width="256" height="256"/>',
                    href=href,
                    x=tx * 256,
                    y=ty * 256,
                )
            )
    return "".join(out)


def clusters(markers: list[Marker], frame: Frame, cell: float) -> list[tuple[float, float, list[Marker]]]:
    """Group markers whose points fall in the same ``cell``-pixel square; each group drawn once."""
    groups: dict[tuple[int, int], list[Marker]] = defaultdict(list)
    for marker in markers:
        x, y = project(marker.lon, marker.lat, frame.zoom)
        groups[(int(x // cell), int(y // cell))].append(marker)
    out = []
    for members in groups.values():
        xs = [project(m.lon, m.lat, frame.zoom) for m in members]
        out.append((sum(p[0] for p in xs) / len(xs), sum(p[1] for p in xs) / len(xs), members))
    return out


def draw(
    shapes: list[Shape],
    outlines: list[Shape],
    markers: list[Marker],
    *,
    label: str,
    tile_url: str = "",
    cluster_href: Any = None,
    labels: bool = False,
) -> SafeString:
    """The map; ``labels``: each shape's name written at its centroid (the wall's kecamatan)."""
    frame = frame_for(shapes or outlines)
    if frame is None:
        return SafeString("")
    scale = frame.width / TARGET_WIDTH if frame.width > TARGET_WIDTH else 1.0
    body = [tiles(frame, tile_url)] if tile_url else []
    for shape in shapes:
        body.append(
            format_html(
                '<a href="{href}" class="region"><title>{name}: {status}</title>'
                '<path d="{d}" class="area st-{status}" data-code="{code}"/></a>',
                href=shape.href,
                name=shape.name,
                status=shape.status,
                d=_path(shape.geometry, frame.zoom),
                code=shape.code,
            )
        )
    for shape in outlines:
        body.append(format_html('<path d="{d}" class="outline"/>', d=_path(shape.geometry, frame.zoom)))
    if labels:
        # about a thirtieth of the map's width: readable across a room whatever the zoom
        label_size = max(13 * scale, frame.width / 30)
        for shape in shapes:
            point = centroid(shape.geometry, frame.zoom)
            if point is None:
                continue
            # kept inside the frame: a name at the edge is not cut (its width guessed from its length)
            half = len(shape.name) * label_size * 0.34
            x = min(max(point[0], frame.x0 + half), frame.x0 + frame.width - half)
            point = (x, min(max(point[1], frame.y0 + label_size), frame.y0 + frame.height - 4))
            # a white halo under dark letters reads on every status colour
            body.append(
                format_html(
                    '<text x="{x}" y="{y}" class="map-label" text-anchor="middle" font-size="{fs}" '
                    'fill="#1f2933" stroke="#ffffff" stroke-width="{sw}" paint-order="stroke">{name}</text>',
                    x=round(point[0]),
                    y=round(point[1]),
                    fs=round(label_size),
                    sw=round(label_size / 4, 1),
                    name=shape.name,
                )
            )
    for x, y, members in clusters(markers, frame, CLUSTER_PX * scale):
        top = max(members, key=lambda m: ALERT_RANK.get(m.level, 0))
        if len(members) == 1:
            body.append(
                format_html(
                    '<a href="{href}" class="marker"><title>{title}</title>'
                    '<circle cx="{x}" cy="{y}" r="{r}" class="lv-{level}" {outline}/></a>',
                    outline=OUTLINE,
                    href=top.href,
                    title=top.title,
                    x=round(x),
                    y=round(y),
                    r=round(6 * scale, 1),
                    level=top.level,
                )
            )
        else:
            codes = {m.region_code for m in members}
            common = codes.pop() if len(codes) == 1 else ""
            href = cluster_href(common) if cluster_href else "#"
            body.append(
                format_html(
                    '<a href="{href}" class="cluster"><title>{n} laporan/insiden</title>'
                    '<circle cx="{x}" cy="{y}" r="{r}" class="lv-{level}" {outline}/>'
                    '<text x="{x}" y="{ty}" text-anchor="middle" font-size="{fs}">{n}</text></a>',
                    outline=OUTLINE,
                    href=href,
                    n=len(members),
                    x=round(x),
                    y=round(y),
                    ty=round(y + 4 * scale),
                    r=round((10 + min(len(members), 50) ** 0.5 * 2) * scale, 1),
                    fs=round(11 * scale),
                    level=top.level,
                )
            )
    return format_html(
        '<svg class="map" viewBox="{x} {y} {w} {h}" role="img" aria-label="{label}">{body}</svg>',
        x=round(frame.x0),
        y=round(frame.y0),
        w=round(frame.width),
        h=round(frame.height),
        label=label,
        body=mark_safe("".join(body)),  # noqa: S308 - every piece built by format_html
    )
