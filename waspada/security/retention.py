"""Retention: informants' identities are purged a set time after their report.

``WASPADA_INFORMANT_RETENTION_DAYS`` (default 365) after the server received a report, its
informant's encrypted name and contact are emptied and ``purged_at`` is set; the report and the
fact that it had an informant stay. Each run that purges anything records one audit entry with
the count and the cut-off (never an identity). The ``security.purge_informants`` periodic job
runs it every hour; batches keep each transaction short.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from waspada.audit.actions import record
from waspada.audit.models import Channel
from waspada.reports.models import Informant

BATCH = 500


def purge_informants(*, now: datetime | None = None, days: int | None = None) -> int:
    """Purge every informant whose report was received more than ``days`` days before ``now``;
    returns how many were purged."""
    now = now or timezone.now()
    days = settings.WASPADA_INFORMANT_RETENTION_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    due = Informant.objects.filter(purged_at__isnull=True, report__received_at__lt=cutoff)
    purged = 0
    while True:
        with transaction.atomic():
            ids = list(
                due.select_for_update(of=("self",)).order_by("pk").values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                break
            count = Informant.objects.filter(pk__in=ids, purged_at__isnull=True).update(
                name_encrypted="", contact_encrypted="", purged_at=now
            )
            purged += count
            record(
                action="informant.purged",
                actor=None,
                changes={"count": count, "retention_days": days, "received_before": cutoff},
                channel=Channel.SYSTEM,
                object_type="reports.informant",
            )
    return purged
