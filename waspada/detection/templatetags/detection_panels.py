"""``{% load detection_panels %}`` … ``{% signals_awaiting_review %}``: the panel of new detection
signals for the pages of the situation and the home page, drawn by detection so that the situation
app (below it) imports nothing of detection. Shown to those who review signals (the TKD's senior
roles, rule 10 of ``reports/visibility.py``); nothing for anyone else."""

from __future__ import annotations

from typing import Any

from django import template

from waspada.detection.models import Signal

register = template.Library()

PANEL_ROWS = 5


@register.inclusion_tag("detection/_signals_panel.html", takes_context=True)
def signals_awaiting_review(context: template.Context, rows: int = PANEL_ROWS) -> dict[str, Any]:
    from waspada.forums.access import access_of

    person = context["request"].user
    if not getattr(person, "is_authenticated", False) or not access_of(person).is_tkd_senior:
        return {"shown": False}
    waiting = Signal.objects.visible_to(person).open()  # one per event
    return {
        "shown": True,
        "count": waiting.count(),
        "signals": list(waiting.select_related("region").by_priority()[:rows]),
    }
