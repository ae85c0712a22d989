"""The Lapsit in Django admin: Kesbangpol's administrator looks up his regency's Lapsits, their
status, nomor and approval records, and changes nothing there: adding, changing, deleting and
bulk actions are refused, so a draft is approved and a released Lapsit stays as released only
through the flow (briefs.actions)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.briefs.actions import approve_lapsit, draft_lapsit, edit_lapsit
from waspada.briefs.models import Lapsit, LapsitStatus
from waspada.briefs.periods import BriefKind
from waspada.briefs.tests.helpers import last_week, load_boundaries
from waspada.regions.models import Region
from waspada.testing.personas import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db

URL = "/admin/briefs/lapsit/"


def _admin_client(person) -> Client:
    client = Client()
    assert client.login(username=person.username, password=PERSONA_PASSWORD)
    return client


@pytest.fixture
def released(personas) -> Lapsit:
    load_boundaries()
    lapsit = draft_lapsit(period=last_week(), by=None)
    edit_lapsit(lapsit=lapsit, by=personas.kesbangpol_analyst, analisa="A", prakiraan="P", saran="S")
    return approve_lapsit(lapsit=lapsit, by=personas.tkd_head)


def test_the_administrator_lists_his_regencys_lapsits_with_status_and_nomor(
    personas, kesbangpol_admin, kaltim, released
):
    week = last_week()
    Lapsit.objects.create(
        regency=Region.objects.get(code="64.09"),
        kind=BriefKind.MINGGUAN,
        period_start=week.start,
        period_end=week.end,
        nomor="NOMOR-PPU-1",
    )
    page = _admin_client(kesbangpol_admin).get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert released.nomor in text and "Dirilis" in text
    assert "NOMOR-PPU-1" not in text  # another regency's Lapsit is not his
    assert "Penajam Paser Utara" not in text  # not even in the filter
    filtered = _admin_client(kesbangpol_admin).get(URL, {"status__exact": "konsep"}).content.decode()
    assert released.nomor not in filtered


def test_the_change_page_shows_the_approval_records_and_saves_nothing(personas, kesbangpol_admin, released):
    client = _admin_client(kesbangpol_admin)
    page = client.get(f"{URL}{released.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="_save"' not in text
    for action in ("lapsit.drafted", "lapsit.edited", "lapsit.approved", "lapsit.released"):
        assert action in text
    approved = AuditEntry.objects.get(action="lapsit.approved")
    assert f"{timezone.localtime(approved.occurred_at):%Y-%m-%d %H:%M} · lapsit.approved" in text  # WITA
    assert f'href="/ringkasan/lapsit/{released.pk}/"' in text

    posted = client.post(
        f"{URL}{released.pk}/change/", {"status": "konsep", "nomor": "", "analisa": "Diubah"}
    )
    assert posted.status_code == 403
    assert client.get(f"{URL}add/").status_code == 403
    assert client.post(f"{URL}{released.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(URL, {"action": "delete_selected", "_selected_action": [released.pk]})
    released.refresh_from_db()
    assert bulk.status_code in (200, 302)
    assert released.status == LapsitStatus.DIRILIS and released.analisa == "A" and released.nomor


def test_a_superuser_cannot_change_a_lapsit_in_the_admin_either(personas, released, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@waspada.test", PERSONA_PASSWORD)
    client = _admin_client(root)
    assert client.get(URL).status_code == 200
    assert client.post(f"{URL}{released.pk}/change/", {"status": "konsep"}).status_code == 403
    released.refresh_from_db()
    assert released.status == LapsitStatus.DIRILIS
