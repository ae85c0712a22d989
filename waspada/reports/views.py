"""Pages for reports: the intake form, lists, a report's page, and the analyst's review tools."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from waspada.core.offline import keep_offline
from waspada.forums.models import Forum, ForumKind, ForumLevel, Membership
from waspada.lib.requests import person_of
from waspada.lib.uploads import MAX_UPLOAD_BYTES
from waspada.regions.adjacency import regency_code
from waspada.regions.models import Level, Region
from waspada.regions.widgets import PlaceInputWidget
from waspada.reports import actions, borders, sharing
from waspada.reports.forms import ReportForm
from waspada.reports.models import Incident, IncidentQuerySet, Report, ReportStatus
from waspada.reports.sharing import receives_summary_only
from waspada.reports.taxonomy import AlertLevel, Athg, Classification, Isu
from waspada.reports.verification import queue_for, queue_rows
from waspada.reports.visibility import (
    can_reveal_informant,
    can_see_exact_location,
    can_see_source,
    can_triage,
    may,
    may_decide_region,
)


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
                        triage_suggestion=form.triage_suggestion(),
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
    """The incidents ``person`` may triage that reports can still join: not merged into another."""
    return Incident.objects.restrict(person, "triage").filter(merged_into__isnull=True)


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
    if report.reporter_id == request.user.pk:
        keep_offline(request)  # her own report's page may stay on her phone (core/offline.py)
    return render(request, "reports/detail.html", _detail_context(request, report))


def _detail_context(
    request: HttpRequest, report: Report, choice: VerifyChoice | None = None
) -> dict[str, Any]:
    person: Any = request.user
    # The buttons follow the rights on this report, as the actions check them (rules 6 and 7).
    triage_ok = can_triage(person) and may_decide_region(person, report.region_id)
    return {
        "report": report,
        "exact_location": can_see_exact_location(person, report),
        "show_source": can_see_source(person, report),
        "has_informant": hasattr(report, "informant"),
        "can_reveal": can_reveal_informant(person) and may(person, "reveal", report),
        "can_triage": triage_ok,
        "attachments": report.attachments.all(),
        "incidents": _open_incidents(person)[:50] if triage_ok else [],
        "forums": Forum.objects.visible_to(person).active() if triage_ok else [],
        "duplicates": _probable_duplicates(person, report),
        **(_verify_context(person, report, choice) if triage_ok else {}),
    }


@dataclass(frozen=True)
class VerifyChoice:
    """The values on the verify form: the report's own until the analyst changes them."""

    isu: str
    athg: str
    alert_level: str
    region: Region
    incident: Incident | None = None

    @property
    def isu_label(self) -> str:
        return str(Isu(self.isu).label)

    @property
    def level_label(self) -> str:
        return str(AlertLevel(self.alert_level).label)

    @classmethod
    def of(cls, report: Report) -> VerifyChoice:
        return cls(isu=report.isu, athg=report.athg, alert_level=report.alert_level, region=report.region)

    @classmethod
    def from_post(cls, request: HttpRequest, report: Report) -> VerifyChoice:
        """The posted values, each falling back to the report's when missing or unknown (the
        action validates what is finally submitted; a preview just shows the report's)."""
        person: Any = request.user
        # NUL never matches (and PostgreSQL cannot compare text holding it).
        post: dict[str, str] = {k: str(v) for k, v in request.POST.items() if "\x00" not in str(v)}
        region = None
        if post.get("region_code"):
            region = Region.objects.defer("boundary").filter(code=post["region_code"]).first()
        incident = None
        if post.get("incident"):
            incident = _open_incidents(person).filter(reference=post["incident"]).first()

        def pick(name: str, allowed: list[str], kept: str) -> str:
            value = post.get(name, "")
            return value if value in allowed else kept

        return cls(
            isu=pick("isu", Isu.values, report.isu),
            athg=pick("athg", Athg.values, report.athg),
            alert_level=pick("alert_level", AlertLevel.values, report.alert_level),
            region=region
            if region is not None and region.level in (Level.DESA, Level.KECAMATAN)
            else report.region,
            incident=incident,
        )


def _place_choices(report: Report) -> list[tuple[str, list[tuple[str, str]]]]:
    """The kecamatan and villages of the report's regency, grouped by kecamatan, by name."""
    regency = report.region.code[:5]
    places = (
        Region.objects.defer("boundary")
        .filter(code__startswith=regency + ".", level__in=[Level.KECAMATAN, Level.DESA])
        .order_by("code")
    )
    groups: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, str] = {}
    for place in places:
        if place.level == Level.KECAMATAN:
            names[place.code] = place.label
            groups.setdefault(place.code, []).append(
                (place.code, _("%(name)s (seluruh kecamatan)") % {"name": place.label})
            )
        else:
            groups.setdefault(place.code.rsplit(".", 1)[0], []).append((place.code, place.label))
    ordered = sorted(groups.items(), key=lambda item: names.get(item[0], item[0]))
    return [
        (names.get(code, code), [options[0], *sorted(options[1:], key=lambda o: o[1])])
        for code, options in ordered
    ]


def _verify_context(person: Any, report: Report, choice: VerifyChoice | None) -> dict[str, Any]:
    """The verify form: only for a report still waiting (new), with the routing preview."""
    if report.status != ReportStatus.BARU:
        return {"can_verify": False}
    choice = choice or VerifyChoice.of(report)
    return {
        "can_verify": True,
        "choice": choice,
        "isus": Isu.choices,
        "athgs": Athg.choices,
        "levels": AlertLevel.choices,
        "places": _place_choices(report),
        "plan": _routing_plan(report, choice),
        "clock": queue_rows([report])[0],
    }


def _routing_plan(report: Report, choice: VerifyChoice) -> list[Any]:
    from waspada.response.actions import preview_routing

    return preview_routing(
        report=report,
        isu=choice.isu,
        alert_level=choice.alert_level,
        region=choice.region,
        incident_id=choice.incident.pk if choice.incident else None,
    )


@login_required
@require_POST
def routing_preview(request: HttpRequest, reference: str) -> HttpResponse:
    """The routing preview for the values on the verify form (verify.js asks as they change)."""
    report = _visible_report(request, reference)
    if not may_decide_region(request.user, report.region_id):  # type: ignore[arg-type]
        return render(
            request,
            "reports/forbidden.html",
            {"message": _("Hanya analis Tim Kewaspadaan Dini wilayah ini.")},
            status=403,
        )
    choice = VerifyChoice.from_post(request, report)
    return render(
        request, "reports/_routing_preview.html", {"plan": _routing_plan(report, choice), "choice": choice}
    )


@login_required
def verification_queue(request: HttpRequest) -> HttpResponse:
    """Every report waiting for verification that the analyst sees, most urgent first."""
    person: Any = request.user
    if not can_triage(person):
        return render(
            request,
            "reports/forbidden.html",
            {"message": _("Antrean verifikasi hanya untuk analis Tim Kewaspadaan Dini.")},
            status=403,
        )
    page = Paginator(queue_for(person), 50).get_page(request.GET.get("page"))
    return render(request, "reports/queue.html", {"page": page, "rows": queue_rows(list(page.object_list))})


def _probable_duplicates(person: Any, report: Report) -> list[Any]:
    """For an analyst looking at a report still to verify: the open incidents it probably belongs
    to (triage), each offered as a one-click "verify into this incident" (the triage view below)."""
    if report.status not in (ReportStatus.BARU, ReportStatus.DITOLAK) or not may_decide_region(
        person, report.region_id
    ):
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
        if action == "preview":
            # Without JavaScript: the same page, with the routing of the values chosen so far.
            if not may_decide_region(person, report.region_id):
                raise PermissionError(
                    _("Hanya analis Tim Kewaspadaan Dini wilayah ini yang dapat melakukan ini.")
                )
            choice = VerifyChoice.from_post(request, report)
            return render(request, "reports/detail.html", _detail_context(request, report, choice))
        if action == "verify":
            incident_ref = request.POST.get("incident", "")
            incident = (
                get_object_or_404(_open_incidents(person), reference=incident_ref) if incident_ref else None
            )
            corrections = actions.Reclassification(
                isu=request.POST.get("isu") or None,
                athg=request.POST.get("athg") or None,
                alert_level=request.POST.get("alert_level") or None,
                region_code=request.POST.get("region_code") or None,
            )
            actions.verify_report(
                report=report, by=person, incident=incident, corrections=corrections, request=request
            )
            messages.success(request, _("Laporan diverifikasi."))
        elif action == "casualties":
            counts = _casualties_from_post(request)
            actions.update_casualties(
                report=report, by=person, reason=request.POST.get("reason", ""), request=request, **counts
            )
            messages.success(request, _("Jumlah korban diperbarui."))
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
        if action == "casualties" and hasattr(exc, "error_dict"):
            # Name the field: the page shows these messages above the form.
            for name, errors in exc.message_dict.items():
                for message in errors:
                    messages.error(request, f"{CASUALTY_LABELS.get(name, _('Alasan'))}: {message}")
        else:
            for message in exc.messages:
                messages.error(request, message)
    except PermissionError as exc:
        return render(request, "reports/forbidden.html", {"message": str(exc)}, status=403)
    return redirect("reports:detail", reference=report.reference)


CASUALTY_LABELS = {
    "casualties_dead": gettext_lazy("Korban meninggal"),
    "casualties_injured": gettext_lazy("Korban luka"),
    "casualties_displaced": gettext_lazy("Warga mengungsi"),
}
POST_NAMES = {"casualties_dead": "dead", "casualties_injured": "injured", "casualties_displaced": "displaced"}


def _casualties_from_post(request: HttpRequest) -> dict[str, int | None]:
    """The three counts of the casualties form: empty is None (not known); anything but a whole
    number is refused naming its field."""
    counts: dict[str, int | None] = {}
    errors: dict[str, list[str]] = {}
    for name, key in POST_NAMES.items():
        raw = request.POST.get(name, "").strip()
        if not raw:
            counts[key] = None
        elif raw.isascii() and raw.lstrip("-").isdigit() and len(raw) <= 12:
            counts[key] = int(raw)
        else:
            errors[name] = [_("Tulis bilangan bulat (0, 1, 2, …), atau kosongkan bila belum diketahui.")]
    if errors:
        raise ValidationError(errors)
    return counts


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    incidents = Incident.objects.visible_to(request.user).select_related("region")  # type: ignore[arg-type]
    page = Paginator(incidents, 25).get_page(request.GET.get("page"))
    # An incident shared by another regency's TKD is named by its kecamatan, as on its page.
    page.object_list = list(page.object_list)
    for incident in page.object_list:
        incident.shown_place = incident.region  # type: ignore[attr-defined]
    summary_only = sharing.summary_only_ids(
        request.user,  # type: ignore[arg-type]
        [(incident.pk, incident.region_id) for incident in page.object_list],
    )
    for incident in page.object_list:
        if incident.pk in summary_only:
            incident.shown_place = sharing.shared_place(incident)  # type: ignore[attr-defined]
    return render(request, "reports/incident_list.html", {"page": page})


@login_required
def incident_detail(request: HttpRequest, reference: str) -> HttpResponse:
    person: Any = request.user
    incident = get_object_or_404(
        Incident.objects.visible_to(person).select_related("region", "merged_into"), reference=reference
    )
    if receives_summary_only(person, incident):
        # Shared by another regency's TKD: the summary only, and nothing to change (rule 6).
        return _shared_incident_page(request, incident)
    if request.method == "POST" and request.POST.get("action") in ("share", "unshare"):
        return _share_incident(request, incident)
    if request.method == "POST" and not may_decide_region(person, incident.region_id):
        # Seen (a province's analyst, a TKD reading its area) but not theirs to change (rule 6).
        return render(
            request,
            "reports/forbidden.html",
            {"message": _("Hanya analis Tim Kewaspadaan Dini wilayah ini yang dapat melakukan ini.")},
            status=403,
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
            elif action == "province":  # the ladder goes on up to the province (issue 18)
                actions.mark_needs_province(
                    incident=incident,
                    needs=request.POST.get("needs_province") == "1",
                    reason=request.POST.get("reason", ""),
                    by=person,
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
            "can_triage": incident.merged_into is None and may_decide_region(person, incident.region_id),
            "can_mark_province": incident.merged_into is None
            and actions.can_mark_needs_province(person, incident),
            **_share_offer(person, incident),
        },
    )


def _share_offer(person: Any, incident: Incident) -> dict[str, Any]:
    """The "share with the neighbouring TKD" part of the incident's page (docs/cross-border.md):
    for the deciding TKD's seniors only, never automatic."""
    if not sharing.can_share(person, incident):
        return {"can_share": False}
    shares = list(incident.shares.select_related("forum", "shared_by", "revoked_by").order_by("shared_at"))
    active = {share.forum_id for share in shares if share.revoked_at is None}
    neighbours = borders.neighbouring_regencies(incident)
    suggested = {forum.pk for neighbour in neighbours for forum in neighbour.forums}
    choices = [forum for forum in borders.other_regency_tkds(incident) if forum.pk not in active]
    choices.sort(key=lambda forum: (forum.pk not in suggested, forum.jurisdiction_id, forum.code))
    return {
        "can_share": True,
        "shareable": incident.merged_into_id is None and incident.classification != Classification.RAHASIA,
        "is_rahasia": incident.classification == Classification.RAHASIA,
        "neighbours": neighbours,
        "share_choices": choices,
        "suggested_forums": suggested,
        "shares": shares,
    }


def _share_incident(request: HttpRequest, incident: Incident) -> HttpResponse:
    person: Any = request.user
    forum_id = _int_or_none(request.POST.get("forum"))
    forum = Forum.objects.filter(pk=forum_id).first() if forum_id is not None else None
    try:
        if request.POST.get("action") == "share":
            sharing.share_incident(
                incident=incident,
                forum=forum,
                reason=request.POST.get("reason", ""),
                by=person,
                request=request,
            )
            messages.success(
                request, _("Insiden dibagikan ke %(forum)s.") % {"forum": forum.name if forum else ""}
            )
        else:
            sharing.revoke_incident_share(incident=incident, forum=forum, by=person, request=request)
            messages.success(
                request, _("Berbagi ke %(forum)s dicabut.") % {"forum": forum.name if forum else ""}
            )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionError as exc:
        return render(request, "reports/forbidden.html", {"message": str(exc)}, status=403)
    return redirect("reports:incident", reference=incident.reference)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


def _shared_incident_page(request: HttpRequest, incident: Incident) -> HttpResponse:
    """What a neighbouring regency's TKD sees of an incident shared with it: the summary."""
    if request.method == "POST":
        return render(
            request,
            "reports/forbidden.html",
            {"message": _("Insiden ini dibagikan oleh TKD kabupaten lain: hanya dapat dibaca.")},
            status=403,
        )
    person: Any = request.user
    seats = Membership.objects.current().filter(person_id=person.pk, forum__kind=ForumKind.TKD)
    shares = (
        incident.shares.active()
        .filter(forum_id__in=seats.values("forum_id"))
        .select_related("forum", "shared_by")
        .order_by("shared_at")
    )
    place = sharing.shared_place(incident)
    return render(
        request,
        "reports/incident_shared.html",
        {
            "incident": incident,
            "place": place,
            "regency": Region.objects.filter(code=regency_code(incident.region_id) or "").first(),
            "shares": shares,
            "sharing_forum": sharing.deciding_tkd(incident.region_id),
        },
    )


SHELL_FILES = (
    "waspada/waspada.css",
    "waspada/offline.js",
    "reports/outbox.js",
    "reports/report-form.js",
    "reports/report-form.css",
    "reports/use-my-location.js",
    "regions/region-picker.css",
    "regions/region-picker.js",
    "situation/situation.css",  # the home page's panels
    "triage/suggest-form.js",
    "waspada/icons/waspada-192.png",
    "waspada/icons/waspada-512.png",
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
    # The app shell kept at install (docs/offline.md); its hashed names change the version.
    shell = [static(name) for name in SHELL_FILES]
    version = hashlib.sha256(json.dumps([shell, body]).encode()).hexdigest()[:12]
    response = HttpResponse(
        f"self.WASPADA_OUTBOX_URL = {outbox_url};\n"
        f"self.WASPADA_SHELL = {json.dumps(shell)};\n"
        f"self.WASPADA_VERSION = {json.dumps(version)};\n{body}",
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
