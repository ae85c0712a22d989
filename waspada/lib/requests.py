"""Typed access to the person behind a request, for views behind @login_required."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib.auth import get_user_model
from django.http import HttpRequest

if TYPE_CHECKING:
    from waspada.people.models import Person


def person_of(request: HttpRequest) -> Person:
    # The user model by setting (AUTH_USER_MODEL, people.Person): lib imports no app.
    user = request.user
    if not user.is_authenticated or not isinstance(user, get_user_model()):
        raise PermissionError("login required")
    return cast("Person", user)
