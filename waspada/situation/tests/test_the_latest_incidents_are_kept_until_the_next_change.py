"""The dashboard keeps which incidents are the newest a person sees until the next audited change
(``situation/views.py``, ``_latest_incidents``), as it keeps its counts: a kept list must never
outlive a change that adds, hides or shows an incident, nor reach another viewer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from waspada.forums import access as access_module
from waspada.forums.models import Forum
from waspada.people.models import Person
from waspada.regions.models import Region
from waspada.reports.actions import verify_report
from waspada.reports.sharing import revoke_incident_share, share_incident
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db

MUARA_TOYU = "64.01.08.2008"  # Long Kali, on the border with Penajam Paser Utara


def _dashboard(person: Person) -> str:
    client = Client()
    client.force_login(person)
    response = client.get("/situasi/")
    assert response.status_code == 200
    return response.content.decode()


def _as_if_in_another_process(change: Any) -> Any:
    """Put this process's change counter back: only the audit stamp can tell."""
    before = access_module._generation
    result = change()
    access_module._generation = before
    return result


def test_a_new_incident_is_among_the_latest_at_the_next_request(
    desa_reporter: Person, kesbangpol_analyst: Person
) -> None:
    first = submit(desa_reporter, title="Bentrok warga di Long Ikis").report
    older = verify_report(report=first, by=kesbangpol_analyst)
    assert older.reference in _dashboard(kesbangpol_analyst)
    assert older.reference in _dashboard(kesbangpol_analyst)  # kept now
    second = submit(desa_reporter, title="Blokade jalan hauling").report
    newer = _as_if_in_another_process(lambda: verify_report(report=second, by=kesbangpol_analyst))
    assert newer.reference in _dashboard(kesbangpol_analyst)


def test_a_shared_incident_shows_and_hides_for_the_neighbour_and_no_list_is_shared_between_viewers(
    desa_reporter: Person, kesbangpol_analyst: Person, ppu_analyst: Person, kaltim: Region
) -> None:
    report = submit(desa_reporter, region_code=MUARA_TOYU, title="Truk hauling ke Babulu").report
    incident = verify_report(report=report, by=kesbangpol_analyst)
    assert incident.reference in _dashboard(kesbangpol_analyst)
    assert incident.reference not in _dashboard(ppu_analyst)  # Paser's kept list is Paser's own
    ppu_tkd = Forum.objects.get(kind="TKD", jurisdiction_id="64.09")
    _as_if_in_another_process(
        lambda: share_incident(
            incident=incident, forum=ppu_tkd, reason="Warga kedua kabupaten terlibat.", by=kesbangpol_analyst
        )
    )
    assert incident.reference in _dashboard(ppu_analyst)
    _as_if_in_another_process(
        lambda: revoke_incident_share(incident=incident, forum=ppu_tkd, by=kesbangpol_analyst)
    )
    assert incident.reference not in _dashboard(ppu_analyst)
