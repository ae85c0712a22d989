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
HOME_HOTSPOTS = 5


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


def _picture(person: Any) -> dict[str, Any]:
    """For whoever may open the situation: the regions above normal in their picture (rule 13: the
    Bupati sees the statuses the analyst sees)."""
    from django.conf import settings

    from waspada.regions.models import Region
    from waspada.reports.taxonomy import AlertLevel
    from waspada.situation.access import may_see_situation
    from waspada.situation.status import region_statuses

    if not may_see_situation(person):
        return {"hotspots": None}
    home = Region.objects.filter(code=settings.WASPADA_HOME_REGION).first()
    if home is None:
        return {"hotspots": None}
    statuses = region_statuses(person, home)
    above = sorted(
        (entry for entry in statuses.values() if entry.status != AlertLevel.NORMAL),
        key=lambda e: (-e.rank, -e.incidents, e.level, e.code),
    )
    return {"hotspots": above[:HOME_HOTSPOTS], "hotspots_total": len(above), "home_region": home}


def _lapsits_awaiting(person: Any) -> dict[str, Any]:
    """For the head of Kesbangpol: the submitted Lapsit drafts he may approve
    (``briefs.approval.may_approve``, checked on each Lapsit's regency)."""
    from waspada.briefs.approval import may_approve
    from waspada.briefs.models import Lapsit, LapsitStatus

    submitted = Lapsit.objects.filter(status=LapsitStatus.KONSEP, submitted_at__isnull=False).select_related(
        "regency"
    )
    return {"lapsits_awaiting": [lapsit for lapsit in submitted if may_approve(person, lapsit.regency)]}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The person's start page: what needs them now (verification queue, signals to review,
    late work, regions above normal, alerts in force), file a report, their forums."""
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
            **_picture(person),
            **_lapsits_awaiting(person),
            "memberships": memberships,
            "open_dispositions": open_work.count(),
            "overdue_dispositions": overdue.count(),
        },
    )
