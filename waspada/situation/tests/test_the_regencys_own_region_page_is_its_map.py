"""/situasi/wilayah/64.01/ (the regency itself) answered 404. Statuses are the kecamatan's and the
villages': the regency's page is the map, which lists every kecamatan's status beside it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _client(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_regencys_region_page_leads_a_forum_member_to_the_map(paser: Any, regent: Any) -> None:
    response = _client(regent).get("/situasi/wilayah/64.01/")
    assert response.status_code == 302
    assert response["Location"] == "/situasi/peta/"
    assert _client(regent).get("/situasi/wilayah/64.01/", follow=True).status_code == 200


def test_without_a_forum_seat_the_regencys_page_stays_closed(paser: Any, outsider: Any) -> None:
    assert _client(outsider).get("/situasi/wilayah/64.01/").status_code == 403


def test_a_region_outside_the_installation_is_still_not_found(paser: Any, regent: Any) -> None:
    assert _client(regent).get("/situasi/wilayah/64.09/").status_code == 404
