"""Pages for reports: the intake form, lists, a report's page, and the analyst's review tools."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waspada.forums.models import Forum, ForumLevel, Membership
from waspada.lib.requests import person_of
from waspada.lib.uploads import MAX_UPLOAD_BYTES
from waspada.regions.models import Level, Region
from waspada.regions.widgets import PlaceInputWidget
from waspada.reports import actions
from waspada.reports.forms import ReportForm
from waspada.reports.models import Incident, IncidentQuerySet, Report, ReportStatus
from waspada.reports.taxonomy import AlertLevel, Isu
from waspada.reports.visibility import can_reveal_informant, can_see_exact_location, can_triage


def _forum_choices(request: HttpRequest) -> list[tuple[str, str]]:
    memberships = Membership.objects.current().filter(person=person_of(request)).select_related("forum")
    return [(m.forum.code, m.forum.name) for m in memberships]


def default_place(person: Any) -> Region | None:
    """Where a new report most likely happened: the village of the person's desa-level forum,
    else their own region (a desa or kecamatan), else their kecamatan-level forum's district."""
    seats = list(
        Membership.objects.current()
        .filter(person_id=person.pk, forum__level__in=(ForumLevel.DESA, ForumLevel.KECAMATAN))
        .select_related("forum__jurisdiction")
        .order_by("forum__jurisdiction_id")
    )
    village = [m.forum.jurisdiction for m in seats if m.forum.level == ForumLevel.DESA]
    if village:
        return village[0]
    home: Region | None = getattr(person, "home_region", None)
    if home is not None and home.level in (Level.KECAMATAN, Level.DESA):
        return home
    district = [m.forum.jurisdiction for m in seats if m.forum.level == ForumLevel.KECAMATAN]
    return district[0] if district else None


def _name_the_candidates(form: ReportForm, errors: dict[str, list[str]]) -> None:
    """The page's script shows errors as text, without the radio list of an ambiguous place:
    write the candidates into the message ("… Pilihan: Kecamatan Long Ikis, Kabupaten Paser
    (64.01.06); …") so the reporter can type the one meant."""
    widget = form.fields["region_code"].widget
    if not isinstance(widget, PlaceInputWidget) or not widget.candidates or "region_code" not in errors:
        return
    options = "; ".join(f"{label}, {where} ({code})" for code, label, where in widget.candidates)
    errors["region_code"] = [f"{message} {_('Pilihan')}: {options}." for message in errors["region_code"]]


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _field_errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


@login_required
def new_report(request: HttpRequest) -> HttpResponse:
    """The intake form. Works without JavaScript; with it, drafts and an offline outbox (report-form.js).

    report-form.js posts the same form with ``Accept: application/json`` and gets 201 with the
    reference, or 422 with ``errors`` per field (the same names as the form's fields).
    """
    choices = _forum_choices(request)
    # Bound on every POST, even one whose body is not a form (JSON), so that it gets field errors.
    form = ReportForm(request.POST if request.method == "POST" else None, forum_choices=choices)
    if not form.is_bound:
        place = default_place(request.user)
        if place is not None:
            form.initial["region_code"] = place.code
    if request.method == "POST":
        errors: dict[str, list[str]] = {}
        files = request.FILES.getlist("lampiran")
        if form.is_valid():
            # The page sends the key in the form and in the header; either will do.
            header_key = request.headers.get("Idempotency-Key", "")
            key = form.cleaned_data.get("idempotency_key") or (header_key if len(header_key) <= 200 else "")
            try:
                uploads = [
                    (f.read(MAX_UPLOAD_BYTES + 1), f.name or "") for f in files[: actions.MAX_ATTACHMENTS + 1]
                ]
                with transaction.atomic():
                    result = actions.submit_report(
                        reporter=request.user,  # type: ignore[arg-type]
                        data=form.to_input(),
                        idempotency_key=key or None,
                        channel="web",
                        request=request,
                    )
                    if result.created:
                        for data, name in uploads:
                            try:
                                actions.attach_file(
                                    report=result.report,
                                    uploader=request.user,  # type: ignore[arg-type]
                                    data=data,
                                    original_name=name,
                                    request=request,
                                )
                            except ValidationError as exc:
                                # Name the file: the reporter may have chosen several. Raising here
                                # rolls the report back too, so nothing half-made is stored.
                                raise ValidationError(
                                    {"lampiran": [f"{name[:100]}: {message}" for message in exc.messages]}
                                ) from exc
            except ValidationError as exc:
                errors = _field_errors(exc)
                for field, messages_ in errors.items():
                    for message in messages_:
                        form.add_error(field if field in form.fields else None, message)
            except actions.IdempotencyConflict:
                errors = {
                    "__all__": [
                        _("Laporan ini sudah pernah dikirim dengan isi berbeda. Muat ulang formulir.")
                    ]
                }
                form.add_error(None, errors["__all__"][0])
            else:
                url = reverse("reports:detail", args=[result.report.reference])
                if _wants_json(request):
                    return JsonResponse(
                        {"reference": result.report.reference, "url": url, "created": result.created},
                        status=201,
                    )
                messages.success(
                    request, _("Laporan %(ref)s diterima. Terima kasih.") % {"ref": result.report.reference}
                )
                return redirect(url)
        else:
            errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
            _name_the_candidates(form, errors)
        if _wants_json(request):
            return JsonResponse(
                {
                    "detail": _("Data tidak valid."),
                    "errors": [
                        {"field": field, "message": message}
                        for field, msgs in errors.items()
                        for message in msgs
                    ],
                },
                status=422,
            )
    return render(request, "reports/new.html", {"form": form, "has_forum": bool(choices)})


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    reports = Report.objects.visible_to(request.user).select_related("region", "reporter_forum")  # type: ignore[arg-type]
    status = request.GET.get("status", "")
    isu = request.GET.get("isu", "")
    level = request.GET.get("alert_level", "")
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    if isu in Isu.values:
        reports = reports.filter(isu=isu)
    if level in AlertLevel.values:
        reports = reports.filter(alert_level=level)
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/list.html",
        {
            "page": page,
            "status": status,
            "isu": isu,
            "alert_level": level,
            "statuses": ReportStatus.choices,
            "isus": Isu.choices,
            "levels": AlertLevel.choices,
            "can_triage": can_triage(request.user),  # type: ignore[arg-type]
        },
    )


def _open_incidents(person: Any) -> IncidentQuerySet:
    """The incidents ``person`` sees that reports can still join: not merged into another."""
    return Incident.objects.visible_to(person).filter(merged_into__isnull=True)


def _visible_report(request: HttpRequest, reference: str) -> Report:
    return get_object_or_404(
        Report.objects.visible_to(request.user).select_related(  # type: ignore[arg-type]
            "region", "region__parent", "reporter_forum", "incident", "reporter"
        ),
        reference=reference,
    )


@login_required
def report_detail(request: HttpRequest, reference: str) -> HttpResponse:
    report = _visible_report(request, reference)
    person: Any = request.user
    context = {
        "report": report,
        "exact_location": can_see_exact_location(person, report),
        "has_informant": hasattr(report, "informant"),
        "can_reveal": can_reveal_informant(person),
        "can_triage": can_triage(person),
        "attachments": report.attachments.all(),
        "incidents": _open_incidents(person)[:50] if can_triage(person) else [],
        "forums": Forum.objects.active() if can_triage(person) else [],
        "duplicates": _probable_duplicates(person, report),
    }
    return render(request, "reports/detail.html", context)


def _probable_duplicates(person: Any, report: Report) -> list[Any]:
    """For an analyst looking at a report still to verify: the open incidents it probably belongs
    to (triage), each offered as a one-click "verify into this incident" (the triage view below)."""
    if report.status not in (ReportStatus.BARU, ReportStatus.DITOLAK) or not can_triage(person):
        return []
    from waspada.triage.duplicates import probable_incidents
    from waspada.triage.training import report_text

    found = probable_incidents(
        person=person, text=report_text(report), region_code=report.region_id, when=report.occurred_at
    )
    joinable = set(
        _open_incidents(person).filter(pk__in=[d.incident.pk for d in found]).values_list("pk", flat=True)
    )
    return [d for d in found if d.incident.pk in joinable]


@login_required
@require_POST
def reveal_informant(request: HttpRequest, reference: str) -> HttpResponse:
    report = _visible_report(request, reference)
    if not hasattr(report, "informant"):
        raise Http404(_("Laporan ini tidak mencatat informan."))  # as the API answers
    try:
        revealed = actions.reveal_informant(report=report, by=request.user, request=request)  # type: ignore[arg-type]
    except PermissionError as exc:
        return render(request, "reports/forbidden.html", {"message": str(exc)}, status=403)
    response = render(request, "reports/informant.html", {"report": report, "informant": revealed})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def triage(request: HttpRequest, reference: str) -> HttpResponse:
    """Verify, reject or share a report: the analyst's buttons on the report page."""
    report = _visible_report(request, reference)
    person: Any = request.user
    action = request.POST.get("action", "")
    try:
        if action == "verify":
            incident_ref = request.POST.get("incident", "")
            incident = (
                get_object_or_404(_open_incidents(person), reference=incident_ref) if incident_ref else None
            )
            actions.verify_report(report=report, by=person, incident=incident, request=request)
            messages.success(request, _("Laporan diverifikasi."))
        elif action == "reject":
            actions.reject_report(
                report=report, by=person, reason=request.POST.get("reason", ""), request=request
            )
            messages.success(request, _("Laporan ditolak."))
        elif action == "share":
            forum = get_object_or_404(Forum.objects.active(), code=request.POST.get("forum", ""))
            actions.share_report(report=report, forum=forum, by=person, request=request)
            messages.success(request, _("Laporan dibagikan ke %(forum)s.") % {"forum": forum.name})
        else:
            messages.error(request, _("Tindakan tidak dikenal."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionError as exc:
        return render(request, "reports/forbidden.html", {"message": str(exc)}, status=403)
    return redirect("reports:detail", reference=report.reference)


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = Incident.objects.visible_to(request.user).select_related("region")  # type: ignore[arg-type]
    page = Paginator(incidents, 25).get_page(request.GET.get("page"))
    return render(request, "reports/incident_list.html", {"page": page})


@login_required
def incident_detail(request: HttpRequest, reference: str) -> HttpResponse:
    person: Any = request.user
    incident = get_object_or_404(
        Incident.objects.visible_to(person).select_related("region", "merged_into"), reference=reference
    )
    if request.method == "POST" and incident.merged_into is not None:
        # A merged incident is kept for its history and its old links; the work goes on in the
        # incident it was merged into.
        messages.error(
            request,
            _("Insiden ini sudah digabung ke %(ref)s; ubah insiden itu.")
            % {"ref": incident.merged_into.reference},
        )
        return redirect("reports:incident", reference=incident.reference)
    if request.method == "POST":
        try:
            action = request.POST.get("action", "")
            if action == "level":
                level = request.POST.get("alert_level") or None
                actions.set_incident_level(
                    incident=incident,
                    level=level,
                    by=person,
                    reason=request.POST.get("reason", ""),
                    request=request,
                )
            elif action == "merge":
                source = get_object_or_404(_open_incidents(person), reference=request.POST.get("source", ""))
                actions.merge_incidents(
                    target=incident,
                    sources=[source],
                    by=person,
                    reason=request.POST.get("reason", ""),
                    request=request,
                )
            elif action == "split":
                chosen = list(
                    Report.objects.visible_to(person).filter(
                        incident=incident, reference__in=request.POST.getlist("reports")
                    )
                )
                new = actions.split_incident(incident=incident, reports=chosen, by=person, request=request)
                return redirect("reports:incident", reference=new.reference)
            messages.success(request, _("Perubahan disimpan."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionError as exc:
            return render(request, "reports/forbidden.html", {"message": str(exc)}, status=403)
        return redirect("reports:incident", reference=incident.reference)
    reports = Report.objects.visible_to(person).filter(incident=incident).select_related("region")
    others = _open_incidents(person).exclude(pk=incident.pk)[:50]
    return render(
        request,
        "reports/incident_detail.html",
        {
            "incident": incident,
            "reports": reports,
            "others": others,
            "levels": AlertLevel.choices,
            # a merged incident shows no split, level or merge forms: its POST is refused above
            "can_triage": can_triage(person) and incident.merged_into is None,
        },
    )


def service_worker(request: HttpRequest) -> HttpResponse:
    """/sw.js: served from the root so that it may control every page (scope "/").

    The outbox script's URL is written into the worker here rather than read from the query
    string, so that the worker imports only our own file; its hashed name also makes the
    browser fetch a new worker whenever outbox.js changes.
    """
    import json

    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    path = finders.find("reports/sw.js")
    body = open(path, encoding="utf-8").read() if path else ""
    outbox_url = json.dumps(static("reports/outbox.js"))
    response = HttpResponse(
        f"self.WASPADA_OUTBOX_URL = {outbox_url};\n{body}", content_type="text/javascript; charset=utf-8"
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
