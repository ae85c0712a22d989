"""The head of Kesbangpol (the ketua of Paser's TKD) finds on his home page the Lapsit his
analyst submitted, with a link to it; the analyst and the regent do not, and once he has sent it
back it is gone from his page."""

from __future__ import annotations

import pytest
from django.test import Client

from waspada.briefs.actions import draft_lapsit, edit_lapsit, return_lapsit, submit_lapsit
from waspada.briefs.tests.helpers import last_week, load_boundaries

pytestmark = pytest.mark.django_db

HEADING = "Lapsit menunggu persetujuan Anda"


def _home(person) -> str:
    client = Client()
    client.force_login(person)
    return client.get("/").content.decode()


def test_only_the_head_is_shown_the_submitted_lapsit_and_only_while_it_waits(personas):
    load_boundaries()
    lapsit = draft_lapsit(period=last_week(), by=None)
    analyst, head = personas.kesbangpol_analyst, personas.tkd_head
    edit_lapsit(lapsit=lapsit, by=analyst, analisa="a", prakiraan="b", saran="c")
    assert HEADING not in _home(head)  # written, not yet submitted
    submit_lapsit(lapsit=lapsit, by=analyst)
    page = _home(head)
    assert HEADING in page and f'href="/ringkasan/lapsit/{lapsit.pk}/"' in page
    assert HEADING not in _home(analyst) and HEADING not in _home(personas.regent)
    return_lapsit(lapsit=lapsit, by=head, note="Sebutkan Kuaro.")
    assert HEADING not in _home(head)
