"""The deadline check tells the forum and the TKD once per disposition and deadline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from waspada.notify.events import Kind
from waspada.notify.models import Event
from waspada.reports.tests.factories import submit
from waspada.response.models import Disposition
from waspada.response.tasks import deadline_near

pytestmark = pytest.mark.django_db


def test_an_awas_disposition_fifteen_minutes_from_its_deadline_is_told_once(personas) -> None:
    report = submit(personas.desa_reporter, alert_level="awas", isu="agama").report
    fkub = Disposition.objects.get(report=report, forum__code="FKUB-6401")
    Disposition.objects.filter(pk=fkub.pk).update(due_at=timezone.now() + timedelta(minutes=10))
    Disposition.objects.exclude(pk=fkub.pk).update(due_at=timezone.now() + timedelta(hours=5))
    assert deadline_near() == 1
    assert deadline_near() == 0  # the same deadline is not told twice
    event = Event.objects.get(kind=Kind.DEADLINE_NEAR)
    assert event.disposition_id == fkub.pk
    assert set(event.forums.values_list("code", flat=True)) == {"FKUB-6401", "TKD-6401"}
    # A new deadline (after a pause, say) is told again.
    Disposition.objects.filter(pk=fkub.pk).update(due_at=timezone.now() + timedelta(minutes=12))
    assert deadline_near() == 1
