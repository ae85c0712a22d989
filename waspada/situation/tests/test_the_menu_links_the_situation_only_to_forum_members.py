"""The menu links the situation picture only for those it opens for: an account with no forum
seat was shown "Situasi" on every page and got a 403 for following it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SITUATION_LINK = 'href="/situasi/"'


def _home_page(person: Any) -> str:
    client = Client()
    client.force_login(person)
    return client.get("/").content.decode()


def test_a_forum_member_is_shown_the_situation_link_and_it_opens(fkub_officer: Any) -> None:
    assert SITUATION_LINK in _home_page(fkub_officer)
    client = Client()
    client.force_login(fkub_officer)
    assert client.get("/situasi/").status_code == 200


def test_an_account_with_no_forum_is_not_shown_the_situation_link(outsider: Any) -> None:
    assert SITUATION_LINK not in _home_page(outsider)
    client = Client()
    client.force_login(outsider)
    assert client.get("/situasi/").status_code == 403


def test_the_incident_list_names_its_status_choices(kesbangpol_analyst: Any) -> None:
    client = Client()
    client.force_login(kesbangpol_analyst)
    page = client.get("/situasi/insiden/").content.decode()
    assert '<option value="digabung"' in page
    assert ">Digabung</option>" in page and ">digabung</option>" not in page
    assert ">Aktif</option>" in page


@pytest.mark.parametrize(
    ("who", "wall", "tokens"),
    [("regent", True, False), ("kesbangpol_admin", True, True), ("fkub_officer", False, False)],
)
def test_the_wall_and_its_tokens_are_linked_for_those_they_open_for(
    who: str, wall: bool, tokens: bool, request: Any
) -> None:
    """The situation menu links the command-room wall for the TKD and Forkopimda (rule 13) and
    the display tokens page for the Kesbangpol admin; every link shown opens."""
    client = Client()
    client.force_login(request.getfixturevalue(who))
    menu = client.get("/situasi/").content.decode()
    assert ('href="/situasi/layar/"' in menu) == wall
    assert ('href="/situasi/layar/token/"' in menu) == tokens
    assert client.get("/situasi/layar/").status_code == (200 if wall else 403)
    assert client.get("/situasi/layar/token/").status_code == (200 if tokens else 403)
