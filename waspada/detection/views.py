from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waspada.detection.actions import (
    RaiseStatus,
    current_status,
    levels_at_or_above,
    review_signal,
)
from waspada.detection.models import Signal, SignalStatus
from waspada.detection.readiness import readiness
from waspada.reports.models import Report
from waspada.situation.actions import can_override_status


def _context(
    request: HttpRequest, signal: Signal, errors: dict[str, list[str]], posted: QueryDict | None
) -> dict:
    reports = Report.objects.visible_to(request.user).filter(signals=signal).select_related("region")  # type: ignore[arg-type]
    hidden = signal.reports.count() - reports.count()
    current = None
    if signal.status == SignalStatus.BARU and can_override_status(request.user, signal.region):  # type: ignore[arg-type]
        current = current_status(signal, request.user)  # type: ignore[arg-type]
    default_expiry = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    return {
        "signal": signal,
        "reports": reports,
        "hidden": hidden,
        "errors": errors,
        "current_status": current,
        "raise_levels": levels_at_or_above(current) if current else [],
        "raise_form": {
            "checked": bool(posted and posted.get("raise_status")),
            "status": (posted.get("status_level") if posted else None) or current,
            "reason": (posted.get("status_reason") if posted else None) or signal.explanation,
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
    signals = Signal.objects.visible_to(request.user).select_related("region")  # type: ignore[arg-type]
    status = request.GET.get("status", "baru")
    if status in SignalStatus.values:
        signals = signals.filter(status=status)
    return render(
        request,
        "detection/list.html",
        {
            "signals": signals[:200],
            "status": status,
            "statuses": SignalStatus.choices,
            "withheld": _withheld_signals(request, status),
            "readiness": readiness(),
        },
    )


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
    rows = Signal.objects.filter(inside)
    if status in SignalStatus.values:
        rows = rows.filter(status=status)
    visible = Signal.objects.visible_to(request.user).values("pk")  # type: ignore[arg-type]
    return rows.exclude(pk__in=visible).count()


@login_required
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(Signal.objects.visible_to(request.user).select_related("region"), pk=pk)  # type: ignore[arg-type]
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
