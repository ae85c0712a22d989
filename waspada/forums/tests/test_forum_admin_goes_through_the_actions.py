"""The forum admin: add with level checks, members in an inline, retire instead of delete."""

import pytest
from django.test import Client

from waspada.forums.models import Forum, Membership, Role
from waspada.people.models import Person
from waspada.testing.admin import admin_form_data

pytestmark = pytest.mark.django_db


def test_a_forum_added_in_the_admin_must_match_its_region_level(
    client: Client, kesbangpol_admin: Person
) -> None:
    client.force_login(kesbangpol_admin)
    assert "data-region-picker" in client.get("/admin/forums/forum/add/").content.decode()
    form = {
        "code": "FKDM-6401062006",
        "name": "FKDM Desa Lombok",
        "kind": "FKDM",
        "level": "kecamatan",
        "jurisdiction": "64.01.06.2006",
        "remit": "Pelapor desa.",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "_save": "Simpan",
    }
    refused = client.post("/admin/forums/forum/add/", form)
    assert refused.status_code == 200
    assert "harus berwilayah kerja kecamatan" in refused.content.decode()

    accepted = client.post("/admin/forums/forum/add/", dict(form, level="desa"))
    assert accepted.status_code == 302, accepted.content.decode()
    assert Forum.objects.get(code="FKDM-6401062006").level == "desa"


def test_members_are_added_and_ended_in_the_forum_page(
    client: Client, kesbangpol_admin: Person, outsider: Person, fkub_officer: Person
) -> None:
    client.force_login(kesbangpol_admin)
    fkub = Forum.objects.get(code="FKUB-6401")
    url = f"/admin/forums/forum/{fkub.pk}/change/"
    data = admin_form_data(client.get(url))
    index = int(data["memberships-INITIAL_FORMS"])
    data["memberships-TOTAL_FORMS"] = str(index + 1)
    data[f"memberships-{index}-person"] = str(outsider.pk)
    data[f"memberships-{index}-role"] = Role.ANGGOTA
    data[f"memberships-{index}-forum"] = str(fkub.pk)
    officer_row = next(i for i in range(index) if data[f"memberships-{i}-person"] == str(fkub_officer.pk))
    data[f"memberships-{officer_row}-end"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()

    assert outsider.is_member_of("FKUB")
    assert not fkub_officer.is_member_of("FKUB")
    assert Membership.objects.filter(person=fkub_officer, forum=fkub, ended_at__isnull=False).exists()


def test_the_same_person_added_twice_is_an_error_on_the_page(
    client: Client, kesbangpol_admin: Person, fkub_officer: Person
) -> None:
    client.force_login(kesbangpol_admin)
    fkub = Forum.objects.get(code="FKUB-6401")
    url = f"/admin/forums/forum/{fkub.pk}/change/"
    data = admin_form_data(client.get(url))
    index = int(data["memberships-INITIAL_FORMS"])
    data["memberships-TOTAL_FORMS"] = str(index + 1)
    data[f"memberships-{index}-person"] = str(fkub_officer.pk)
    data[f"memberships-{index}-role"] = Role.KETUA
    data[f"memberships-{index}-forum"] = str(fkub.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "sudah menjadi anggota aktif" in response.content.decode()


def test_forums_are_retired_with_the_admin_action_and_cannot_be_deleted(
    client: Client, kesbangpol_admin: Person
) -> None:
    client.force_login(kesbangpol_admin)
    politik = Forum.objects.get(code="POLITIK-6401")
    response = client.post(
        "/admin/forums/forum/",
        {"action": "retire_selected", "_selected_action": [politik.pk], "index": 0},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 forum dinonaktifkan" in response.content.decode()
    assert not Forum.objects.get(pk=politik.pk).is_active
    assert client.get(f"/admin/forums/forum/{politik.pk}/delete/").status_code == 403
