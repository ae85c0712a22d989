"""Probable duplicates: the existing incidents a new text most likely belongs to.

An incident is a candidate when it is visible to the person, not merged away, happened within
``window`` of the report's time, and lies in the same kecamatan as the place found (or anywhere
when no place is found). Its score mixes, with fixed weights:

- text similarity (cosine of the triage model's TF-IDF vectors) between the text and the
  incident's title plus its reports' titles and narratives: 0.55;
- place: the same desa 1, the same kecamatan 0.6, no place known 0.3: weight 0.3;
- time: 1 at the same moment, falling linearly to 0 at the window's edge: weight 0.15.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone
from sklearn.metrics.pairwise import cosine_similarity

from waspada.triage.classify import current_model

if TYPE_CHECKING:
    from waspada.people.models import Person
    from waspada.reports.models import Incident

WINDOW = timedelta(days=3)
WITA = ZoneInfo("Asia/Makassar")
MIN_SCORE = 0.35


@dataclass
class Duplicate:
    incident: Incident
    score: float
    text_similarity: float
    same_place: str  # "desa", "kecamatan" or ""

    def as_dict(self) -> dict[str, object]:
        return {
            "reference": self.incident.reference,
            "title": self.incident.title,
            "region_code": self.incident.region_id,
            "occurred_at": self.incident.occurred_at.isoformat(),
            "score": round(self.score, 2),
            "text_similarity": round(self.text_similarity, 2),
            "same_place": self.same_place,
        }


def _incident_text(incident: Incident) -> str:
    parts = [incident.title]
    for report in incident.reports.all()[:5]:
        parts.extend([report.title, report.what])
    return "\n".join(parts)


def probable_incidents(
    *,
    person: Person,
    text: str,
    region_code: str | None,
    when: datetime | None = None,
    window: timedelta = WINDOW,
    limit: int = 5,
) -> list[Duplicate]:
    from waspada.reports.models import Incident

    when = when or timezone.now()
    if timezone.is_naive(when):
        when = timezone.make_aware(when, WITA)
    try:
        # In UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 text may carry.
        when = when.astimezone(UTC)
        earliest, latest = when - window, when + window
    except (OverflowError, ValueError):
        return []
    incidents = Incident.objects.visible_to(person).filter(
        merged_into__isnull=True, occurred_at__gte=earliest, occurred_at__lte=latest
    )
    kecamatan = None
    if region_code and region_code.count(".") >= 2:
        kecamatan = ".".join(region_code.split(".")[:3])
        incidents = incidents.filter(region__code__startswith=kecamatan)
    candidates = list(incidents.prefetch_related("reports")[:200])
    if not candidates:
        return []
    vectoriser = current_model().vectoriser
    matrix = vectoriser.transform([text.lower(), *(_incident_text(i).lower() for i in candidates)])
    similarities = cosine_similarity(matrix[0], matrix[1:])[0]
    found: list[Duplicate] = []
    for incident, similarity in zip(candidates, similarities, strict=True):
        if region_code and incident.region_id == region_code and region_code.count(".") == 3:
            same, place_score = "desa", 1.0
        elif kecamatan:
            same, place_score = "kecamatan", 0.6
        else:
            same, place_score = "", 0.3
        gap = abs((incident.occurred_at - when).total_seconds()) / window.total_seconds()
        score = 0.55 * float(similarity) + 0.3 * place_score + 0.15 * max(0.0, 1 - gap)
        if score >= MIN_SCORE:
            found.append(Duplicate(incident, score, float(similarity), same))
    found.sort(key=lambda d: -d.score)
    return found[:limit]
