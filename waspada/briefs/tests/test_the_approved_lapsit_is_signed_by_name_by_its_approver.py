"""An approved Lapsit's signature block names the head of Kesbangpol who approved it; its draft,
marked KONSEP, keeps the dotted line for the name."""

from __future__ import annotations

import pytest
from django.test import Client

from waspada.briefs.actions import approve_lapsit, brief_path, draft_lapsit, edit_lapsit
from waspada.briefs.models import Brief
from waspada.briefs.tests.helpers import last_week, load_boundaries, pdf_text

pytestmark = pytest.mark.django_db

DOTS = "(" + "." * 40 + ")"


def _signature(text: str) -> str:
    """The lines after the signer's title, up to the tembusan."""
    return " ".join(text.split("Tembusan")[0].split("PENUTUP")[-1].split())


def test_the_regents_copy_is_signed_by_the_head_who_approved_it_and_the_konsep_is_not(personas, settings):
    settings.WASPADA_BRIEF_SIGNER_NAME = ""
    settings.WASPADA_BRIEF_SIGNER_ID = ""
    load_boundaries()
    lapsit = draft_lapsit(period=last_week(), by=None)
    edit_lapsit(lapsit=lapsit, by=personas.kesbangpol_analyst, analisa="a", prakiraan="b", saran="c")
    analyst = Client()
    analyst.force_login(personas.kesbangpol_analyst)
    konsep = pdf_text(analyst.get(f"/ringkasan/lapsit/{lapsit.pk}/konsep.pdf").content, layout=False)
    assert DOTS in _signature(konsep) and personas.tkd_head.full_name not in konsep

    lapsit = approve_lapsit(lapsit=lapsit, by=personas.tkd_head)
    copy = Brief.objects.get(lapsit=lapsit, recipient=personas.regent)
    signed = _signature(pdf_text(brief_path(copy).read_bytes(), layout=False))
    assert personas.tkd_head.full_name in signed  # "Yohanes Saragih"
    assert DOTS not in signed
