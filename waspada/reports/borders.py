"""Incidents across borders: which neighbouring regencies (and their TKDs) an incident concerns.

The incident's page offers its deciding TKD's analysts to share it with these TKDs
(``reports/sharing.py``); nothing is shared by this module.

A regency is a neighbour of an incident when

1. the incident's place (its desa, else its kecamatan) lies on the regency's border, from the
   imported boundaries and the table of who lies across each stretch
   (``regions/adjacency.py: neighbours_by_boundary``); or
2. one of its reports names, in its text or as its place, a place of another regency (the
   triage's place finder, ``triage/gazetteer.py``): "truk dari Tabalong", "warga Babulu". This
   is the only source when the boundaries are not imported, and it adds to the first when they are.

Both are offers: the analyst reads the reason beside each and decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from waspada.forums.models import Forum, ForumKind
from waspada.regions.adjacency import neighbours_by_boundary, regencies_of, regency_code
from waspada.regions.models import Level, Region
from waspada.reports.models import Incident, Report

# A place the finder is less sure of than this ("Sepaku" as a word in a sentence) is not enough
# to call an incident cross-border.
MIN_CONFIDENCE = 0.5

BY_BOUNDARY = "batas"
BY_NAMED_PLACE = "disebut"
HOW_LABELS = {
    BY_BOUNDARY: _("tempat insiden di perbatasan"),
    BY_NAMED_PLACE: _("laporan menyebut tempat di kabupaten ini"),
}


@dataclass
class Neighbour:
    """A regency the incident concerns, why, and the TKDs that may receive it."""

    code: str
    name: str
    how: list[str] = field(default_factory=list)  # BY_BOUNDARY, BY_NAMED_PLACE
    named: list[str] = field(default_factory=list)  # the words of the reports that named it
    forums: list[Forum] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return [str(HOW_LABELS[how]) for how in self.how]


def _named_places(incident: Incident) -> dict[str, list[str]]:
    """Regency code → the spans of text that named a place in it, over the incident's reports
    (their place and their text)."""
    from waspada.triage.gazetteer import find_places
    from waspada.triage.training import report_text

    named: dict[str, list[str]] = {}
    reports = Report.objects.filter(incident=incident).select_related("region").order_by("pk")
    for report in reports:
        for regency in regencies_of([report.region_id]):
            named.setdefault(regency, [])
        text = "\n".join(part for part in (report_text(report), report.where_detail) if part)
        for found in find_places(text).found:
            if found.confidence < MIN_CONFIDENCE:
                continue
            found_regency = regency_code(found.code)
            if found_regency is None:
                continue
            spans = named.setdefault(found_regency, [])
            if found.span not in spans:
                spans.append(found.span)
    return named


def _regency_name(code: str) -> str | None:
    """The regency's name from the regions loaded, else from the gazetteer of all Indonesia (a
    neighbour across a provincial border is rarely loaded in a regency's installation)."""
    from waspada.triage.gazetteer import gazetteer

    region = Region.objects.filter(code=code, level=Level.KABUPATEN).first()
    if region is not None:
        return region.name
    place = gazetteer().places.get(code)
    return place.name if place is not None and place.level == Level.KABUPATEN else None


def neighbouring_regencies(incident: Incident) -> list[Neighbour]:
    """The other regencies the incident concerns, by boundary first, then by named places; each
    with the active TKD forums of that regency (a regency without its own TKD in this
    installation is still listed, with no forum to offer)."""
    home = regency_code(incident.region_id)
    found: dict[str, Neighbour] = {}
    order: list[str] = []

    def add(code: str, how: str, spans: list[str] | None = None) -> None:
        if code == home:
            return
        if code not in found:
            name = _regency_name(code)
            if name is None:
                return
            found[code] = Neighbour(code=code, name=name)
            order.append(code)
        neighbour = found[code]
        if how not in neighbour.how:
            neighbour.how.append(how)
        neighbour.named.extend(span for span in spans or [] if span not in neighbour.named)

    for code in neighbours_by_boundary(incident.region) or []:
        add(code, BY_BOUNDARY)
    for code, spans in _named_places(incident).items():
        add(code, BY_NAMED_PLACE, spans)
    forums = Forum.objects.filter(kind=ForumKind.TKD, is_active=True, jurisdiction_id__in=order).order_by(
        "code"
    )
    for forum in forums:
        found[forum.jurisdiction_id].forums.append(forum)
    return [found[code] for code in order]


def other_regency_tkds(incident: Incident) -> list[Forum]:
    """Every active TKD of a regency other than the incident's: what the analyst may choose
    beyond the neighbours found."""
    home = regency_code(incident.region_id) or ""
    return list(
        Forum.objects.filter(kind=ForumKind.TKD, is_active=True, jurisdiction__level=Level.KABUPATEN)
        .exclude(jurisdiction_id=home)
        .select_related("jurisdiction")
        .order_by("jurisdiction_id", "code")
    )
