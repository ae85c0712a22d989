"""Rule 13: every member of Paser's TKD and Forkopimda, of any role, sees the same assessed picture
as the analyst (counts, region statuses, notable incidents), whatever the classification of the
reports behind it; what they may not open is counted and said, and a closed incident is named by
its isu and place, never its title. Others see a picture of what they may open, and are told so."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from waspada.forums.actions import add_membership
from waspada.forums.models import Forum, ForumKind, Role
from waspada.people.models import Person
from waspada.reports.models import Report
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit
from waspada.situation.tests.helpers import incident

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Informasi rahasia kelompok bersenjata"


def _client(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def story(personas: Any) -> dict[str, Any]:
    """A siaga agama incident, a waspada narkoba report not yet verified, an awas secret incident,
    all in Desa Lombok (Long Ikis)."""
    reporter, analyst = personas.desa_reporter, personas.kesbangpol_analyst
    return {
        "agama": incident(
            reporter, analyst, isu="agama", alert_level="siaga", title="Penolakan rumah ibadah"
        ),
        "narkoba": submit(reporter, isu="narkoba", alert_level="waspada", title="Dugaan sabu").report,
        "secret": incident(
            reporter,
            analyst,
            isu="radikalisme",
            alert_level="awas",
            classification="rahasia",
            title=SECRET_TITLE,
        ),
    }


def _member(username: str, kind: str, role: str, admin: Person) -> Person:
    """A seat in Paser's forum of ``kind`` (the Kapolres in the Forkopimda, a TKD staff member)."""
    person = Person.objects.create_user(username=username, password=None)
    forum = Forum.objects.get(kind=kind, jurisdiction_id="64.01")
    add_membership(person=person, forum=forum, role=role, by=admin)
    return person


def _picture(person: Any) -> dict[str, Any]:
    client = _client(person)
    dashboard = client.get("/situasi/").content.decode()
    map_page = client.get("/situasi/peta/?region=64.01.06").content.decode()
    total = re.search(r'<strong data-count="total">(\d+)</strong>', dashboard)
    status = re.search(rf'data-status="{re.escape(LONG_IKIS_VILLAGE)}">(\w+)', map_page)
    withheld = re.search(r'data-withheld="(\d+)"', dashboard)
    assert total and status, person.username
    return {
        "total": int(total.group(1)),
        "village": status.group(1),
        "withheld": int(withheld.group(1)) if withheld else 0,
        "own_only": 'data-picture="own"' in dashboard,
        "secret_title": SECRET_TITLE in dashboard,
        "closed_incident": "data-closed-incident" in dashboard,
        "html": dashboard,
    }


def test_every_tkd_and_forkopimda_member_sees_the_analysts_picture(
    personas: Any, story: Any, governor: Any
) -> None:
    admin = personas.kesbangpol_admin
    kapolres = _member("kapolres.paser", ForumKind.FKPD, Role.ANGGOTA, admin)
    tkd_staff = _member("staf.tkd", ForumKind.TKD, Role.ANGGOTA, admin)
    analyst = _picture(personas.kesbangpol_analyst)
    assert analyst == {**analyst, "total": 3, "village": "Awas", "withheld": 0, "own_only": False}
    assert analyst["secret_title"]
    leaders = {
        "regent": personas.regent,
        "tkd_head": personas.tkd_head,
        "kapolres": kapolres,
        "tkd_staff": tkd_staff,
        "governor": governor,
    }
    for name, person in leaders.items():
        seen = _picture(person)
        assert (seen["total"], seen["village"], seen["own_only"]) == (3, "Awas", False), name
        opens = Report.objects.visible_to(person).count()
        assert seen["withheld"] == 3 - opens, name
        if opens < 3:
            assert f"{3 - opens} laporan dalam gambaran ini tidak dapat Anda buka" in seen["html"], name
    # The Kapolres opens only the siaga agama report routed to the Forkopimda: the secret
    # incident is named by its isu and place only.
    kapolres_view = _picture(kapolres)
    assert kapolres_view["withheld"] == 2 and kapolres_view["closed_incident"]
    assert not kapolres_view["secret_title"]
    secret = story["secret"]
    assert f"Insiden {secret.get_isu_display()} (tidak dapat Anda buka)" in kapolres_view["html"]
    assert secret.reference not in kapolres_view["html"]


def test_other_forums_see_what_they_may_open_and_are_told_so(personas: Any, story: Any) -> None:
    fkub = _picture(personas.fkub_officer)
    assert (fkub["total"], fkub["village"], fkub["own_only"], fkub["withheld"]) == (1, "Siaga", True, 0)
    assert not fkub["secret_title"] and not fkub["closed_incident"]


def test_another_regencys_leaders_do_not_get_paser_s_picture(
    personas: Any, story: Any, ppu_regent: Any
) -> None:
    ppu = _picture(ppu_regent)
    assert (ppu["total"], ppu["village"], ppu["withheld"]) == (0, "Normal", 0)
    assert not ppu["secret_title"] and not ppu["closed_incident"]


def _open_cells(html: str) -> list[str]:
    """The "Terbuka" cells of the dashboard's table of open dispositions per forum."""
    table = html.split("Disposisi terbuka per forum", 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr><td>[^<]*</td><td>(.*?)</td>", table)


def test_a_leader_is_told_how_many_open_dispositions_they_may_open(personas: Any, story: Any) -> None:
    """The picture counts every open disposition; the inbox its number links to lists those the
    person may see. A walk found the Bupati clicking "8" to read "Tidak ada disposisi"."""
    analyst_cells = _open_cells(_client(personas.kesbangpol_analyst).get("/situasi/").content.decode())
    assert analyst_cells and all(cell.startswith('<a href="/tindak-lanjut/?forum=') for cell in analyst_cells)
    assert not any("data-opens" in cell for cell in analyst_cells)

    leader_cells = _open_cells(_client(personas.regent).get("/situasi/").content.decode())
    assert len(leader_cells) == len(analyst_cells)  # the same picture
    closed = [cell for cell in leader_cells if "(0 dapat Anda buka)" in cell]
    assert closed, leader_cells
    for cell in closed:
        assert "<a " not in cell  # no link to an inbox that would say there is none
