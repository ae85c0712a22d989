"""The Lapsit list (/ringkasan/) says of a draft whether it waits for the head of Kesbangpol's
approval or came back to its analyst, not "Konsep" for both."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from waspada.briefs.actions import draft_lapsit, edit_lapsit, return_lapsit, submit_lapsit
from waspada.briefs.tests.helpers import last_week, load_boundaries

pytestmark = pytest.mark.django_db


def _state(person) -> str:
    client = Client()
    client.force_login(person)
    page = client.get("/ringkasan/").content.decode()
    (state,) = re.findall(r'<td class="lapsit-state">([^<]*)</td>', page)
    return state


def test_the_analyst_and_the_head_see_whether_the_draft_waits_or_was_returned(personas):
    load_boundaries()
    lapsit = draft_lapsit(period=last_week(), by=None)
    analyst, head = personas.kesbangpol_analyst, personas.tkd_head
    assert _state(analyst) == "Konsep"
    edit_lapsit(lapsit=lapsit, by=analyst, analisa="a", prakiraan="b", saran="c")
    submit_lapsit(lapsit=lapsit, by=analyst)
    assert _state(head) == _state(analyst) == "Diajukan — menunggu persetujuan"
    return_lapsit(lapsit=lapsit, by=head, note="Sebutkan Kuaro.")
    assert _state(analyst) == "Dikembalikan"
    submit_lapsit(lapsit=lapsit, by=analyst)
    assert _state(head) == "Diajukan — menunggu persetujuan"
