"""``{% load detection_access %}`` … ``{% if user|reviews_signals %}``: the menu links the early
detection page for those who review its signals: the TKD's senior roles (the rule of
``Signal.objects.visible_to``) and superusers."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def reviews_signals(user: Any) -> bool:
    from waspada.reports.visibility import tkd_senior_seats

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser) or tkd_senior_seats(user).exists()
