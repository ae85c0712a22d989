from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from waspada.forums.models import Membership
from waspada.lib.requests import person_of
from waspada.response.models import Disposition


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The person's start page: file a report, their open dispositions, their forums."""
    person = person_of(request)
    memberships = (
        Membership.objects.current().filter(person=person).select_related("forum", "forum__jurisdiction")
    )
    open_work = Disposition.objects.visible_to(person).open()
    overdue = open_work.late()
    return render(
        request,
        "core/home.html",
        {
            "memberships": memberships,
            "open_dispositions": open_work.count(),
            "overdue_dispositions": overdue.count(),
        },
    )
