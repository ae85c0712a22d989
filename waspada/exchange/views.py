"""Pages under /pertukaran/: exports of the situation lists, alerts (issue, update, cancel), their
CAP documents and the public Atom index.

Exports need a forum seat, as the lists do. Alert pages and CAP documents answer anyone, each
showing only the alerts ``Alert.objects.visible_to`` allows (without a login: Public ones).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from waspada.exchange import actions, cap, exports
from waspada.exchange.models import Alert, AlertProposal, CapStatus, ProposalStatus, Scope
from waspada.lib.requests import person_of
from waspada.regions.models import Level, Region
from waspada.reports.taxonomy import AlertLevel, Isu, highest_level
from waspada.situation.filters import Filters
from waspada.situation.table import TIME_FIELD, Table
from waspada.situation.views import _home, seat_required


def export_response(
    request: HttpRequest,
    person: Any,
    target: str,
    fmt: str,
    filters: Filters,
    table: Table | None = None,
    *,
    excel: bool = False,
    shown: bool = False,
) -> StreamingHttpResponse:
    """Count the rows, record the export, then stream it (shared by the page and the API).
    ``table``: the list's table view, whose order the rows keep; ``shown``: only the table's
    columns too (the export holds what it shows; else every column);
    ``excel``: the CSV for Excel (byte-order mark, Excel's dates)."""
    columns, select, rows = exports.TARGETS[target]
    queryset = select(person, filters)
    count = queryset.count()
    if table is not None and not table.is_default_order:
        queryset = table.order(queryset)
    elif table is not None:
        queryset = queryset.order_by(f"-{TIME_FIELD[target]}", "-pk")  # the list's newest first
    query = filters.querystring(**(table.params() if table is not None else {}))
    actions.record_export(by=person, target=target, fmt=fmt, query=query, rows=count, request=request)
    values = rows(queryset, person)
    if shown and table is not None:
        columns, values = exports.shown_only(target, columns, values, table.column_keys)
    body = exports.stream(fmt, columns, values, sheet_name=target, excel=excel)
    response = StreamingHttpResponse(body, content_type=exports.CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{target}-{stamp}.{exports.EXTENSIONS[fmt]}"'
    response["Cache-Control"] = "no-store"
    response["X-Export-Rows"] = str(count)
    return response


@seat_required
def export(request: HttpRequest, target: str, fmt: str) -> Any:  # HttpResponse or StreamingHttpResponse
    if target not in exports.TARGETS or fmt not in exports.FORMATS:
        raise Http404
    filters = Filters.from_query(request.GET, for_incidents=target == "insiden")
    if filters.errors:
        return render(request, "exchange/export_errors.html", {"errors": filters.errors}, status=400)
    table = Table.from_query(request.GET, target)
    excel = fmt == "csv" and request.GET.get("excel") == "1"
    # the list's CSV and XLSX links ask for the table's columns (``tabel=1``); GeoJSON and HXL,
    # and an export asked without it, carry every column
    shown = fmt in ("csv", "xlsx") and request.GET.get("tabel") == "1"
    return export_response(request, person_of(request), target, fmt, filters, table, excel=excel, shown=shown)


# -- alerts ---------------------------------------------------------------------------------


def _alert_regions() -> Any:
    home = _home()
    return (
        Region.objects.within(home)
        .filter(level__lte=Level.DESA)
        .order_by("code")
        .only("code", "name", "level")
    )


def _form_context(person: Any, values: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors,
        "regions": _alert_regions(),
        "isus": Isu.choices,
        "levels": AlertLevel.choices,
        "scopes": Scope.choices,
        "statuses": CapStatus.choices,
        "sensitive": sorted(actions.SENSITIVE_ISUS),
    }


def _input_from(post: Any) -> actions.AlertInput:
    raw = post.get("expires_at", "")
    expires = parse_datetime(raw) if raw else None
    if expires is not None and timezone.is_naive(expires):
        expires = timezone.make_aware(expires)
    return actions.AlertInput(
        headline=post.get("headline", ""),
        description=post.get("description", ""),
        instruction=post.get("instruction", ""),
        level=post.get("level", ""),
        scope=post.get("scope", ""),
        expires_at=expires,
        status=post.get("status", CapStatus.ACTUAL),
    )


def _errors_of(exc: ValidationError) -> dict[str, list[str]]:
    return dict(exc.message_dict) if hasattr(exc, "error_dict") else {"umum": list(exc.messages)}


def _bad_time(raw: str) -> dict[str, list[str]]:
    if raw and parse_datetime(raw) is None:
        return {"expires_at": [_("Batas berlaku tidak valid: %(value)s.") % {"value": raw[:40]}]}
    return {}


def _preview_of(request: HttpRequest, draft: Alert) -> dict[str, Any]:
    """The CAP document and the Atom entry an unsaved alert would have, for the preview."""
    import xml.dom.minidom

    document = cap.cap_document(draft, web=request.build_absolute_uri(reverse("exchange:alerts")))
    feed = cap.atom_feed(
        [draft],
        feed_url=request.build_absolute_uri(reverse("exchange:atom")),
        title=_("Peringatan dini %(site)s") % {"site": cap.settings.WASPADA_SITE_NAME},
        document_url=lambda a: request.build_absolute_uri(reverse("exchange:alerts")),
    )
    pretty = xml.dom.minidom.parseString(document).toprettyxml(indent="  ")  # noqa: S318
    entry = xml.dom.minidom.parseString(feed).getElementsByTagName("entry")[0]  # noqa: S318
    return {
        "preview": draft,
        "preview_cap": pretty,
        "preview_area": cap._area_description(draft.region),
        "preview_entry": entry.toprettyxml(indent="  "),
        "preview_public": draft.scope == Scope.PUBLIC,
        "preview_two_keys": actions.needs_second_key(draft.status, draft.scope),
    }


def _after_write(request: HttpRequest, result: Alert | AlertProposal, published: str) -> HttpResponse:
    if isinstance(result, AlertProposal):
        messages.success(
            request,
            _(
                "Usulan peringatan publik tersimpan. Peringatan baru terbit setelah disetujui "
                "orang kedua yang berwenang."
            ),
        )
        return redirect("exchange:proposal", pk=result.pk)
    messages.success(request, published)
    return redirect("exchange:alert", identifier=result.identifier)


@login_required
def alert_new(request: HttpRequest) -> HttpResponse:
    """The issue form; ``?signal=<pk>`` fills region, isu and level from a signal the person may read."""
    from waspada.detection.models import Signal

    person = person_of(request)
    if not actions.can_issue_alert(person):
        message = _("Hanya analis dan pimpinan Tim Kewaspadaan Dini yang dapat menerbitkan peringatan.")
        return render(request, "reports/forbidden.html", {"message": message}, status=403)
    signal = None
    signal_key = request.POST.get("signal") or request.GET.get("signal") or ""
    if signal_key:
        if not signal_key.isdigit():
            raise Http404
        signal = get_object_or_404(
            Signal.objects.visible_to(person).select_related("region"), pk=int(signal_key)
        )
    values: dict[str, Any]
    if request.method == "POST":
        values = request.POST.dict()
        region = Region.objects.filter(code=values.get("region", "")[:20]).first()
        errors = _bad_time(values.get("expires_at", ""))
        preview: dict[str, Any] = {}
        if not errors:
            try:
                if request.POST.get("action") == "preview":
                    draft = actions.preview_alert(
                        by=person,
                        region=region,
                        isu=values.get("isu", ""),
                        data=_input_from(request.POST),
                        signal=signal,
                    )
                    preview = _preview_of(request, draft)
                else:
                    done = actions.issue_alert(
                        by=person,
                        region=region,
                        isu=values.get("isu", ""),
                        data=_input_from(request.POST),
                        signal=signal,
                        request=request,
                    )
                    return _after_write(request, done, _("Peringatan diterbitkan."))
            except ValidationError as exc:
                errors = _errors_of(exc)
            except PermissionError as exc:
                return render(request, "reports/forbidden.html", {"message": str(exc)}, status=403)
        return render(
            request,
            "exchange/alert_form.html",
            {**_form_context(person, values, errors), "signal": signal, **preview},
            status=400 if errors else 200,
        )
    values = {
        "expires_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "status": CapStatus.ACTUAL,
    }
    if signal is not None:
        from waspada.reports.models import Report

        levels = list(
            Report.objects.visible_to(person).filter(signals=signal).values_list("alert_level", flat=True)
        )
        values.update(
            {
                "region": signal.region_id,
                "isu": signal.isu,
                "level": highest_level(levels) if levels else AlertLevel.WASPADA,
                "scope": actions.default_scope(signal.isu),
            }
        )
    return render(
        request, "exchange/alert_form.html", {**_form_context(person, values, {}), "signal": signal}
    )


def _viewer(request: HttpRequest) -> Any:
    """The person, or the anonymous user: alert pages answer without a login (Public alerts)."""
    return request.user


def alert_list(request: HttpRequest) -> HttpResponse:
    person = _viewer(request)
    alerts = Alert.objects.visible_to(person).select_related("region").order_by("-sent", "-pk")[:200]
    current = set(Alert.objects.visible_to(person).current().values_list("pk", flat=True))
    return render(
        request,
        "exchange/alert_list.html",
        {
            "alerts": alerts,
            "current": current,
            "can_issue": actions.can_issue_alert(person),
            "waiting": (
                AlertProposal.objects.visible_to(person).waiting().count() if person.is_authenticated else 0
            ),
        },
    )


def _visible_alert(request: HttpRequest, identifier: str) -> Alert:
    if "\x00" in identifier:
        raise Http404
    return get_object_or_404(
        Alert.objects.visible_to(_viewer(request)).select_related("region", "previous"), identifier=identifier
    )


def alert_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    person = _viewer(request)
    alert = _visible_alert(request, identifier)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        if not actions.can_issue_alert(person, alert.region):
            message = _(
                "Hanya analis dan pimpinan Tim Kewaspadaan Dini wilayah ini yang dapat mengubah peringatan."
            )
            return render(request, "reports/forbidden.html", {"message": message}, status=403)
        values = request.POST.dict()
        try:
            if request.POST.get("action") == "cancel":
                done = actions.cancel_alert(
                    alert=alert, by=person, reason=request.POST.get("reason", ""), request=request
                )
                messages.success(request, _("Peringatan dibatalkan."))
            else:
                errors = _bad_time(values.get("expires_at", ""))
                if errors:
                    raise ValidationError(errors)
                result = actions.update_alert(
                    alert=alert, by=person, data=_input_from(request.POST), request=request
                )
                return _after_write(request, result, _("Peringatan diperbarui."))
            return redirect("exchange:alert", identifier=done.identifier)
        except ValidationError as exc:
            errors = _errors_of(exc)
    latest = not alert.successors.exists()
    if not values:
        values = {
            "headline": alert.headline,
            "description": alert.description,
            "instruction": alert.instruction,
            "level": alert.level,
            "scope": alert.scope,
            "status": alert.status,
            "expires_at": timezone.localtime(alert.expires_at).strftime("%Y-%m-%dT%H:%M"),
        }
    return render(
        request,
        "exchange/alert_detail.html",
        {
            **_form_context(person, values, errors),
            "alert": alert,
            "latest": latest,
            "is_current": Alert.objects.current().filter(pk=alert.pk).exists(),
            "successors": alert.successors.all(),
            "can_change": latest
            and alert.msg_type != "Cancel"
            and actions.can_issue_alert(person, alert.region),
        },
        status=400 if errors else 200,
    )


def cap_xml(request: HttpRequest, identifier: str) -> HttpResponse:
    alert = _visible_alert(request, identifier)
    web = request.build_absolute_uri(reverse("exchange:alert", args=[alert.identifier]))
    response = HttpResponse(
        cap.cap_document(alert, web=web), content_type="application/cap+xml; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=60" if alert.scope == Scope.PUBLIC else "private, no-store"
    return response


def atom(request: HttpRequest) -> HttpResponse:
    """The public index: current Public alerts only, whoever asks (a login changes nothing here;
    TKD and Forkopimda members read their Restricted alerts at /api/v1/alerts/atom)."""
    alerts = Alert.objects.in_feed_for(None).select_related("region").order_by("-sent", "-pk")
    body = cap.atom_feed(
        alerts,
        feed_url=request.build_absolute_uri(reverse("exchange:atom")),
        title=_("Peringatan dini %(site)s") % {"site": cap.settings.WASPADA_SITE_NAME},
        document_url=lambda a: request.build_absolute_uri(reverse("exchange:cap", args=[a.identifier])),
    )
    response = HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=60"
    return response


@seat_required
def index(request: HttpRequest) -> HttpResponse:
    filters = Filters.from_query(request.GET)
    return render(
        request,
        "exchange/index.html",
        {
            "query": filters.querystring(),
            "formats": exports.FORMATS,
            "can_issue": actions.can_issue_alert(person_of(request)),
        },
    )


# -- proposals (the second key) ----------------------------------------------------------------


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    """The proposals a person may read: those waiting first, then the last decided ones."""
    person = person_of(request)
    rows = AlertProposal.objects.visible_to(person).select_related("region", "proposed_by", "decided_by")
    return render(
        request,
        "exchange/proposal_list.html",
        {
            "waiting": list(rows.waiting().order_by("proposed_at", "pk")[:200]),
            "decided": list(rows.exclude(status=ProposalStatus.MENUNGGU).order_by("-decided_at", "-pk")[:50]),
        },
    )


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One proposal: what would be published (its CAP document), its state, and for those who
    may decide it the approve and reject buttons."""
    person = person_of(request)
    proposal = get_object_or_404(
        AlertProposal.objects.visible_to(person).select_related(
            "region", "previous", "proposed_by", "decided_by", "alert"
        ),
        pk=pk,
    )
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "reject":
                actions.reject_alert(
                    proposal=proposal, by=person, reason=request.POST.get("reason", ""), request=request
                )
                messages.success(request, _("Usulan ditolak; tidak ada yang diterbitkan."))
                return redirect("exchange:proposal", pk=proposal.pk)
            alert = actions.approve_alert(proposal=proposal, by=person, request=request)
            messages.success(request, _("Usulan disetujui; peringatan diterbitkan."))
            return redirect("exchange:alert", identifier=alert.identifier)
        except PermissionError as exc:
            return render(request, "reports/forbidden.html", {"message": str(exc)}, status=403)
        except ValidationError as exc:
            errors = _errors_of(exc)
    draft = Alert(
        identifier="pratinjau",
        sender=cap.settings.WASPADA_CAP_SENDER,
        sent=timezone.now().replace(microsecond=0),
        status=proposal.cap_status,
        msg_type="Update" if proposal.previous_id else "Alert",
        scope=proposal.scope,
        region=proposal.region,
        isu=proposal.isu,
        level=proposal.level,
        headline=proposal.headline,
        description=proposal.description,
        instruction=proposal.instruction,
        expires_at=proposal.expires_at,
        previous=proposal.previous,
        issued_by=proposal.proposed_by,
    )
    return render(
        request,
        "exchange/proposal_detail.html",
        {
            **_preview_of(request, draft),
            "proposal": proposal,
            "errors": errors,
            "can_decide": proposal.status == ProposalStatus.MENUNGGU
            and proposal.proposed_by_id != person.pk
            and actions.can_approve_alert(person, proposal.region),
            "is_proposer": proposal.proposed_by_id == person.pk,
        },
        status=400 if errors else 200,
    )
