"""Incidents made the way analysts make them, for the situation tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from waspada.regions.models import Region
from waspada.reports.actions import verify_report
from waspada.reports.models import Incident
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit

LONG_IKIS = "64.01.06"


def incident(reporter: Any, analyst: Any, *, days_ago: float = 1, **overrides: Any) -> Incident:
    """File a report that occurred ``days_ago`` days ago and verify it into a new incident."""
    overrides.setdefault("region_code", LONG_IKIS_VILLAGE)
    report = submit(reporter, occurred_at=timezone.now() - timedelta(days=days_ago), **overrides).report
    return verify_report(report=report, by=analyst)


def villages_of(kecamatan: str, count: int) -> list[str]:
    return list(
        Region.objects.filter(parent_id=kecamatan).order_by("code").values_list("code", flat=True)[:count]
    )
