from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waspada.detection import evidence
from waspada.detection.actions import (
    RaiseStatus,
    current_status,
    levels_at_or_above,
    review_signal,
    review_signals,
)
from waspada.detection.filters import SignalFilters
from waspada.detection.models import DETECTOR_GLOSS, Detector, Signal, SignalStatus
from waspada.detection.readiness import readiness
from waspada.forums.access import access_of
from waspada.people.models import Person
from waspada.regions.models import Level, Region
from waspada.reports.models import Report
from waspada.reports.taxonomy import Isu
from waspada.situation.actions import can_override_status


def _context(
    request: HttpRequest, signal: Signal, errors: dict[str, list[str]], posted: QueryDict | None
) -> dict:
    detections = signal.detections()
    behind = Report.objects.filter(signals__in=[d.pk for d in detections]).distinct()
    reports = (
        Report.objects.visible_to(request.user)  # type: ignore[arg-type]
        .filter(pk__in=behind.values("pk"))
        .select_related("region")
        .order_by("-occurred_at", "-pk")
    )
    hidden = behind.count() - reports.count()
    series = evidence.weekly_series(signal)
    villages = evidence.cluster_villages(signal)
    current = None
    if signal.status == SignalStatus.BARU and can_override_status(request.user, signal.region):  # type: ignore[arg-type]
        current = current_status(signal, request.user)  # type: ignore[arg-type]
    default_expiry = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    return {
        "signal": signal,
        "headline": detections[0],
        "detections": detections,
        "series": series,
        "chart": evidence.chart(
            series, label=_("Deret mingguan %(region)s") % {"region": signal.region.name}
        ),
        "chart_detector": Detector(evidence.chart_detector(signal)).label,
        "death_rule": evidence.chart_detector(signal) == "kematian",
        "villages": villages,
        "cluster_map": evidence.cluster_map(signal, villages),
        "reports": reports,
        "hidden": hidden,
        "errors": errors,
        "current_status": current,
        "raise_levels": levels_at_or_above(current) if current else [],
        "raise_form": {
            "checked": bool(posted and posted.get("raise_status")),
            "status": (posted.get("status_level") if posted else None) or current,
            "reason": (posted.get("status_reason") if posted else None) or detections[0].explanation,
            "expires_at": (posted.get("status_expires_at") if posted else None) or default_expiry,
        },
    }


def _raise_from(post: QueryDict) -> RaiseStatus | None:
    """The optional "raise the region's status" part of the review form."""
    if not post.get("raise_status"):
        return None
    raw = post.get("status_expires_at", "").strip()
    expires = parse_datetime(raw) if raw else None
    if raw and expires is None:
        raise ValidationError(
            {"status_expires_at": [_("Batas berlaku tidak valid: %(value)s.") % {"value": raw[:40]}]}
        )
    if expires is not None and timezone.is_naive(expires):
        expires = timezone.make_aware(expires)
    return RaiseStatus(
        status=post.get("status_level", ""), reason=post.get("status_reason", ""), expires_at=expires
    )


@login_required
def signal_list(request: HttpRequest) -> HttpResponse:
    person: Person = request.user  # type: ignore[assignment]
    filters = SignalFilters.from_query(request.GET)
    signals = filters.apply(Signal.objects.visible_to(person).events())
    signals = (
        signals.select_related("region")
        .prefetch_related(Prefetch("members", queryset=Signal.objects.select_related("region")))
        .by_priority()
    )
    page = list(signals[:200])
    return render(
        request,
        "detection/list.html",
        {
            "signals": page,
            "status": filters.status,
            "filters": filters,
            "statuses": SignalStatus.choices,
            "isus": Isu.choices,
            "regions": _filter_regions(person),
            "can_review": set(
                Signal.objects.restrict(person, "triage")
                .filter(pk__in=[s.pk for s in page])
                .values_list("pk", flat=True)
            ),
            "withheld": _withheld_signals(request, filters.status),
            "may_review": access_of(person).is_tkd_senior,
            "glossary": [(Detector(key).label, gloss) for key, gloss in DETECTOR_GLOSS.items()],
            "errors": {},
            "readiness": readiness(),
        },
    )


def _filter_regions(person: Person) -> list[Region]:
    """The regions the person's signals are in, and their kabupaten and kecamatan: the filter's choices."""
    codes = set(
        Signal.objects.visible_to(person).events().values_list("region_id", flat=True).distinct()[:500]
    )
    around = {".".join(code.split(".")[:n]) for code in codes for n in (2, 3)}
    return list(
        Region.objects.filter(code__in=around, level__in=[Level.KABUPATEN, Level.KECAMATAN]).order_by("code")
    )


@login_required
@require_POST
def bulk_review(request: HttpRequest) -> HttpResponse:
    """Confirm or dismiss the ticked signals with one reason (``actions.review_signals``)."""
    raw = request.POST.getlist("signal")
    try:
        pks = [int(value) for value in raw]
    except ValueError:
        pks = []
    seen = Signal.objects.visible_to(request.user).filter(pk__in=pks).count()  # type: ignore[arg-type]
    if seen != len(set(pks)):
        raise Http404  # a signal the person may not see is not told to exist
    try:
        done = review_signals(
            pks=pks,
            by=request.user,  # type: ignore[arg-type]
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except ValidationError as exc:
        for field_errors in exc.message_dict.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect(reverse("detection:list") + "?" + request.POST.get("back", ""))
    except PermissionError as exc:
        return HttpResponse(str(exc), status=403)
    messages.success(request, _("%(n)s sinyal ditinjau.") % {"n": len(done)})
    return redirect(reverse("detection:list") + "?" + request.POST.get("back", ""))


def _withheld_signals(request: HttpRequest, status: str) -> int:
    """Rule 13: the signals of the person's picture (their TKD and Forkopimda areas) in this list
    that they may not open are counted, not hidden: a leader is never told "no signal" where
    Kesbangpol has one under review."""
    from django.db.models import Q

    from waspada.regions.models import within_q
    from waspada.reports.visibility import picture_areas

    areas = picture_areas(request.user)  # type: ignore[arg-type]
    if not areas:
        return 0
    inside = Q(pk__in=[])
    for area in areas:
        inside |= within_q(area)
    rows = Signal.objects.events().filter(inside)
    if status in SignalStatus.values:
        rows = rows.filter(status=status)
    visible = Signal.objects.visible_to(request.user).values("pk")  # type: ignore[arg-type]
    return rows.exclude(pk__in=visible).count()


@login_required
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(Signal.objects.visible_to(request.user).select_related("region"), pk=pk)  # type: ignore[arg-type]
    if signal.event_id is not None:
        return redirect("detection:detail", pk=signal.event_id)  # a detection is shown with its event
    return render(request, "detection/detail.html", _context(request, signal, {}, None))


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(Signal.objects.visible_to(request.user).select_related("region"), pk=pk)  # type: ignore[arg-type]
    try:
        raised = _raise_from(request.POST)
        review_signal(
            signal=signal,
            by=request.user,  # type: ignore[arg-type]
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
            raise_status=raised,
            request=request,
        )
    except ValidationError as exc:
        signal.refresh_from_db()
        return render(
            request,
            "detection/detail.html",
            _context(request, signal, exc.message_dict, request.POST),
            status=400,
        )
    except PermissionError as exc:
        return HttpResponse(str(exc), status=403)
    if raised is not None:
        messages.success(request, _("Sinyal dikonfirmasi dan status wilayah dinaikkan."))
        return redirect("situation:region", code=signal.region_id)
    messages.success(request, _("Tinjauan sinyal disimpan."))
    return redirect("detection:detail", pk=signal.pk)
