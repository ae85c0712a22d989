"""Only Kesbangpol administrators (and superusers) use the admin; their saves go through the actions."""

import pytest
from django.test import Client

from waspada.forums.models import Forum, Membership, Role
from waspada.people.models import Person
from waspada.testing.admin import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["outsider", "desa_reporter", "kesbangpol_analyst", "regent"])
def test_other_people_are_sent_to_the_login_page(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    person = request.getfixturevalue(persona)
    client.force_login(person)
    for url in ("/admin/", "/admin/forums/forum/", "/admin/people/person/", "/admin/forums/membership/add/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_a_kesbangpol_admin_sees_forums_and_people(client: Client, kesbangpol_admin: Person) -> None:
    client.force_login(kesbangpol_admin)
    forums = client.get("/admin/forums/forum/")
    assert forums.status_code == 200
    assert "Tim Kewaspadaan Dini Kabupaten Paser" in forums.content.decode()
    people = client.get("/admin/people/person/")
    assert people.status_code == 200
    assert kesbangpol_admin.username in people.content.decode()
    assert client.get("/admin/forums/membership/").status_code == 200
    own_page = client.get(f"/admin/people/person/{kesbangpol_admin.pk}/change/")
    assert own_page.status_code == 200
    assert "data-region-picker" in own_page.content.decode()  # home_region uses the region picker


def test_a_kesbangpol_admin_adds_a_membership_through_the_admin_form(
    client: Client, kesbangpol_admin: Person, outsider: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    from waspada.forums import admin as forums_admin

    calls: list[dict[str, object]] = []
    action = forums_admin.add_membership

    def spy(**kwargs: object) -> Membership:
        calls.append(kwargs)
        return action(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(forums_admin, "add_membership", spy)
    client.force_login(kesbangpol_admin)
    fkub = Forum.objects.get(code="FKUB-6401")
    response = client.post(
        "/admin/forums/membership/add/",
        {"person": outsider.pk, "forum": fkub.pk, "role": Role.SEKRETARIS, "_save": "Simpan"},
    )
    assert response.status_code == 302, response.content.decode()
    seat = Membership.objects.get(person=outsider, forum=fkub)
    assert seat.role == Role.SEKRETARIS and seat.ended_at is None
    assert calls == [{"person": outsider, "forum": fkub, "role": Role.SEKRETARIS, "by": kesbangpol_admin}]


def test_a_second_seat_in_the_same_forum_is_refused_on_the_form(
    client: Client, kesbangpol_admin: Person, fkub_officer: Person
) -> None:
    client.force_login(kesbangpol_admin)
    fkub = Forum.objects.get(code="FKUB-6401")
    response = client.post(
        "/admin/forums/membership/add/",
        {"person": fkub_officer.pk, "forum": fkub.pk, "role": Role.KETUA, "_save": "Simpan"},
    )
    assert response.status_code == 200
    assert "sudah menjadi anggota aktif" in response.content.decode()
    assert Membership.objects.filter(person=fkub_officer, forum=fkub).count() == 1


def test_ending_a_membership_in_the_admin_keeps_it_as_history(
    client: Client, kesbangpol_admin: Person, bnk_officer: Person
) -> None:
    client.force_login(kesbangpol_admin)
    seat = bnk_officer.memberships.get()
    url = f"/admin/forums/membership/{seat.pk}/change/"
    data = admin_form_data(client.get(url))
    data["end"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    seat.refresh_from_db()
    assert seat.ended_at is not None
    assert not bnk_officer.is_member_of("BNK")


def test_making_someone_an_admin_in_the_admin_goes_through_the_action(
    client: Client, kesbangpol_admin: Person, kesbangpol_analyst: Person
) -> None:
    client.force_login(kesbangpol_admin)
    url = f"/admin/people/person/{kesbangpol_analyst.pk}/change/"
    data = admin_form_data(client.get(url))
    data["is_kesbangpol_admin"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    analyst = Person.objects.get(pk=kesbangpol_analyst.pk)
    assert analyst.is_kesbangpol_admin and analyst.is_staff
    assert analyst.groups.filter(name="Admin Kesbangpol").exists()
    assert Client().login(username=analyst.username, password="Waspada-Uji-2026!")


def test_adding_a_person_in_the_admin_validates_and_hashes_the_password(
    client: Client, kesbangpol_admin: Person
) -> None:
    client.force_login(kesbangpol_admin)
    form = {
        "username": "lurah.longikis",
        "usable_password": "true",
        "password1": "Ladang-Padi-Gunung-31",
        "password2": "Ladang-Padi-Gunung-31",
        "full_name": "Martinus Dolu",
        "email": "lurah.longikis@waspada.test",
        "phone": "",
        "position": "Lurah Long Ikis",
        "home_region": "64.01.06.1001",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "_save": "Simpan",
    }
    response = client.post("/admin/people/person/add/", form)
    assert response.status_code == 302, response.content.decode()
    person = Person.objects.get(username="lurah.longikis")
    assert person.full_name == "Martinus Dolu" and person.home_region_id == "64.01.06.1001"
    assert person.password.startswith("argon2$")
    assert not person.is_staff

    taken = dict(form, username="lurah.lain")
    response = client.post("/admin/people/person/add/", taken)
    assert response.status_code == 200
    assert "sudah dipakai" in response.content.decode()


def test_a_kesbangpol_admin_cannot_touch_a_superuser(client: Client, kesbangpol_admin: Person) -> None:
    root = Person.objects.create_superuser("root", "root@waspada.test", "Akar-Pohon-Ulin-88")
    client.force_login(kesbangpol_admin)
    assert client.get(f"/admin/people/person/{root.pk}/password/").status_code == 403
    response = client.get(f"/admin/people/person/{root.pk}/change/")
    assert "Akar" not in response.content.decode()
    assert response.status_code == 200  # view permission only: a read-only page
    assert 'name="is_kesbangpol_admin"' not in response.content.decode()


def test_an_admin_cannot_take_away_their_own_admin_flag_in_the_form(
    client: Client, kesbangpol_admin: Person
) -> None:
    client.force_login(kesbangpol_admin)
    page = client.get(f"/admin/people/person/{kesbangpol_admin.pk}/change/").content.decode()
    assert 'name="is_kesbangpol_admin"' not in page
    assert 'name="is_staff"' not in page and 'name="is_superuser"' not in page
