"""Keeping an event's priority, and which TKD decides for a region (``grouping.py``)."""

from __future__ import annotations

from waspada.detection import grouping
from waspada.detection.models import Signal
from waspada.forums.models import Forum, ForumKind
from waspada.regions.names import code_within
from waspada.reports.models import Report
from waspada.reports.taxonomy import ALERT_RANK


def deciding_area(code: str) -> str | None:
    """The area of the active TKD that decides for region ``code``: the innermost one whose
    area holds it (rule 10 of ``reports/visibility.py``); None when no TKD covers it."""
    areas = Forum.objects.filter(kind=ForumKind.TKD, is_active=True).values_list("jurisdiction_id", flat=True)
    holding = [area for area in areas if area and code_within(code, area)]
    return max(holding, key=len) if holding else None


def update_priority(event: Signal) -> None:
    """Recompute the priority of an event from its detections and the reports behind them."""
    detections = [event, *event.members.all()]
    levels = (
        Report.objects.filter(signals__in=[d.pk for d in detections])
        .values_list("alert_level", flat=True)
        .distinct()
    )
    rank = max((ALERT_RANK[level] for level in levels if level in ALERT_RANK), default=0)
    found = grouping.priority(detections, event.region_id, rank)
    event.level_rank = found.level_rank
    event.excess = found.excess
    event.return_days = found.return_days
    Signal.objects.filter(pk=event.pk).update(
        level_rank=found.level_rank, excess=found.excess, return_days=found.return_days
    )
