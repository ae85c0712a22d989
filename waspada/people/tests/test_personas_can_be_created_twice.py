"""The persona definitions are shared with `waspada demo`: creating them twice duplicates nothing."""

import pytest

from waspada.forums.models import Forum, Membership
from waspada.people.models import Person
from waspada.regions.models import Region
from waspada.testing.personas import PERSONA_PASSWORD, PERSONAS, create_demo_personas

pytestmark = pytest.mark.django_db


def test_demo_personas_are_idempotent_and_take_the_given_password(paser: Region) -> None:
    first = create_demo_personas(regency=paser, password="Demo-Sandi-Paser-1")
    counts = (Person.objects.count(), Membership.objects.count(), Forum.objects.count())
    second = create_demo_personas(regency=paser, password="Demo-Sandi-Paser-1")
    assert [p.pk for p, _ in first] == [p.pk for p, _ in second]
    assert (Person.objects.count(), Membership.objects.count(), Forum.objects.count()) == counts
    assert len(first) == len(PERSONAS)
    assert all(description for _, description in first)
    assert all(person.check_password("Demo-Sandi-Paser-1") for person, _ in first)


def test_a_later_run_with_another_password_resets_it(paser: Region) -> None:
    create_demo_personas(regency=paser, password="Demo-Sandi-Paser-1")
    people = create_demo_personas(regency=paser, password=PERSONA_PASSWORD)
    assert all(Person.objects.get(pk=p.pk).check_password(PERSONA_PASSWORD) for p, _ in people)
