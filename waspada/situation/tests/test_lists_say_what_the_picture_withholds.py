"""Rule 13 on the report list and the map: the Bupati follows a count of the dashboard to the list
of reports; when the picture holds reports under the same filters that he may not open, the list
(and the map's "0 laporan di peta") says how many and of which classification, as the dashboard
does, instead of an unexplained "0 hasil"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from waspada.regions.importers import load_paser_boundaries
from waspada.reports.tests.factories import submit
from waspada.situation.tests.helpers import incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(personas: Any) -> None:
    reporter, analyst = personas.desa_reporter, personas.kesbangpol_analyst
    incident(reporter, analyst, isu="agama", alert_level="siaga", title="Penolakan rumah ibadah")
    submit(reporter, isu="narkoba", alert_level="waspada", title="Dugaan sabu")
    incident(
        reporter, analyst, isu="radikalisme", alert_level="awas", classification="rahasia", title="Rahasia"
    )


def _page(person: Any, path: str) -> str:
    client = Client()
    client.force_login(person)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _note(html: str) -> str:
    found = re.search(r'<p class="picture-note" data-withheld.*?</p>', html, re.S)
    return found.group(0) if found else ""


def _withheld(html: str) -> int:
    found = re.search(r'data-withheld="(\d+)"', html)
    return int(found.group(1)) if found else 0


def test_the_regent_following_the_dashboards_count_is_told_the_reports_are_withheld(
    personas: Any, story: None
) -> None:
    regent = personas.regent
    dashboard = _page(regent, "/situasi/")
    total = int(re.search(r'<strong data-count="total">(\d+)</strong>', dashboard).group(1))  # type: ignore[union-attr]
    link = re.search(r'<p class="lead"><a href="([^"]+)"', dashboard).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    listing = _page(regent, link)
    opened = int(re.search(r"(\d+) hasil", listing).group(1))  # type: ignore[union-attr]
    assert total == 3
    assert opened + _withheld(listing) == total
    assert _withheld(listing) > 0
    assert _note(listing) == _note(dashboard)  # the same sentence: how many, by classification
    # the unverified narkoba report is the one he may not open; under another isu, no note
    assert _withheld(_page(regent, link + "&isu=narkoba")) == 1
    assert "(biasa 1)" in _note(_page(regent, link + "&isu=narkoba"))
    assert _withheld(_page(regent, link + "&isu=agama")) == 0


def test_the_analyst_who_opens_everything_gets_no_such_note(personas: Any, story: None) -> None:
    assert _withheld(_page(personas.kesbangpol_analyst, "/situasi/laporan/")) == 0


def test_the_map_says_how_many_reports_of_the_picture_are_not_on_it(personas: Any, story: None) -> None:
    load_paser_boundaries()
    html = _page(personas.regent, "/situasi/peta/")
    assert _withheld(html) > 0
    assert _note(html) == _note(_page(personas.regent, "/situasi/"))
