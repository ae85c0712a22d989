"""Two workers sweeping the same late reports at once on PostgreSQL tell each one exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.notify.events import Kind
from waspada.notify.models import Event
from waspada.reports.models import Report
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db(transaction=True)

SWEEP = (
    "import django; django.setup(); "
    "from waspada.reports.verification import escalate_late_verifications; "
    "print(escalate_late_verifications())"
)


def _env() -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "waspada.settings",
    }


def test_two_sweeping_workers_split_the_late_reports_and_double_none(desa_reporter, tkd_head) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("several worker processes on one database need PostgreSQL")
    reports = [submit(desa_reporter, alert_level="siaga", title=f"Laporan {n}").report for n in range(40)]
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        verify_due_at=timezone.now() - timedelta(hours=1)
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", SWEEP], env=_env(), stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert all(worker.returncode == 0 for worker in workers)
    assert sum(int(out.strip().splitlines()[-1]) for out in outputs) == len(reports)
    assert Event.objects.filter(kind=Kind.VERIFICATION_LATE).count() == len(reports)
    assert AuditEntry.objects.filter(action="report.verification_late").count() == len(reports)
    assert not Report.objects.filter(verify_escalated_at__isnull=True).exists()
