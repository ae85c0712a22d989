"""Pages of the briefs: the situation reports (list, the on-demand form, download) and the
laporan insidentil of one report or incident, as PDF.

Every read goes through ``visible_to(person)``: a report or incident the person may not see is a
404 (whatever their seats: a reporter without a seat still gets the PDF of their own report), and a
stored brief is served only to its recipient. The situation reports need a forum seat, as the
situation pages do. A province copy sent to the Gubernur's Forkopimda is its recipient's alone,
and only while they sit in that province's Forkopimda or TKD (``release.may_download``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from waspada.briefs import actions
from waspada.briefs.approval import may_approve, may_draft
from waspada.briefs.forms import BriefForm, LapsitForm, LapsitReturnForm, ProvinceBriefForm, ReleaseForm
from waspada.briefs.models import Brief, Lapsit, LapsitStatus, Release
from waspada.briefs.periods import BriefKind
from waspada.briefs.province import province_draft
from waspada.briefs.release import may_download, province_codes, releasable_regencies
from waspada.briefs.render import render_incident, render_report, render_situation
from waspada.briefs.situation import gather, home_region
from waspada.lib.requests import person_of
from waspada.regions.models import Level, Region
from waspada.reports.models import Incident, Report
from waspada.reports.sharing import receives_summary_only
from waspada.situation.views import seat_required


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "reports/forbidden.html", {"message": message}, status=403)


def _list_page(
    request: HttpRequest,
    *,
    form: BriefForm | None = None,
    release_form: ReleaseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    person = person_of(request)
    regencies = releasable_regencies(person)
    if release_form is None and regencies:
        release_form = ReleaseForm(regencies=[(r.code, r.name) for r in regencies])
    releases: Any = (
        Release.objects.filter(regency__in=regencies).select_related("regency", "released_by")[:20]
        if regencies
        else []
    )
    briefs: Any = (
        Brief.objects.filter(recipient=person)
        .select_related("province", "lapsit")
        .order_by("-created_at", "-pk")[:100]
    )
    home = home_region()
    lapsits: Any = []
    if may_draft(person, home) or may_approve(person, home):
        lapsits = Lapsit.objects.filter(regency=home).select_related("approved_by")[:20]
    waiting: Any = Lapsit.objects.filter(waiting=person).exclude(status=LapsitStatus.DIRILIS)
    return render(
        request,
        "briefs/list.html",
        {
            "form": form or BriefForm(),
            "briefs": briefs,
            "release_form": release_form,
            "releases": releases,
            "province_codes": province_codes(person),
            "lapsits": lapsits,
            "waiting": waiting,
        },
        status=status,
    )


@seat_required
@require_http_methods(["GET", "POST"])
def brief_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if request.method == "POST":
        form = BriefForm(request.POST)
        if form.is_valid():
            made = actions.request_copy(period=form.period, person=person, request=request)
            if made is None:
                messages.info(
                    request,
                    _(
                        "Lapsit periode ini belum disetujui Kepala Kesbangpol. Salinan Anda dibuat "
                        "dan diberitahukan setelah disetujui."
                    ),
                )
            elif made.konsep:
                messages.success(
                    request, _("Konsep Lapsit dibuat (bertanda KONSEP; belum dikirim kepada siapa pun).")
                )
            else:
                messages.success(request, _("Laporan situasi dibuat."))
            return redirect("briefs:list")
        return _list_page(request, form=form, status=400)
    return _list_page(request)


@seat_required
@require_http_methods(["POST"])
def release(request: HttpRequest) -> HttpResponse:
    """Release a regency's Lapsit of a period to the province (rules in ``actions.release_situation``)."""
    person = person_of(request)
    regencies = releasable_regencies(person)
    refused = _(
        "Hanya ketua, sekretaris, atau analis Tim Kewaspadaan Dini kabupaten/kota itu yang dapat merilis "
        "laporan situasinya ke provinsi."
    )
    if request.POST.get("regency", "") not in {r.code for r in regencies}:
        return _forbidden(request, refused)
    form = ReleaseForm(request.POST, regencies=[(r.code, r.name) for r in regencies])
    if not form.is_valid():
        return _list_page(request, release_form=form, status=400)
    regency = next(r for r in regencies if r.code == form.cleaned_data["regency"])
    try:
        done = actions.release_situation(
            regency=regency,
            period=form.period,
            assessment=form.cleaned_data["assessment"],
            by=person,
            replace=form.cleaned_data["replace"],
            request=request,
        )
    except PermissionDenied as error:
        return _forbidden(request, str(error) or refused)
    except actions.AlreadyReleased as error:
        form.add_error("replace", str(error))
        return _list_page(request, release_form=form, status=400)
    except ValueError as error:
        form.add_error("assessment", str(error))
        return _list_page(request, release_form=form, status=400)
    messages.success(
        request,
        _("Laporan situasi %(regency)s %(period)s dirilis ke provinsi.")
        % {"regency": regency.name, "period": done.period.label()},
    )
    return redirect("briefs:list")


def _province_of(request: HttpRequest) -> Region | HttpResponse:
    """The province whose Lapsit ``request`` asks for (one whose own TKD the person holds a senior
    seat in): a 403 page for anyone without such a seat, 404 for another province."""
    codes = province_codes(person_of(request))
    if not codes:
        return _forbidden(
            request,
            _(
                "Laporan situasi provinsi hanya untuk ketua, sekretaris, dan analis "
                "Tim Kewaspadaan Dini provinsi."
            ),
        )
    code = request.POST.get("provinsi") or request.GET.get("provinsi") or codes[0]
    if code not in codes:
        raise Http404
    return get_object_or_404(Region, code=code, level=Level.PROVINSI)


def _province_page(
    request: HttpRequest, region: Region, form: ProvinceBriefForm, status: int = 200
) -> HttpResponse:
    draft = None
    if form.is_bound and form.is_valid():
        draft = province_draft(region, form.period)
    recent: Any = Brief.objects.filter(recipient=person_of(request), province=region).order_by(
        "-created_at", "-pk"
    )[:10]
    return render(
        request,
        "briefs/province.html",
        {"province": region, "form": form, "draft": draft, "recent": recent},
        status=status,
    )


def _province_redirect(code: str, kind: str, day: str) -> HttpResponse:
    query = urlencode({"provinsi": code, "kind": kind, "day": day})
    return redirect(f"{reverse('briefs:province')}?{query}")


@seat_required
@require_http_methods(["GET", "POST"])
def province(request: HttpRequest) -> HttpResponse:
    """The province Lapsit: which regencies released a period, and the PDF drafted from them."""
    person = person_of(request)
    region = _province_of(request)
    if isinstance(region, HttpResponse):
        return region
    status = 200
    if request.method == "POST":
        form = ProvinceBriefForm(request.POST)
        if form.is_valid():
            try:
                brief = actions.create_province_brief(
                    province=region,
                    period=form.period,
                    recipient=person,
                    assessment=form.cleaned_data["assessment"],
                    request=request,
                )
            except PermissionDenied as error:
                return _forbidden(request, str(error))
            messages.success(request, _("Laporan situasi provinsi dibuat."))
            return _province_redirect(region.code, brief.kind, brief.period_start.isoformat())
        status = 400
    elif "kind" in request.GET or "day" in request.GET:
        form = ProvinceBriefForm(request.GET)
        if not form.is_valid():
            status = 400
    else:
        # by default the current month, up to today
        form = ProvinceBriefForm({"kind": BriefKind.BULANAN, "day": timezone.localdate().isoformat()})
    return _province_page(request, region, form, status)


@seat_required
@require_http_methods(["POST"])
def province_send(request: HttpRequest) -> HttpResponse:
    """ "Kirim ke Forkopimda provinsi": one stored copy of the province Lapsit for each member of
    the Gubernur's Forkopimda (rules in ``actions.send_province_brief``)."""
    region = _province_of(request)
    if isinstance(region, HttpResponse):
        return region
    form = ProvinceBriefForm(request.POST)
    if not form.is_valid():
        return _province_page(request, region, form, 400)
    try:
        sent = actions.send_province_brief(
            province=region,
            period=form.period,
            by=person_of(request),
            assessment=form.cleaned_data["assessment"],
            request=request,
        )
    except PermissionDenied as error:
        return _forbidden(request, str(error))
    except actions.NoForkopimda as error:
        messages.error(request, str(error))
        return _province_redirect(region.code, form.period.kind, form.period.start.isoformat())
    except ValueError as error:
        form.add_error("assessment", str(error))
        return _province_page(request, region, form, 400)
    messages.success(
        request,
        _("Laporan situasi provinsi %(period)s dikirim ke %(n)d anggota Forkopimda provinsi.")
        % {"period": form.period.label(), "n": len(sent)},
    )
    return _province_redirect(region.code, form.period.kind, form.period.start.isoformat())


@seat_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_of(request)
    brief = get_object_or_404(Brief, pk=pk, recipient=person)
    if not may_download(person, brief):
        raise Http404
    path = actions.brief_path(brief)
    if not path.is_file():
        raise Http404(_("Berkas laporan tidak ditemukan."))
    scope = "provinsi-" if brief.province_id else ""
    name = f"laporan-situasi-{scope}{brief.kind}-{brief.period_start:%Y%m%d}-{brief.period_end:%Y%m%d}.pdf"
    # a brief is tens of kilobytes: read whole, served like the laporan insidentil
    response = _pdf(path.read_bytes(), name)
    if not request.GET.get("lihat"):  # opened from a notice (notify.texts.link_for): shown, not saved
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


# -- the Lapsit: the analyst's text, the approval, the draft's PDF ------------------------------


def _lapsit_of(request: HttpRequest, pk: int) -> Lapsit | HttpResponse:
    """The Lapsit for its drafters and its approver only (checked on its regency): a 403 page
    for anyone else with a seat."""
    person = person_of(request)
    lapsit = get_object_or_404(Lapsit.objects.select_related("regency", "approved_by", "edited_by"), pk=pk)
    if not (may_draft(person, lapsit.regency) or may_approve(person, lapsit.regency)):
        return _forbidden(
            request,
            _(
                "Konsep Lapsit hanya untuk ketua, sekretaris, dan analis Tim Kewaspadaan Dini "
                "%(regency)s. Salinan Anda dikirim setelah disetujui."
            )
            % {"regency": lapsit.regency.name},
        )
    return lapsit


def _lapsit_page(
    request: HttpRequest,
    lapsit: Lapsit,
    form: LapsitForm | None = None,
    status: int = 200,
    *,
    return_form: LapsitReturnForm | None = None,
) -> HttpResponse:
    person = person_of(request)
    drafter = may_draft(person, lapsit.regency)
    if form is None:
        form = LapsitForm(
            initial={"analisa": lapsit.analisa, "prakiraan": lapsit.prakiraan, "saran": lapsit.saran}
        )
    return render(
        request,
        "briefs/lapsit.html",
        {
            "lapsit": lapsit,
            "form": form,
            "can_edit": drafter and lapsit.is_draft,
            "can_approve": may_approve(person, lapsit.regency) and lapsit.is_draft,
            "can_submit": drafter and lapsit.is_draft,
            "return_form": return_form or LapsitReturnForm(),
            "copies": lapsit.copies.filter(konsep=False).count(),
        },
        status=status,
    )


@seat_required
@require_http_methods(["GET", "POST"])
def lapsit(request: HttpRequest, pk: int) -> HttpResponse:
    """A Lapsit's page: its state; while a draft, the analyst's analisa, prakiraan and saran
    (``actions.edit_lapsit``) and, for the approver, "Setujui dan kirim"."""
    found = _lapsit_of(request, pk)
    if isinstance(found, HttpResponse):
        return found
    if request.method == "GET":
        return _lapsit_page(request, found)
    form = LapsitForm(request.POST)
    if not form.is_valid():
        return _lapsit_page(request, found, form, 400)
    try:
        actions.edit_lapsit(lapsit=found, by=person_of(request), request=request, **form.cleaned_data)
    except actions.LapsitRefused as error:
        return _forbidden(request, str(error))
    except actions.NotADraft as error:
        form.add_error(None, str(error))
        return _lapsit_page(request, found, form, 409)
    except ValueError as error:
        name, message = error.args
        form.add_error(name, message)
        return _lapsit_page(request, found, form, 400)
    messages.success(request, _("Analisa, prakiraan dan saran tindak disimpan."))
    return redirect("briefs:lapsit", pk=found.pk)


@seat_required
@require_http_methods(["POST"])
def lapsit_approve(request: HttpRequest, pk: int) -> HttpResponse:
    found = _lapsit_of(request, pk)
    if isinstance(found, HttpResponse):
        return found
    try:
        done = actions.approve_lapsit(lapsit=found, by=person_of(request), request=request)
    except actions.LapsitRefused as error:
        return _forbidden(request, str(error))
    except ValueError as error:  # NotADraft too
        messages.error(request, str(error))
        return _lapsit_page(request, found, status=409 if isinstance(error, actions.NotADraft) else 400)
    messages.success(
        request,
        _("Lapsit nomor %(nomor)s disetujui dan dikirim kepada %(n)d penerima.")
        % {"nomor": done.nomor, "n": done.copies.filter(konsep=False).count()},
    )
    return redirect("briefs:lapsit", pk=done.pk)


@seat_required
@require_http_methods(["POST"])
def lapsit_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The analyst's "Ajukan kepada Kepala Kesbangpol" (``actions.submit_lapsit``)."""
    found = _lapsit_of(request, pk)
    if isinstance(found, HttpResponse):
        return found
    try:
        actions.submit_lapsit(lapsit=found, by=person_of(request), request=request)
    except actions.LapsitRefused as error:
        return _forbidden(request, str(error))
    except ValueError as error:  # NotADraft too
        messages.error(request, str(error))
        return _lapsit_page(request, found, status=409 if isinstance(error, actions.NotADraft) else 400)
    messages.success(request, _("Lapsit diajukan; Kepala Kesbangpol diberi tahu."))
    return redirect("briefs:lapsit", pk=found.pk)


@seat_required
@require_http_methods(["POST"])
def lapsit_return(request: HttpRequest, pk: int) -> HttpResponse:
    """The head's "Kembalikan kepada analis" with a note (``actions.return_lapsit``)."""
    found = _lapsit_of(request, pk)
    if isinstance(found, HttpResponse):
        return found
    form = LapsitReturnForm(request.POST)
    if not form.is_valid():
        return _lapsit_page(request, found, return_form=form, status=400)
    try:
        actions.return_lapsit(
            lapsit=found, by=person_of(request), note=form.cleaned_data["note"], request=request
        )
    except actions.LapsitRefused as error:
        return _forbidden(request, str(error))
    except actions.NotADraft as error:
        messages.error(request, str(error))
        return _lapsit_page(request, found, return_form=form, status=409)
    except ValueError as error:
        name, message = error.args
        form.add_error(name, message)
        return _lapsit_page(request, found, return_form=form, status=400)
    messages.success(request, _("Lapsit dikembalikan kepada analis dengan catatan Anda."))
    return redirect("briefs:lapsit", pk=found.pk)


@seat_required
def lapsit_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The Lapsit as the reader would receive it, drawn on request for its drafters and approver:
    marked KONSEP while it is a draft. Not stored, not sent."""
    found = _lapsit_of(request, pk)
    if isinstance(found, HttpResponse):
        return found
    person = person_of(request)
    from django.utils.translation import override

    from waspada.forums.access import access_of

    with override("id"):
        content = render_situation(
            gather(person, found.period),
            lapsit=found,
            konsep=found.is_draft,
            annex=access_of(person).is_tkd_senior,
        )
    state = "konsep" if found.is_draft else "lapsit"
    return _pdf(content, f"{state}-{found.kind}-{found.period_start:%Y%m%d}-{found.period_end:%Y%m%d}.pdf")
