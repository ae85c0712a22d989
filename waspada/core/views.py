from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.current().select_related("forum", "forum__jurisdiction")  # type: ignore[union-attr]
    return render(request, "core/home.html", {"memberships": memberships})
