"""A forum's chair names the member who carries a disposition; the member is told; nobody else
may assign, and only to a member of that forum."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.forums.actions import add_membership
from waspada.forums.models import Forum, Role
from waspada.notify.events import Kind
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event, Notification
from waspada.people.actions import create_person
from waspada.response import actions
from waspada.response.tests.helpers import verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def fkub_chair(paser: Any) -> Any:
    chair = create_person(username="ketua.fkub", full_name="Haji Abdul Rahman", email="ketua.fkub@example.id")
    add_membership(person=chair, forum=Forum.objects.get(code="FKUB-6401"), role=Role.KETUA, by=None)
    return chair


def test_the_chair_assigns_and_the_member_is_told_with_a_link_she_can_open(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any, fkub_chair: Any
) -> None:
    d = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    d = actions.assign_disposition(disposition=d, member=fkub_officer, by=fkub_chair)
    assert d.assigned_to == fkub_officer and d.assigned_at is not None
    entry = d.timeline.get(kind="ditugaskan")
    assert entry.actor == fkub_chair and entry.text == "Ketut Wirawan"
    audit = AuditEntry.objects.get(action="disposition.assigned", object_id=str(d.pk))
    assert audit.changes == {"assigned_to": [None, fkub_officer.pk]}

    event = Event.objects.get(kind=Kind.DISPOSITION_ASSIGNED, disposition=d)
    fan_out(event.pk)
    told = set(Notification.objects.filter(event=event).values_list("person__username", flat=True))
    assert told == {"anggota.fkub"}
    client = Client()
    client.force_login(fkub_officer)
    assert client.get(event.url).status_code == 200
    inbox = client.get("/tindak-lanjut/").content.decode()
    assert "Ditugaskan kepada Ketut Wirawan" in inbox
    page = client.get(f"/tindak-lanjut/{d.pk}/").content.decode()
    assert "Ditugaskan kepada" in page and 'name="member"' not in page  # a member does not assign


def test_a_member_or_the_tkd_may_not_assign_and_only_members_can_be_assigned(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any, fkub_chair: Any, bnk_officer: Any
) -> None:
    d = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    for not_chair in (fkub_officer, kesbangpol_analyst, bnk_officer):
        with pytest.raises(PermissionError):
            actions.assign_disposition(disposition=d, member=fkub_officer, by=not_chair)
    with pytest.raises(ValidationError) as error:
        actions.assign_disposition(disposition=d, member=bnk_officer, by=fkub_chair)
    assert error.value.message_dict == {"member": ["Pilih anggota forum penerima disposisi ini."]}
    d.refresh_from_db()
    assert d.assigned_to is None
    assert not AuditEntry.objects.filter(action="disposition.assigned").exists()


def test_the_chair_assigns_through_the_api_and_the_page(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any, fkub_chair: Any
) -> None:
    d = verified(desa_reporter, kesbangpol_analyst, isu="agama").dispositions.get(forum__code="FKUB-6401")
    client = Client()
    client.force_login(fkub_chair)
    page = client.get(f"/tindak-lanjut/{d.pk}/").content.decode()
    assert '<option value="anggota.fkub">Ketut Wirawan (Anggota)</option>' in page

    answer = client.post(
        f"/api/v1/dispositions/{d.pk}/tugaskan", {"username": "anggota.bnk"}, content_type="application/json"
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "member"
    answer = client.post(
        f"/api/v1/dispositions/{d.pk}/tugaskan", {"username": "anggota.fkub"}, content_type="application/json"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["assigned_to"] == "anggota.fkub" and body["assigned_to_name"] == "Ketut Wirawan"
    assert "tugaskan" in body["actions"] and "terima" in body["actions"]
    assert body["due_for"] == "terima"

    answer = client.post(f"/tindak-lanjut/{d.pk}/aksi/", {"action": "tugaskan", "member": "ketua.fkub"})
    assert answer.status_code == 302
    d.refresh_from_db()
    assert d.assigned_to == fkub_chair
