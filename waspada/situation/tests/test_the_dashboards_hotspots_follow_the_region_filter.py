"""The walk of issue 19: filtered to "Long Ikis · Agraria", the dashboard's counts changed but its
hotspots still listed other kecamatan and its small map coloured them. Region statuses are per
region (the last 14 days), not per isu or period: the hotspots and the small map follow the
filter's region, and the panel says that isu and period do not apply."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from waspada.regions.importers import load_paser_boundaries
from waspada.situation.tests.helpers import LONG_IKIS, incident, villages_of

pytestmark = pytest.mark.django_db

BATU_SOPANG = "64.01.01"


@pytest.fixture
def two_hotspots(paser: Any, desa_reporter: Any, kesbangpol_analyst: Any) -> None:
    load_paser_boundaries()
    incident(desa_reporter, kesbangpol_analyst, isu="agama", alert_level="siaga")  # Long Ikis
    incident(
        desa_reporter,
        kesbangpol_analyst,
        isu="narkoba",
        alert_level="awas",
        region_code=villages_of(BATU_SOPANG, 1)[0],
    )


def _hotspots(html: str) -> str:
    return html.split("Titik rawan</h2>")[1].split("</section>")[0]


def _mapped(html: str) -> set[str]:
    panel = html.split('class="map-panel"')[1].split("</section>")[0]
    return set(re.findall(r'class="area st-\w+" data-code="([\d.]+)"', panel))


def _dashboard(person: Any, query: str = "") -> str:
    client = Client()
    client.force_login(person)
    return client.get("/situasi/" + query).content.decode()


def test_without_a_region_filter_every_hotspot_and_kecamatan_is_shown(
    two_hotspots: None, kesbangpol_analyst: Any
) -> None:
    html = _dashboard(kesbangpol_analyst)
    assert "Long Ikis" in _hotspots(html) and "Batu Sopang" in _hotspots(html)
    assert len(_mapped(html)) == 10


def test_filtered_to_long_ikis_the_hotspots_and_the_map_are_long_ikis_only(
    two_hotspots: None, kesbangpol_analyst: Any
) -> None:
    html = _dashboard(kesbangpol_analyst, f"?region={LONG_IKIS}&isu=agraria")
    hotspots = _hotspots(html)
    assert "Long Ikis" in hotspots
    assert "Batu Sopang" not in hotspots
    assert _mapped(html) == {LONG_IKIS}
    assert "tidak mengikuti saringan isu dan periode" in hotspots
