"""Template tags a report's and an incident's pages use to show the response (response/progress.py).

``{% report_dispositions report %}`` and ``{% incident_dispositions incident %}`` render
``reports/_dispositions.html`` for the viewer; ``{% report_progress report %}`` is the report's
state in one phrase ("Selesai: Tertangani")."""

from __future__ import annotations

from typing import Any

from django import template

from waspada.response import progress

register = template.Library()


@register.inclusion_tag("reports/_dispositions.html", takes_context=True)
def report_dispositions(context: template.Context, report: Any) -> dict[str, Any]:
    return progress.context_for_report(report, context["request"].user)


@register.inclusion_tag("reports/_dispositions.html", takes_context=True)
def incident_dispositions(context: template.Context, incident: Any) -> dict[str, Any]:
    return {
        "rows": progress.incident_dispositions(incident, context["request"].user),
        "steps": [],
        "show_reference": True,
    }


@register.simple_tag
def report_progress(report: Any) -> str:
    return progress.progress(report)
