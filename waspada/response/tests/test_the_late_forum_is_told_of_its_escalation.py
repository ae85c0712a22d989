"""When a disposition is escalated for lateness, the late forum's members and chair hear of it,
with a link to their own disposition; the TKD hears once, through the next forum's event."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waspada.forums.actions import add_membership
from waspada.forums.models import Forum, Role
from waspada.notify.events import Kind
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event, Notification
from waspada.people.actions import create_person
from waspada.response import actions
from waspada.response.models import Disposition, Escalation
from waspada.response.tests.helpers import verified

pytestmark = pytest.mark.django_db


def _told(event: Event) -> set[str]:
    fan_out(event.pk)
    return set(Notification.objects.filter(event=event).values_list("person__username", flat=True))


def test_the_late_forum_and_its_chair_are_told_and_can_open_the_link(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any
) -> None:
    chair = create_person(username="ketua.fkub", full_name="Haji Abdul Rahman", email="ketua.fkub@example.id")
    add_membership(person=chair, forum=Forum.objects.get(code="FKUB-6401"), role=Role.KETUA, by=None)
    fkub = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    Disposition.objects.filter(pk=fkub.pk).update(due_at=timezone.now() - timedelta(minutes=5))

    assert actions.escalate_overdue() == 1
    escalation = Escalation.objects.get(disposition=fkub)
    assert escalation.to_disposition is not None

    to_late_forum = Event.objects.get(kind=Kind.ESCALATED, disposition=fkub)
    told = _told(to_late_forum)
    assert {"anggota.fkub", "ketua.fkub"} <= told
    assert "analis.kesbangpol" not in told  # the TKD hears through the next forum's event
    to_next = Event.objects.get(kind=Kind.ESCALATED, disposition=escalation.to_disposition)
    assert "analis.kesbangpol" in _told(to_next)
    assert "anggota.fkub" not in _told(to_next)

    for person in (fkub_officer, chair):
        client = Client()
        client.force_login(person)
        assert client.get(to_late_forum.url).status_code == 200

    # The sweep run again escalates nothing and tells nobody again.
    assert actions.escalate_overdue() == 0
    assert Event.objects.filter(kind=Kind.ESCALATED).count() == 2
