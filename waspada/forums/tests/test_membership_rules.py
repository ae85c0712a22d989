"""Who may sit where: several forums per person, one current seat per forum, seats end cleanly."""

import pytest
from django.core.exceptions import ValidationError

from waspada.forums.actions import add_membership, change_role, end_membership
from waspada.forums.models import Forum, Membership, Role
from waspada.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_person_can_sit_in_several_forums(kesbangpol_analyst: Person) -> None:
    add_membership(
        person=kesbangpol_analyst, forum=Forum.objects.get(code="FKUB-6401"), role=Role.ANGGOTA, by=None
    )
    add_membership(
        person=kesbangpol_analyst, forum=Forum.objects.get(code="FPK-6401"), role=Role.SEKRETARIS, by=None
    )
    assert set(kesbangpol_analyst.current_forums().values_list("code", flat=True)) == {
        "TKD-6401",
        "FKUB-6401",
        "FPK-6401",
    }


def test_a_person_cannot_hold_two_current_seats_in_the_same_forum(fkub_officer: Person) -> None:
    fkub = Forum.objects.get(code="FKUB-6401")
    with pytest.raises(ValidationError) as raised:
        add_membership(person=fkub_officer, forum=fkub, role=Role.KETUA, by=None)
    assert "sudah menjadi anggota aktif" in str(raised.value)
    assert Membership.objects.filter(person=fkub_officer, forum=fkub).count() == 1


def test_the_database_also_refuses_a_second_current_seat(fkub_officer: Person) -> None:
    from django.db import IntegrityError, transaction

    fkub = Forum.objects.get(code="FKUB-6401")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=fkub_officer, forum=fkub, role=Role.ANGGOTA)


def test_ending_a_membership_frees_the_seat(fkub_officer: Person) -> None:
    fkub = Forum.objects.get(code="FKUB-6401")
    seat = Membership.objects.get(person=fkub_officer, forum=fkub)
    end_membership(membership=seat, by=None)
    assert not fkub_officer.is_member_of("FKUB")

    again = add_membership(person=fkub_officer, forum=fkub, role=Role.KETUA, by=None)
    assert again.pk != seat.pk
    assert fkub_officer.memberships.filter(forum=fkub).count() == 2  # the old seat stays as history
    assert fkub_officer.is_member_of("FKUB")


def test_a_seat_cannot_be_ended_twice(fkub_officer: Person) -> None:
    seat = fkub_officer.memberships.get()
    end_membership(membership=seat, by=None)
    with pytest.raises(ValidationError, match="sudah berakhir"):
        end_membership(membership=seat, by=None)


def test_changing_a_role_keeps_the_seat(fkub_officer: Person) -> None:
    seat = fkub_officer.memberships.get()
    changed = change_role(membership=seat, role=Role.KETUA, by=None)
    assert changed.pk == seat.pk
    assert Membership.objects.get(pk=seat.pk).role == Role.KETUA


def test_an_unknown_role_is_refused(outsider: Person) -> None:
    with pytest.raises(ValidationError, match="Peran tidak dikenal"):
        add_membership(person=outsider, forum=Forum.objects.get(code="FKUB-6401"), role="raja", by=None)


def test_a_retired_forum_takes_no_new_members(outsider: Person) -> None:
    from waspada.forums.actions import retire_forum

    forum = retire_forum(forum=Forum.objects.get(code="POLITIK-6401"), by=None)
    with pytest.raises(ValidationError, match="tidak aktif"):
        add_membership(person=outsider, forum=forum, role=Role.ANGGOTA, by=None)


def test_a_forum_whose_level_does_not_match_its_region_takes_no_members(outsider: Person) -> None:
    forum = Forum.objects.get(code="FKDM-640106")
    Forum.objects.filter(pk=forum.pk).update(level="desa")  # as a broken import might leave it
    forum.refresh_from_db()
    with pytest.raises(ValidationError, match="harus berwilayah kerja desa/kelurahan"):
        add_membership(person=outsider, forum=forum, role=Role.ANGGOTA, by=None)
