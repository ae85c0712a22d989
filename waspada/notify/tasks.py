"""The notify app's background work.

``process_event`` is queued on commit of the action that emitted an event: it fans the event out
and sends its deliveries at once (seconds matter for an ``awas`` report). The periodic sweep picks
up whatever that missed (a worker that died, retries whose backoff is over, quiet hours that
ended), and the deadline check emits "batas waktu dekat" once per disposition and deadline.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from waspada.core.periodic import periodic
from waspada.notify import outbox
from waspada.notify.events import Kind, disposition_event
from waspada.notify.fanout import fan_out
from waspada.reports.taxonomy import AlertLevel

# How long before its deadline a disposition is "nearly due", by alert level.
DEADLINE_NEAR: dict[str, timedelta] = {
    AlertLevel.AWAS: timedelta(minutes=15),
    AlertLevel.SIAGA: timedelta(hours=3),
    AlertLevel.WASPADA: timedelta(days=1),
    AlertLevel.NORMAL: timedelta(days=1),
}


@task()
def process_event(event_id: int) -> int:
    fan_out(event_id)
    return outbox.deliver_due(event_id=event_id)


@periodic("notify.sweep", every=timedelta(seconds=5))
def sweep() -> int:
    """Fan out missed events and send every due delivery."""
    return outbox.process_pending()


@periodic("notify.deadline_near", every=timedelta(minutes=1))
def deadline_near() -> int:
    from waspada.response.models import Disposition, DispositionKind

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
