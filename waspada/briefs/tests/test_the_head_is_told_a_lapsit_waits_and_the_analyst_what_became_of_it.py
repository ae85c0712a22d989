"""The Lapsit's notices, through the notification outbox: the analyst submits a written draft and
those who may approve that regency's Lapsit (the ketua of its deciding TKD, and nobody else) are
told it waits; the head returns it with a note, or approves it, and its analyst is told."""

from __future__ import annotations

import pytest
from django.test import Client

from waspada.audit.models import AuditEntry
from waspada.briefs.actions import LapsitRefused, NotADraft, draft_lapsit, edit_lapsit, submit_lapsit
from waspada.briefs.models import Lapsit, LapsitStatus
from waspada.briefs.tests.helpers import last_week, load_boundaries
from waspada.forums.models import Membership, Role
from waspada.notify.fanout import fan_out
from waspada.notify.models import Delivery, Event, Notification

pytestmark = pytest.mark.django_db


def _client(person):
    client = Client()
    client.force_login(person)
    return client


def _written_draft(personas) -> Lapsit:
    load_boundaries()
    lapsit = draft_lapsit(period=last_week(), by=None)
    return edit_lapsit(
        lapsit=lapsit,
        by=personas.kesbangpol_analyst,
        analisa="Sengketa lahan di Long Ikis meningkat.",
        prakiraan="Aksi warga diperkirakan berlanjut.",
        saran="Mediasi oleh Bupati.",
    )


def _told(kind: str) -> set[str]:
    """Who the worker's fan-out gives the notice to (the notification centre), each also by mail."""
    event = Event.objects.get(kind=kind)
    fan_out(event.pk)
    mailed = set(
        Delivery.objects.filter(event=event, channel="email").values_list("person__username", flat=True)
    )
    told = set(Notification.objects.filter(event=event).values_list("person__username", flat=True))
    assert mailed == told
    return set(Notification.objects.filter(event=event).values_list("person__username", flat=True))


def test_the_ketua_of_that_regency_alone_is_told_a_submitted_draft_waits(
    personas, ppu_analyst, province_analyst
):
    # a ketua of the neighbouring regency's TKD and of the province's TKD: not Paser's approvers
    Membership.objects.filter(person__in=[ppu_analyst, province_analyst]).update(role=Role.KETUA)
    lapsit = _written_draft(personas)
    assert not Event.objects.filter(kind__startswith="lapsit.").exists()

    response = _client(personas.kesbangpol_analyst).post(f"/ringkasan/lapsit/{lapsit.pk}/ajukan/")
    assert response.status_code == 302
    event = Event.objects.get(kind="lapsit.submitted")
    assert set(event.persons.values_list("username", flat=True)) == {personas.tkd_head.username}
    assert event.url == f"/ringkasan/lapsit/{lapsit.pk}/"
    assert "menunggu persetujuan Anda" in event.title
    assert _told("lapsit.submitted") == {personas.tkd_head.username}
    lapsit.refresh_from_db()
    assert lapsit.submitted_by == personas.kesbangpol_analyst and lapsit.is_draft
    assert AuditEntry.objects.filter(action="lapsit.submitted").count() == 1
    page = _client(personas.tkd_head).get(f"/ringkasan/lapsit/{lapsit.pk}/").content.decode()
    assert "menunggu persetujuan Kepala Kesbangpol" in page


def test_a_draft_not_yet_written_or_submitted_by_an_outsider_tells_nobody(personas, ppu_analyst):
    load_boundaries()
    lapsit = draft_lapsit(period=last_week(), by=None)
    response = _client(personas.kesbangpol_analyst).post(f"/ringkasan/lapsit/{lapsit.pk}/ajukan/")
    assert response.status_code == 400
    assert "Belum ditulis: analisa, prakiraan, saran tindak." in response.content.decode()
    # the page drawn at the refused step's address still saves the text on the Lapsit's page
    assert f'action="/ringkasan/lapsit/{lapsit.pk}/" novalidate id="lapsit-form"' in response.content.decode()
    with pytest.raises(LapsitRefused):
        submit_lapsit(lapsit=lapsit, by=ppu_analyst)
    assert _client(personas.regent).post(f"/ringkasan/lapsit/{lapsit.pk}/ajukan/").status_code == 403
    assert not Event.objects.filter(kind__startswith="lapsit.").exists()


def test_the_head_returns_a_draft_with_a_note_and_its_analyst_is_told(personas):
    lapsit = _written_draft(personas)
    analyst, head = personas.kesbangpol_analyst, personas.tkd_head
    _client(analyst).post(f"/ringkasan/lapsit/{lapsit.pk}/ajukan/")

    # without a note, or by the analyst himself: refused, nothing told
    empty = _client(head).post(f"/ringkasan/lapsit/{lapsit.pk}/kembalikan/", {"note": "  "})
    assert empty.status_code == 400
    assert "Tulis apa yang perlu diperbaiki analis." in empty.content.decode()
    assert (
        _client(analyst).post(f"/ringkasan/lapsit/{lapsit.pk}/kembalikan/", {"note": "x"}).status_code == 403
    )
    assert not Event.objects.filter(kind="lapsit.returned").exists()

    note = "Prakiraan perlu menyebut Kuaro."
    assert _client(head).post(f"/ringkasan/lapsit/{lapsit.pk}/kembalikan/", {"note": note}).status_code == 302
    lapsit.refresh_from_db()
    assert lapsit.status == LapsitStatus.KONSEP and lapsit.submitted_at is None and lapsit.return_note == note
    event = Event.objects.get(kind="lapsit.returned")
    assert event.body == note and "dikembalikan" in event.title
    assert _told("lapsit.returned") == {analyst.username}
    page = _client(analyst).get(f"/ringkasan/lapsit/{lapsit.pk}/").content.decode()
    assert note in page


def test_the_analyst_is_told_when_the_head_approves(personas):
    lapsit = _written_draft(personas)
    analyst, head = personas.kesbangpol_analyst, personas.tkd_head
    _client(analyst).post(f"/ringkasan/lapsit/{lapsit.pk}/ajukan/")
    assert _client(head).post(f"/ringkasan/lapsit/{lapsit.pk}/setujui/").status_code == 302
    lapsit.refresh_from_db()
    assert lapsit.status == LapsitStatus.DIRILIS
    event = Event.objects.get(kind="lapsit.approved")
    assert _told("lapsit.approved") == {analyst.username}
    assert lapsit.nomor in event.title
    # once approved it can be neither submitted nor returned
    with pytest.raises(NotADraft):
        submit_lapsit(lapsit=lapsit, by=analyst)
    assert _client(head).post(f"/ringkasan/lapsit/{lapsit.pk}/kembalikan/", {"note": "x"}).status_code == 409
