"""Pages of the briefs: the situation reports (list, the on-demand form, download) and the
laporan insidentil of one report or incident, as PDF.

Every read goes through ``visible_to(person)``: a report or incident the person may not see is a
404 (whatever their seats: a reporter without a seat still gets the PDF of their own report), and a
stored brief is served only to its recipient. The situation reports need a forum seat, as the
situation pages do.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waspada.briefs import actions
from waspada.briefs.forms import BriefForm
from waspada.briefs.models import Brief
from waspada.briefs.render import render_incident, render_report
from waspada.lib.requests import person_of
from waspada.reports.models import Incident, Report
from waspada.reports.sharing import receives_summary_only
from waspada.situation.views import seat_required


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@seat_required
@require_http_methods(["GET", "POST"])
def brief_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    form = BriefForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            actions.create_situation_brief(period=form.period, recipient=person, by=person)
            messages.success(request, _("Laporan situasi dibuat."))
            return redirect("briefs:list")
        status = 400
    else:
        status = 200
    briefs: Any = Brief.objects.filter(recipient=person).order_by("-created_at", "-pk")[:100]
    return render(request, "briefs/list.html", {"form": form, "briefs": briefs}, status=status)


@seat_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    brief = get_object_or_404(Brief, pk=pk, recipient=person_of(request))
    path = actions.brief_path(brief)
    if not path.is_file():
        raise Http404(_("Berkas laporan tidak ditemukan."))
    name = f"laporan-situasi-{brief.kind}-{brief.period_start:%Y%m%d}-{brief.period_end:%Y%m%d}.pdf"
    # a brief is tens of kilobytes: read whole, served like the laporan insidentil
    response = _pdf(path.read_bytes(), name)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    person = person_of(request)
    report = get_object_or_404(
        Report.objects.visible_to(person).select_related("region__parent__parent", "reporter_forum"),
        reference=reference,
    )
    return _pdf(render_report(report, person), f"laporan-insidentil-{report.reference}.pdf")


@login_required
def incident_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    person = person_of(request)
    incident = get_object_or_404(
        Incident.objects.visible_to(person).select_related("region__parent__parent"), reference=reference
    )
    if receives_summary_only(person, incident):
        # Shared by another regency's TKD: the summary page only, not Paser's laporan insidentil.
        raise Http404
    return _pdf(render_incident(incident, person), f"laporan-insidentil-{incident.reference}.pdf")
