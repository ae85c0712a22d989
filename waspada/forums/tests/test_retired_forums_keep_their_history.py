"""Retiring a forum hides it from current work but deletes nothing."""

import pytest

from waspada.forums.actions import retire_forum
from waspada.forums.models import Forum, Membership
from waspada.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_retired_forum_keeps_its_seats_but_they_no_longer_count(bnk_officer: Person) -> None:
    bnk = Forum.objects.get(code="BNK-6401")
    retire_forum(forum=bnk, by=None)

    assert not Forum.objects.get(pk=bnk.pk).is_active
    assert not Forum.objects.active().filter(pk=bnk.pk).exists()
    assert Membership.objects.filter(forum=bnk, person=bnk_officer, ended_at__isnull=True).exists()
    assert not Membership.objects.current().filter(forum=bnk).exists()
    assert not bnk_officer.is_member_of("BNK")
    assert list(bnk_officer.current_forums()) == []


def test_retiring_twice_changes_nothing(paser: object) -> None:
    forum = retire_forum(forum=Forum.objects.get(code="VERPARPOL-6401"), by=None)
    assert retire_forum(forum=forum, by=None).is_active is False
