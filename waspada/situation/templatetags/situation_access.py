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


@register.filter
def sees_province_rollup(user: Any) -> bool:
    """The province's roll-up (/situasi/provinsi/): the province's TKD and Forkopimda, superusers."""
    from waspada.situation.province import may_see_rollup

    return may_see_rollup(user)
