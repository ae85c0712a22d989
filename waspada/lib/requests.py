"""Typed access to the person behind a request, for views behind @login_required."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from waspada.people.models import Person


def person_of(request: HttpRequest) -> Person:
    from waspada.people.models import Person

    user = request.user
    if not isinstance(user, Person):
        raise PermissionError("login required")
    return user
