"""The menu leads to the early-detection page for those who review its signals (the TKD's senior
roles), and shows no such link to anyone else."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

LINK = '<a href="/deteksi/">Deteksi</a>'


def _home(person: object) -> str:
    client = Client()
    client.force_login(person)
    return client.get("/").content.decode()


def test_the_tkd_senior_roles_find_detection_in_the_menu(personas) -> None:
    for person in (personas.kesbangpol_analyst, personas.kesbangpol_admin, personas.tkd_head):
        assert LINK in _home(person), person.username


def test_reporters_forum_members_and_leaders_have_no_detection_link(personas) -> None:
    for person in (personas.desa_reporter, personas.fkub_officer, personas.regent, personas.outsider):
        assert "/deteksi/" not in _home(person), person.username
