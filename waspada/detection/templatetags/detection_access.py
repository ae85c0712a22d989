"""``{% load detection_access %}`` … ``{% if user|reviews_signals %}``: the menu links the early
detection page for those who review its signals: the TKD's senior roles (the rule of
``Signal.objects.visible_to``) and superusers."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def reviews_signals(user: Any) -> bool:
    from waspada.forums.access import access_of

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # the seats this request already read: a senior seat in a TKD (``tkd_senior_seats``)
    return access_of(user).is_tkd_senior


@register.filter
def how_often(days: float | None) -> str:
    """A return period said as the signal's sentence says it ("sekali dalam 4 tahun", "lebih
    jarang dari sekali dalam 100 tahun"), never a count of days in the billions."""
    from waspada.detection.explain import how_often as said

    return said(days)
