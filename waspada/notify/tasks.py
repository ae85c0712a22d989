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


@periodic("notify.whatsapp_groups", every=timedelta(minutes=1))
def whatsapp_groups() -> int:
    """Keep each WhatsApp group in step with forum membership (a seat ended: out of the group)."""
    from django.conf import settings

    from waspada.notify.whatsapp_groups import keep_all_in_step, whatsapp_groups

    if not settings.WASPADA_WHATSAPP_PHONE_NUMBER_ID or not whatsapp_groups():
        return 0
    return keep_all_in_step()
