"""create_person and set_kesbangpol_admin: password rules, unique addresses, the admin flag."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from waspada.people.actions import (
    create_person,
    set_kesbangpol_admin,
    set_person_password,
    update_person,
)
from waspada.people.models import KESBANGPOL_ADMIN_GROUP, Person
from waspada.regions.models import Region

pytestmark = pytest.mark.django_db


def _new(**overrides: object) -> Person:
    values: dict[str, object] = {
        "username": "camat.longikis",
        "full_name": "Abdul Karim",
        "email": "camat.longikis@waspada.test",
        "password": "Jalan-Hauling-Rusak-42",
    }
    values.update(overrides)
    return create_person(**values)  # type: ignore[arg-type]


def test_a_person_is_created_with_their_details(paser: Region) -> None:
    long_ikis = Region.objects.get(code="64.01.06")
    person = _new(phone="0812 5555 0101", position="Camat Long Ikis", home_region=long_ikis)
    stored = Person.objects.get(pk=person.pk)
    assert stored.display_name == "Abdul Karim"
    assert stored.home_region == long_ikis
    assert stored.check_password("Jalan-Hauling-Rusak-42")
    assert not stored.is_staff and not stored.is_kesbangpol_admin


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("pendek", "terlalu pendek"),
        ("1234567890123", "seluruhnya terdiri dari angka"),
        ("password123", "terlalu umum"),
    ],
)
def test_a_weak_password_is_refused_in_indonesian(db: None, password: str, message: str) -> None:
    with pytest.raises(ValidationError) as raised:
        _new(password=password)
    assert any(message in text for text in raised.value.messages), raised.value.messages
    assert not Person.objects.filter(username="camat.longikis").exists()


def test_a_password_like_the_name_is_refused(db: None) -> None:
    with pytest.raises(ValidationError, match="terlalu mirip"):
        _new(password="camat.longikis")


def test_without_a_password_the_account_cannot_log_in_yet(db: None) -> None:
    person = _new(password=None)
    assert not person.has_usable_password()


def test_a_username_or_an_email_address_is_used_once(db: None) -> None:
    _new()
    with pytest.raises(ValidationError) as raised:
        _new(email="lain@waspada.test")
    assert "username" in raised.value.message_dict
    with pytest.raises(ValidationError, match="sudah dipakai"):
        _new(username="camat.lain", email="CAMAT.LONGIKIS@waspada.test")


def test_a_kesbangpol_admin_is_staff_and_in_the_admin_group(db: None) -> None:
    person = _new(is_kesbangpol_admin=True)
    assert person.is_staff and person.is_kesbangpol_admin
    group = Group.objects.get(name=KESBANGPOL_ADMIN_GROUP)
    assert person.groups.filter(pk=group.pk).exists()
    person = Person.objects.get(pk=person.pk)  # a fresh instance: no permission cache
    assert person.has_perm("forums.add_membership")
    assert person.has_perm("forums.change_forum")
    assert person.has_perm("people.change_person")
    assert person.has_perm("regions.view_region")
    assert not person.has_perm("regions.change_region")
    assert not person.has_perm("forums.delete_forum")


def test_revoking_the_admin_flag_removes_staff_and_group(kesbangpol_admin: Person) -> None:
    set_kesbangpol_admin(person=kesbangpol_admin, value=False, by=None)
    person = Person.objects.get(pk=kesbangpol_admin.pk)
    assert not person.is_staff and not person.is_kesbangpol_admin
    assert not person.groups.exists()
    assert not person.has_perm("forums.add_membership")


def test_an_admin_cannot_revoke_their_own_flag(kesbangpol_admin: Person) -> None:
    with pytest.raises(ValidationError, match="sendiri"):
        set_kesbangpol_admin(person=kesbangpol_admin, value=False, by=kesbangpol_admin)


def test_the_admin_group_exists_after_migrating(db: None) -> None:
    group = Group.objects.get(name=KESBANGPOL_ADMIN_GROUP)
    assert set(group.permissions.values_list("codename", flat=True)) >= {
        "add_forum",
        "change_forum",
        "view_forum",
        "add_membership",
        "change_membership",
        "view_membership",
        "add_person",
        "change_person",
        "view_person",
        "view_region",
    }


def test_details_are_updated_and_an_account_is_deactivated(outsider: Person) -> None:
    update_person(person=outsider, full_name="Bambang S.", phone="0813", is_active=False, by=None)
    person = Person.objects.get(pk=outsider.pk)
    assert (person.full_name, person.phone, person.is_active) == ("Bambang S.", "0813", False)
    assert person.email == outsider.email  # untouched


def test_a_new_password_obeys_the_rules(outsider: Person) -> None:
    with pytest.raises(ValidationError):
        set_person_password(person=outsider, password="qwerty", by=None)
    set_person_password(person=outsider, password="Pantai-Pasir-Mayang-5", by=None)
    assert Person.objects.get(pk=outsider.pk).check_password("Pantai-Pasir-Mayang-5")


@pytest.mark.django_db(transaction=True)
def test_the_admin_group_is_recreated_after_a_flush() -> None:
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)  # as every transactional test ends
    group = Group.objects.get(name=KESBANGPOL_ADMIN_GROUP)
    assert group.permissions.filter(codename="add_membership", content_type__app_label="forums").exists()
