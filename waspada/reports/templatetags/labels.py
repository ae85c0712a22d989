"""``{{ value|label:"isu" }}``: the name a person reads for a stored code, in their language.

Pages hold many values that are codes inside the database (``agraria_korporasi``, ``siaga``,
``TIMDU_PKS``). A model instance has ``get_<field>_display``; a bare value (a region's computed
status, a filter, a row of an aggregate) has this filter, so no template prints a code raw or
spells a label out again. An unknown vocabulary or value is shown as it is.
"""

from __future__ import annotations

from django import template
from django.db import models

from waspada.forums.models import ForumKind, ForumLevel, Role
from waspada.reports.models import ReportStatus
from waspada.reports.taxonomy import (
    AlertLevel,
    Athg,
    Classification,
    Gatra,
    InfoCredibility,
    Isu,
    Jenis,
    SourceReliability,
)

register = template.Library()

VOCABULARIES: dict[str, type[models.TextChoices]] = {
    "isu": Isu,
    "athg": Athg,
    "alert_level": AlertLevel,
    "level": AlertLevel,
    "status": ReportStatus,
    "jenis": Jenis,
    "gatra": Gatra,
    "classification": Classification,
    "source_reliability": SourceReliability,
    "info_credibility": InfoCredibility,
    "forum_kind": ForumKind,
    "forum_level": ForumLevel,
    "role": Role,
}


def label_of(value: object, vocabulary: str) -> str:
    """The translated label of ``value`` in ``vocabulary``, or ``value`` itself if unknown."""
    choices = VOCABULARIES.get(vocabulary)
    text = "" if value is None else str(value)
    if choices is None or text not in choices.values:
        return text
    return str(choices(text).label)


@register.filter(name="label")
def label(value: object, vocabulary: str) -> str:
    return label_of(value, vocabulary)
