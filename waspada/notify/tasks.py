"""The notify app's background work.

``process_event`` is queued on commit of the action that emitted an event: it fans the event out
and sends its deliveries at once (seconds matter for an ``awas`` report). The periodic sweep picks
up whatever that missed (a worker that died, retries whose backoff is over, quiet hours that
ended). The deadline check ("batas waktu dekat") is the response app's (``response/tasks.py``).
"""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from waspada.core.periodic import periodic
from waspada.notify import outbox
from waspada.notify.fanout import fan_out


@task()
def process_event(event_id: int) -> int:
    fan_out(event_id)
    return outbox.deliver_due(event_id=event_id)


@periodic("notify.sweep", every=timedelta(seconds=5))
def sweep() -> int:
    """Fan out missed events and send every due delivery."""
    return outbox.process_pending()
