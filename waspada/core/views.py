from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from waspada.forums.models import Membership
from waspada.lib.requests import person_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.current()
        .filter(person=person_of(request))
        .select_related("forum", "forum__jurisdiction")
    )
    return render(request, "core/home.html", {"memberships": memberships})
