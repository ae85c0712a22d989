"""Pages under /tindak-lanjut/: a forum's inbox, one disposition with its timeline and actions,
and the response metrics. Every write goes through response/actions.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waspada.forums.models import Forum, Membership
from waspada.lib.requests import person_of
from waspada.response import actions, metrics, states
from waspada.response.models import (
    OPEN_STATUSES,
    Disposition,
    DispositionStatus,
    Outcome,
)

MAX_PROOF_BYTES = 10 * 1024 * 1024


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Open work first (overdue at the top), then the rest; filter by status and forum."""
    person = person_of(request)
    rows = Disposition.objects.visible_to(person).select_related(
        "report", "report__region", "forum", "escalation", "assigned_to"
    )
    status = request.GET.get("status", "terbuka")
    if status == "terbuka":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status in DispositionStatus.values:
        rows = rows.filter(status=status)
    forum = request.GET.get("forum", "")
    if forum:
        rows = rows.filter(forum__code=forum)
    page = Paginator(rows.order_by("due_at", "-created_at", "id"), 50).get_page(request.GET.get("page"))
    forums = Forum.objects.filter(pk__in=Disposition.objects.visible_to(person).values("forum_id")).order_by(
        "code"
    )
    return render(
        request,
        "response/inbox.html",
        {
            "page": page,
            "status": status,
            "statuses": [("terbuka", _("Terbuka")), *DispositionStatus.choices],
            "forum": forum,
            "forums": forums,
        },
    )


def _get(request: HttpRequest, pk: int) -> Disposition:
    return get_object_or_404(
        Disposition.objects.visible_to(person_of(request)).select_related(
            "report", "report__region", "forum", "escalation", "escalated_from__forum", "assigned_to"
        ),
        pk=pk,
    )


def _context(
    request: HttpRequest, disposition: Disposition, errors: dict[str, Any] | None = None
) -> dict[str, Any]:
    person = person_of(request)
    offered = {str(action) for action in states.available_actions(disposition, person)}
    return {
        "d": disposition,
        "timeline": disposition.timeline.select_related("actor").prefetch_related("proofs"),
        # What this person may do now, from the one state machine the actions also refuse by.
        "offered": offered,
        "offers_destructive": bool(offered & {str(a) for a in states.DESTRUCTIVE}),
        "outcomes": Outcome.choices,
        # Only forums whose area covers the report's place (rule 9), as the action checks.
        "forums": Forum.objects.active()
        .covering(disposition.report.region_id)
        .exclude(pk=disposition.forum_id)
        .order_by("level", "code")
        if "alihkan" in offered
        else Forum.objects.none(),
        "members": Membership.objects.current()
        .filter(forum_id=disposition.forum_id, person__is_active=True)
        .select_related("person")
        .order_by("person__full_name", "person__username")
        if "tugaskan" in offered
        else Membership.objects.none(),
        "errors": errors or {},
        "failed_action": request.POST.get("action", "") if errors else "",
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "response/detail.html", _context(request, _get(request, pk)))


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """One form per action on the detail page; ``action`` says which."""
    person = person_of(request)
    disposition = _get(request, pk)
    action = request.POST.get("action", "")
    post = request.POST
    try:
        # A destructive step is confirmed with a checkbox (works without JavaScript); asked only of
        # someone who may take it.
        if action in states.DESTRUCTIVE and not post.get("confirm"):
            states.require_right(person, disposition, states.Action(action))
            raise ValidationError({"confirm": [_("Centang kotak konfirmasi untuk melanjutkan.")]})
        if action == "terima":
            actions.acknowledge(disposition=disposition, by=person)
            messages.success(request, _("Disposisi diterima."))
        elif action == "tindakan":
            proofs = []
            for upload in request.FILES.getlist("proofs"):
                if upload.size and upload.size > MAX_PROOF_BYTES:
                    raise ValidationError({"proofs": [_("Berkas terlalu besar, maksimal 10 MB.")]})
                proofs.append(actions.Proof(name=upload.name or "", data=upload.read()))
            actions.add_action(
                disposition=disposition,
                text=post.get("text", ""),
                by=person,
                proofs=proofs,
                share_with_reporter=post.get("share_with_reporter") == "on",
            )
            messages.success(request, _("Tindak lanjut dicatat."))
        elif action == "jeda":
            actions.pause(disposition=disposition, reason=post.get("reason", ""), by=person)
            messages.success(request, _("Jam dijeda."))
        elif action == "lanjut":
            actions.resume(disposition=disposition, by=person)
            messages.success(request, _("Jam berjalan lagi."))
        elif action == "selesai":
            actions.close(
                disposition=disposition,
                outcome=post.get("outcome", ""),
                text=post.get("text", ""),
                lessons=post.get("lessons", ""),
                by=person,
            )
            messages.success(request, _("Disposisi ditutup."))
        elif action == "buka":
            actions.reopen(disposition=disposition, reason=post.get("reason", ""), by=person)
            messages.success(request, _("Disposisi dibuka kembali."))
        elif action == "kembalikan":
            actions.return_disposition(disposition=disposition, reason=post.get("reason", ""), by=person)
            messages.success(request, _("Disposisi dikembalikan ke TKD."))
        elif action == "alihkan":
            forum = get_object_or_404(Forum.objects.active(), code=post.get("forum", ""))
            new = actions.redirect_disposition(
                disposition=disposition, forum=forum, reason=post.get("reason", ""), by=person
            )
            messages.success(request, _("Disposisi dialihkan ke %(forum)s.") % {"forum": forum.name})
            return redirect("response:detail", pk=new.pk)
        elif action == "tugaskan":
            seat = (
                Membership.objects.current()
                .filter(forum_id=disposition.forum_id, person__username=post.get("member", ""))
                .select_related("person")
                .first()
            )
            if seat is None:
                states.require_right(person, disposition, states.Action.TUGASKAN)
                raise ValidationError({"member": [_("Pilih anggota forum penerima disposisi ini.")]})
            actions.assign_disposition(disposition=disposition, member=seat.person, by=person)
            messages.success(
                request, _("Disposisi ditugaskan kepada %(name)s.") % {"name": seat.person.display_name}
            )
        elif action == "tarik":
            actions.withdraw_disposition(disposition=disposition, reason=post.get("reason", ""), by=person)
            messages.success(request, _("Disposisi ditarik."))
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
    except PermissionError as error:
        return render(request, "reports/forbidden.html", {"message": str(error)}, status=403)
    except ValidationError as error:
        return _detail_with_errors(request, pk, error)
    return redirect("response:detail", pk=pk)


def _detail_with_errors(request: HttpRequest, pk: int, error: ValidationError) -> HttpResponse:
    """The detail page again, with the field messages next to the form that failed (422)."""
    errors: dict[str, Any] = (
        error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    )
    return render(request, "response/detail.html", _context(request, _get(request, pk), errors), status=422)


@login_required
def response_metrics(request: HttpRequest) -> HttpResponse:
    try:
        days = max(1, min(int(request.GET.get("hari", "90")), 3660))
    except ValueError:
        days = 90
    result = metrics.compute(Disposition.objects.visible_to(person_of(request)), days=days)
    return render(request, "response/metrics.html", {"m": result, "days": days})
