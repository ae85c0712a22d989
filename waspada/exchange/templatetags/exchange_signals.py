"""The alerts part of a signal's page, drawn by exchange: ``{% signal_alerts signal %}``.

The detection app's page loads this tag by name, so detection (below exchange) imports nothing of
exchange: the alerts issued from a confirmed signal and, for who may issue one in its region, the
button to issue another.
"""

from __future__ import annotations

from typing import Any

from django import template

from waspada.exchange.actions import can_issue_alert
from waspada.exchange.models import Alert

register = template.Library()


@register.inclusion_tag("exchange/_signal_alerts.html", takes_context=True)
def signal_alerts(context: template.Context, signal: Any) -> dict[str, Any]:
    person = context["request"].user
    return {
        "signal": signal,
        "alerts": Alert.objects.visible_to(person).filter(signal=signal),
        "may_issue_alert": can_issue_alert(person, signal.region),
    }
