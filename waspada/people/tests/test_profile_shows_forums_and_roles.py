"""The profile page: who I am, which forums I sit in with which role, and where to change my password."""

import re

import pytest
from django.test import Client

from waspada.forums.actions import add_membership, end_membership
from waspada.forums.models import Forum, Role
from waspada.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_profile_lists_current_forums_with_roles(client: Client, kesbangpol_analyst: Person) -> None:
    add_membership(
        person=kesbangpol_analyst, forum=Forum.objects.get(code="FPK-6401"), role=Role.SEKRETARIS, by=None
    )
    ended = add_membership(
        person=kesbangpol_analyst, forum=Forum.objects.get(code="BNK-6401"), role=Role.ANGGOTA, by=None
    )
    end_membership(membership=ended, by=None)

    client.force_login(kesbangpol_analyst)
    page = client.get("/akun/profil/").content.decode()
    assert "Rina Marlina" in page
    assert "Tim Kewaspadaan Dini Kabupaten Paser" in page and "Analis" in page
    assert "Forum Pembauran Kebangsaan Kabupaten Paser" in page and "Sekretaris" in page
    assert "Badan Narkotika" not in page  # an ended seat is not a current forum
    assert 'href="/akun/sandi/ubah/"' in page


def test_someone_without_a_forum_is_told_whom_to_ask(client: Client, outsider: Person) -> None:
    client.force_login(outsider)
    assert "Hubungi admin Kesbangpol" in client.get("/akun/profil/").content.decode()


def test_account_pages_have_no_inline_scripts_or_styles(client: Client, desa_reporter: Person) -> None:
    pages = ["/akun/masuk/", "/akun/sandi/lupa/", "/akun/sandi/lupa/terkirim/", "/akun/sandi/atur/selesai/"]
    client.force_login(desa_reporter)
    pages += ["/akun/profil/", "/akun/sandi/ubah/", "/akun/sandi/ubah/selesai/"]
    for url in pages:
        html = client.get(url).content.decode()
        # Scripts only from files (the app shell's, with src=): none written into the page.
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert "style=" not in html and "<style" not in html, url
