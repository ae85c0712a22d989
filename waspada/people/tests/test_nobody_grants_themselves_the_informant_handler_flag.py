"""Revealing informants needs the handler flag, and nobody can give it to themselves: a second
administrator grants it; a self-grant is refused in Indonesian and recorded."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.people.actions import create_person, update_person
from waspada.testing.two_factor import enrol_totp

pytestmark = pytest.mark.django_db


def test_an_admin_cannot_make_themselves_an_informant_handler(kesbangpol_admin: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        update_person(person=kesbangpol_admin, by=kesbangpol_admin, is_informant_handler=True)
    assert "diri Anda sendiri pengelola informan" in " ".join(refused.value.messages)
    assert "is_informant_handler" in refused.value.message_dict
    kesbangpol_admin.refresh_from_db()
    assert not kesbangpol_admin.is_informant_handler
    entry = AuditEntry.objects.get(action="person.self_grant_refused")
    assert entry.actor_id == kesbangpol_admin.pk and entry.object_id == str(kesbangpol_admin.pk)


def test_the_admin_form_does_not_offer_the_flag_on_ones_own_account(
    client: Client, kesbangpol_admin: Any, desa_reporter: Any
) -> None:
    enrol_totp(kesbangpol_admin)
    client.force_login(kesbangpol_admin)
    own = client.get(f"/admin/people/person/{kesbangpol_admin.pk}/change/").content.decode()
    other = client.get(f"/admin/people/person/{desa_reporter.pk}/change/").content.decode()
    assert 'name="is_informant_handler"' in other
    assert 'name="is_informant_handler"' not in own

    # Posting the field anyway changes nothing: it is read-only on one's own page.
    page = client.get(f"/admin/people/person/{kesbangpol_admin.pk}/change/")
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and not isinstance(value, list | dict)
    }
    data.update(
        {
            "is_informant_handler": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        }
    )
    saved = client.post(f"/admin/people/person/{kesbangpol_admin.pk}/change/", data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    kesbangpol_admin.refresh_from_db()
    assert not kesbangpol_admin.is_informant_handler


def test_a_second_admin_grants_the_flag_and_it_is_recorded(kesbangpol_admin: Any) -> None:
    second = create_person(
        username="admin.kedua",
        full_name="Admin Kedua",
        email="admin.kedua@waspada.test",
        is_kesbangpol_admin=True,
    )
    granted = update_person(person=kesbangpol_admin, by=second, is_informant_handler=True)
    assert granted.is_informant_handler
    entry = AuditEntry.objects.filter(action="person.changed", object_id=str(kesbangpol_admin.pk)).latest(
        "id"
    )
    assert entry.actor_id == second.pk
    assert entry.changes["is_informant_handler"] == [False, True]
