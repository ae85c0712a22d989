"""CAP 1.2 documents (OASIS Common Alerting Protocol) and the Atom index of current alerts.

Tingkat kewaspadaan → CAP (docs/exchange.md explains the choice):

    level     severity   urgency    certainty  responseType
    awas      Extreme    Immediate  Likely     Prepare   (violence happening or imminent)
    siaga     Severe     Expected   Likely     Prepare
    waspada   Moderate   Future     Possible   Monitor
    normal    Minor      Future     Unlikely   Monitor
    (Cancel messages: responseType AllClear)

The area is the region's Kemendagri code as ``<geocode><valueName>KEMENDAGRI</valueName>`` and its
boundary (from the imported GeoJSON; a region without one uses its children's) as CAP polygons,
"lat,lon" pairs in a closed ring, simplified to at most ``MAX_POINTS`` points each.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from waspada.exchange.models import Alert, MsgType, Scope
from waspada.exchange.xlsx import NOT_XML
from waspada.forums.models import Forum, ForumKind
from waspada.regions.models import Region
from waspada.regions.names import code_within
from waspada.reports.taxonomy import Isu

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
MAX_POINTS = 200
MAX_POLYGONS = 10

LEVEL_TO_CAP: dict[str, tuple[str, str, str, str]] = {
    "awas": ("Extreme", "Immediate", "Likely", "Prepare"),
    "siaga": ("Severe", "Expected", "Likely", "Prepare"),
    "waspada": ("Moderate", "Future", "Possible", "Monitor"),
    "normal": ("Minor", "Future", "Unlikely", "Monitor"),
}
# CAP category by isu: social conflict, crime and order are Security; the rest by their nature.
ISU_TO_CATEGORY: dict[str, str] = {
    "bencana": "Safety",
    "lingkungan": "Env",
    "infrastruktur_logistik": "Infra",
    "ekonomi_buruh": "Other",
    "lainnya": "Other",
}


def category_of(isu: str) -> str:
    return ISU_TO_CATEGORY.get(isu, "Security")


def cap_time(moment: datetime) -> str:
    """``2026-12-04T09:30:00+08:00``: whole seconds, a numeric offset (CAP forbids ``Z``)."""
    local = timezone.localtime(moment).replace(microsecond=0)
    return local.isoformat()


def _ring(coords: Iterable[tuple[float, ...]]) -> str:
    return " ".join(f"{lat:.5f},{lon:.5f}" for lon, lat, *_rest in coords)


def region_polygons(region: Region) -> list[str]:
    """CAP polygons of the region: the largest parts of its (or its children's) boundary,
    each exterior ring simplified until it has at most MAX_POINTS points. Holes are dropped
    (CAP has none)."""
    from shapely.geometry import MultiPolygon, Polygon, shape
    from shapely.ops import unary_union

    if region.boundary:
        geometry = shape(region.boundary)
    else:
        children = [
            shape(boundary)
            for boundary in Region.objects.filter(parent=region, boundary__isnull=False).values_list(
                "boundary", flat=True
            )
        ]
        if not children:
            return []
        geometry = unary_union(children)
    parts: list[Polygon]
    if isinstance(geometry, MultiPolygon):
        parts = sorted(geometry.geoms, key=lambda p: -p.area)[:MAX_POLYGONS]
    elif isinstance(geometry, Polygon):
        parts = [geometry]
    else:
        return []
    rings = []
    for part in parts:
        outline = Polygon(part.exterior)
        tolerance = 0.0002
        while len(outline.exterior.coords) > MAX_POINTS and tolerance < 1:
            outline = Polygon(part.exterior).simplify(tolerance, preserve_topology=True)
            tolerance *= 2
        if len(outline.exterior.coords) >= 4:
            rings.append(_ring(outline.exterior.coords))
    return rings


def _area_description(region: Region) -> str:
    """ "Kecamatan Long Ikis, Kabupaten Paser, Kalimantan Timur": the region and its parents up to
    the province, smallest first."""
    names = [r.label for r in reversed([*region.ancestors(), region])]
    return ", ".join(names)


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    # Plain names under a root that declares the default namespace: ElementTree writes no prefixes.
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = NOT_XML.sub("", text)
    return element


def _addresses(region: Region) -> str:
    """The TKD forums whose jurisdiction holds the region: a Private alert's addressees."""
    codes = [
        code
        for code, jurisdiction in Forum.objects.filter(kind=ForumKind.TKD).values_list(
            "code", "jurisdiction_id"
        )
        if code_within(region.code, jurisdiction)
    ]
    return " ".join(f'"{code}"' if " " in code else code for code in codes) or "TKD"


def cap_document(alert: Alert, *, web: str | None = None) -> bytes:
    """The alert message as a CAP 1.2 XML document (UTF-8), in Indonesian."""
    with translation.override("id"):
        root = ET.Element("alert", xmlns=CAP_NS)
        _sub(root, "identifier", alert.identifier)
        _sub(root, "sender", alert.sender)
        _sub(root, "sent", cap_time(alert.sent))
        _sub(root, "status", alert.status)
        _sub(root, "msgType", alert.msg_type)
        _sub(root, "scope", alert.scope)
        if alert.scope == Scope.RESTRICTED:
            _sub(
                root,
                "restriction",
                f"Hanya untuk anggota Tim Kewaspadaan Dini dan Forkopimda {alert.region.name}; "
                "jangan diteruskan ke publik.",
            )
        elif alert.scope == Scope.PRIVATE:
            _sub(root, "addresses", _addresses(alert.region))
        if alert.msg_type == MsgType.CANCEL:
            _sub(root, "note", alert.description)
        earlier = alert.chain()
        if earlier:
            _sub(
                root,
                "references",
                " ".join(f"{m.sender},{m.identifier},{cap_time(m.sent)}" for m in earlier),
            )
        info = _sub(root, "info")
        _sub(info, "language", "id-ID")
        _sub(info, "category", category_of(alert.isu))
        _sub(info, "event", str(Isu(alert.isu).label))
        severity, urgency, certainty, response = LEVEL_TO_CAP[alert.level]
        _sub(info, "responseType", "AllClear" if alert.msg_type == MsgType.CANCEL else response)
        _sub(info, "urgency", urgency)
        _sub(info, "severity", severity)
        _sub(info, "certainty", certainty)
        code = _sub(info, "eventCode")
        _sub(code, "valueName", "WASPADA_ISU")
        _sub(code, "value", alert.isu)
        _sub(info, "effective", cap_time(alert.sent))
        _sub(info, "expires", cap_time(alert.expires_at))
        _sub(info, "senderName", settings.WASPADA_CAP_SENDER_NAME)
        _sub(info, "headline", alert.headline)
        _sub(info, "description", alert.description)
        if alert.instruction:
            _sub(info, "instruction", alert.instruction)
        if web:
            _sub(info, "web", web)
        parameter = _sub(info, "parameter")
        _sub(parameter, "valueName", "TINGKAT_KEWASPADAAN")
        _sub(parameter, "value", alert.level)
        area = _sub(info, "area")
        _sub(area, "areaDesc", _area_description(alert.region))
        for polygon in region_polygons(alert.region):
            _sub(area, "polygon", polygon)
        geocode = _sub(area, "geocode")
        _sub(geocode, "valueName", "KEMENDAGRI")
        _sub(geocode, "value", alert.region_id)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def atom_feed(
    alerts: Iterable[Alert], *, feed_url: str, title: str, document_url: Callable[[Alert], str]
) -> bytes:
    """An Atom index (RFC 4287) of alert messages, one entry per message linking its CAP document,
    as the OASIS "CAP feeds" practice describes."""
    rows: list[Any] = list(alerts)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, tag, attrs)
        if text is not None:
            element.text = NOT_XML.sub("", text)
        return element

    root = ET.Element("feed", xmlns=ATOM_NS)
    sub(root, "id", feed_url)
    sub(root, "title", title)
    sub(root, "updated", cap_time(max((a.sent for a in rows), default=timezone.now())))
    author = sub(root, "author")
    sub(author, "name", settings.WASPADA_CAP_SENDER_NAME)
    sub(root, "link", rel="self", href=feed_url, type="application/atom+xml")
    for alert in rows:
        entry = sub(root, "entry")
        sub(entry, "id", f"urn:uuid:{alert.identifier}")
        sub(entry, "title", alert.headline)
        sub(entry, "updated", cap_time(alert.sent))
        sub(entry, "published", cap_time(alert.sent))
        sub(entry, "summary", alert.description[:500])
        sub(entry, "category", term=alert.isu)
        sub(entry, "link", rel="alternate", type="application/cap+xml", href=document_url(alert))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
