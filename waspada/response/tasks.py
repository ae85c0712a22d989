"""The response app's periodic work: the deadline sweep and the "deadline near" notice, every minute."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from waspada.core.periodic import periodic
from waspada.notify.events import Kind, disposition_event
from waspada.reports.taxonomy import AlertLevel
from waspada.response.actions import escalate_overdue
from waspada.response.models import Disposition, DispositionKind

# How long before its deadline a disposition is "nearly due", by alert level.
DEADLINE_NEAR: dict[str, timedelta] = {
    AlertLevel.AWAS: timedelta(minutes=15),
    AlertLevel.SIAGA: timedelta(hours=3),
    AlertLevel.WASPADA: timedelta(days=1),
    AlertLevel.NORMAL: timedelta(days=1),
}


@periodic("response.escalate_overdue", every=timedelta(minutes=1))
def sweep_deadlines() -> int:
    """Escalate every overdue disposition one step (each at most once)."""
    return escalate_overdue()


# Until 2026-12 this job was notify's ("notify.deadline_near"); a leftover PeriodicJob row of that
# name is never claimed again (only registered names are), and the event's dedupe key keeps a
# deadline from being told twice across the rename.
@periodic("response.deadline_near", every=timedelta(minutes=1))
def deadline_near() -> int:
    """Emit "batas waktu dekat" once per open disposition and deadline, ahead by its alert level."""
    now = timezone.now()
    emitted = 0
    rows = (
        Disposition.objects.open()
        .filter(kind=DispositionKind.TINDAKAN, paused_at__isnull=True, due_at__gt=now)
        .filter(due_at__lte=now + max(DEADLINE_NEAR.values()))
        .select_related("report", "forum")
    )
    for disposition in rows:
        assert disposition.due_at is not None
        if disposition.due_at - now <= DEADLINE_NEAR[disposition.report.alert_level]:
            emitted += disposition_event(Kind.DEADLINE_NEAR, disposition) is not None
    return emitted
