"""``{% load exchange_panels %}`` … ``{% active_alerts %}``: the panel of CAP alerts in force that
the person may read (``Alert.objects.visible_to``), for the situation pages and the home page,
drawn by exchange so that the situation app (below it) imports nothing of exchange."""

from __future__ import annotations

from typing import Any

from django import template

from waspada.exchange.models import Alert, CapStatus

register = template.Library()

PANEL_ROWS = 5


@register.inclusion_tag("exchange/_alerts_panel.html", takes_context=True)
def active_alerts(
    context: template.Context, rows: int = PANEL_ROWS, hide_empty: bool = False
) -> dict[str, Any]:
    person = context["request"].user
    if not getattr(person, "is_authenticated", False):
        return {"shown": False}
    current = Alert.objects.visible_to(person).current().filter(status=CapStatus.ACTUAL)
    alerts = list(current.select_related("region").order_by("-sent", "-pk")[: rows + 1])
    return {
        "shown": bool(alerts) or not hide_empty,
        "alerts": alerts[:rows],
        "more": len(alerts) > rows,
    }
