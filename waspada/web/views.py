from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from waspada.forums.models import Membership
from waspada.lib.requests import person_of
from waspada.reports.verification import queue_for, queue_rows
from waspada.reports.visibility import can_triage
from waspada.response.models import Disposition

HOME_QUEUE_LENGTH = 8


def _verification_queue(person: Any) -> dict[str, Any]:
    """For the TKD's analysts: the most urgent reports waiting for verification."""
    if not can_triage(person):
        return {"verification_rows": None}
    queue = queue_for(person)
    now = timezone.now()
    return {
        "verification_rows": queue_rows(list(queue[:HOME_QUEUE_LENGTH]), now),
        "verification_waiting": queue.count(),
        "verification_late": queue.filter(verify_due_at__lte=now).count(),
    }


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
        "web/home.html",
        {
            **_verification_queue(person),
            "memberships": memberships,
            "open_dispositions": open_work.count(),
            "overdue_dispositions": overdue.count(),
        },
    )
