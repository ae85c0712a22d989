"""The hook other apps use to hear about new signals (the notifications app delivers them).

``signal_created`` is a Django signal sent **after the creating transaction commits**, once per
new ``Signal`` (never for an update of an existing one, never for a rolled-back run)::

    from django.dispatch import receiver
    from waspada.detection.hooks import signal_created

    @receiver(signal_created)
    def tell_tkd(sender, instance, **kwargs):
        ...  # e.g. queue a notification to the TKD of instance.region's kabupaten

``sender`` is the ``Signal`` class; ``instance`` the new row (``instance.explanation`` is the
sentence to send, ``instance.region`` the region, ``Signal.objects.visible_to(person)`` who may see
it). A receiver that raises is logged and does not stop the others (``send_robust``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import django.dispatch
from django.db import transaction

if TYPE_CHECKING:
    from waspada.detection.models import Signal

logger = logging.getLogger(__name__)

signal_created = django.dispatch.Signal()


def announce_on_commit(signal: Signal) -> None:
    """Queue ``signal_created`` for when the current transaction commits."""

    def send() -> None:
        from waspada.detection.models import Signal as SignalModel

        for receiver, result in signal_created.send_robust(sender=SignalModel, instance=signal):
            if isinstance(result, Exception):
                logger.error("signal_created receiver %r failed: %s", receiver, result)

    transaction.on_commit(send)
