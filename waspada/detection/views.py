from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from waspada.detection.actions import review_signal
from waspada.detection.models import Signal, SignalStatus
from waspada.reports.models import Report


@login_required
def signal_list(request: HttpRequest) -> HttpResponse:
    signals = Signal.objects.visible_to(request.user).select_related("region")  # type: ignore[arg-type]
    status = request.GET.get("status", "baru")
    if status in SignalStatus.values:
        signals = signals.filter(status=status)
    return render(
        request,
        "detection/list.html",
        {"signals": signals[:200], "status": status, "statuses": SignalStatus.choices},
    )


@login_required
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(Signal.objects.visible_to(request.user).select_related("region"), pk=pk)  # type: ignore[arg-type]
    reports = Report.objects.visible_to(request.user).filter(signals=signal).select_related("region")  # type: ignore[arg-type]
    hidden = signal.reports.count() - reports.count()
    return render(
        request,
        "detection/detail.html",
        {"signal": signal, "reports": reports, "hidden": hidden, "errors": {}},
    )


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    signal = get_object_or_404(Signal.objects.visible_to(request.user), pk=pk)  # type: ignore[arg-type]
    try:
        review_signal(
            signal=signal,
            by=request.user,  # type: ignore[arg-type]
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except ValidationError as exc:
        reports = Report.objects.visible_to(request.user).filter(signals=signal)  # type: ignore[arg-type]
        return render(
            request,
            "detection/detail.html",
            {"signal": signal, "reports": reports, "hidden": 0, "errors": exc.message_dict},
            status=400,
        )
    except PermissionError as exc:
        return HttpResponse(str(exc), status=403)
    messages.success(request, _("Tinjauan sinyal disimpan."))
    return redirect("detection:detail", pk=signal.pk)
