"""Forum.objects.visible_to: up and down one's own line of command, never the neighbours'."""

import pytest
from django.contrib.auth.models import AnonymousUser

from waspada.forums.models import Forum, Membership
from waspada.people.models import Person

pytestmark = pytest.mark.django_db


def _codes(person: Person) -> set[str]:
    return set(Forum.objects.visible_to(person).values_list("code", flat=True))


def test_the_kecamatan_fkdm_chair_sees_their_district_and_the_regency_but_not_other_districts(
    kecamatan_fkdm_chair: Person, desa_reporter: Person
) -> None:
    seen = _codes(kecamatan_fkdm_chair)
    assert {"FKDM-640106", "FKDM-6401062006", "TKD-6401", "FKDM-6401"} <= seen
    assert "FKDM-640104" not in seen  # Tanah Grogot is another district


def test_a_village_reporter_sees_the_forums_they_report_to(desa_reporter: Person) -> None:
    seen = _codes(desa_reporter)
    assert {"FKDM-6401062006", "FKDM-640106", "TKD-6401"} <= seen
    assert "FKDM-640105" not in seen


def test_a_regency_forum_member_sees_every_forum_of_the_regency(fkub_officer: Person) -> None:
    assert _codes(fkub_officer) == set(Forum.objects.values_list("code", flat=True))


def test_administrators_see_every_forum_and_outsiders_none(
    kesbangpol_admin: Person, outsider: Person
) -> None:
    assert Forum.objects.visible_to(kesbangpol_admin).count() == Forum.objects.count()
    assert _codes(outsider) == set()
    assert not Forum.objects.visible_to(AnonymousUser()).exists()  # type: ignore[arg-type]


def test_a_deactivated_account_sees_nothing(fkub_officer: Person) -> None:
    fkub_officer.is_active = False
    assert _codes(fkub_officer) == set()


def test_a_forum_roster_is_visible_to_its_members_only(
    fkub_officer: Person, bnk_officer: Person, kesbangpol_admin: Person
) -> None:
    fkub_seats = Membership.objects.filter(forum__code="FKUB-6401")
    assert set(Membership.objects.visible_to(fkub_officer)) >= set(fkub_seats)
    assert not Membership.objects.visible_to(bnk_officer).filter(forum__code="FKUB-6401").exists()
    assert Membership.objects.visible_to(kesbangpol_admin).count() == Membership.objects.count()
