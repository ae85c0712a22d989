"""``{% load situation_access %}`` … ``{% if user|sees_situation %}``: the menu links the situation
picture only for those who may open it (``waspada.situation.access``)."""

from __future__ import annotations

from typing import Any

from django import template

from waspada.situation.access import may_see_situation

register = template.Library()


@register.filter
def sees_situation(user: Any) -> bool:
    return may_see_situation(user)
