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


@register.filter
def opens_wall(user: Any) -> bool:
    """The command-room wall (/situasi/layar/): a member of a regency's or province's TKD or
    Forkopimda (rule 13's picture areas at those levels), a superuser (``wall._person_region``)."""
    from waspada.forums.access import access_of
    from waspada.reports.visibility import picture_areas

    if not getattr(user, "is_authenticated", False) or not access_of(user).active:
        return False
    return bool(user.is_superuser) or any(area.count(".") <= 1 for area in picture_areas(user))


@register.filter
def manages_wall_tokens(user: Any) -> bool:
    """The wall's display tokens page: ``actions.manages_display_tokens``."""
    from waspada.situation.actions import manages_display_tokens

    return bool(getattr(user, "is_authenticated", False)) and manages_display_tokens(user)
