"""Person helpers: current_forums, is_member_of, regions_of_responsibility."""

import pytest

from waspada.forums.actions import add_membership, end_membership
from waspada.forums.models import Forum, ForumKind, ForumLevel, Role
from waspada.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_kecamatan_chair_is_an_fkdm_member_at_kecamatan_level_only(kecamatan_fkdm_chair: Person) -> None:
    assert kecamatan_fkdm_chair.is_member_of(ForumKind.FKDM)
    assert kecamatan_fkdm_chair.is_member_of(ForumKind.FKDM, level=ForumLevel.KECAMATAN)
    assert not kecamatan_fkdm_chair.is_member_of(ForumKind.FKDM, level=ForumLevel.DESA)
    assert not kecamatan_fkdm_chair.is_member_of(ForumKind.TKD)
    assert [f.code for f in kecamatan_fkdm_chair.current_forums()] == ["FKDM-640106"]


def test_regions_of_responsibility_are_the_jurisdictions_of_current_seats(
    kecamatan_fkdm_chair: Person,
) -> None:
    assert list(kecamatan_fkdm_chair.regions_of_responsibility().values_list("code", flat=True)) == [
        "64.01.06"
    ]
    seat = add_membership(
        person=kecamatan_fkdm_chair, forum=Forum.objects.get(code="FKUB-6401"), role=Role.ANGGOTA, by=None
    )
    assert set(kecamatan_fkdm_chair.regions_of_responsibility().values_list("code", flat=True)) == {
        "64.01.06",
        "64.01",
    }
    end_membership(membership=seat, by=None)
    assert list(kecamatan_fkdm_chair.regions_of_responsibility().values_list("code", flat=True)) == [
        "64.01.06"
    ]


def test_an_outsider_has_no_forums_and_no_regions(outsider: Person) -> None:
    assert not outsider.current_forums().exists()
    assert not outsider.regions_of_responsibility().exists()
    assert not outsider.is_member_of(ForumKind.FKDM)


def test_every_persona_has_the_seat_its_name_promises(personas: object) -> None:
    from waspada.testing.personas import PersonaSet

    assert isinstance(personas, PersonaSet)
    seats = {
        key: [(m.forum.code, m.role) for m in person.current_memberships()]
        for key, person in personas.all().items()
    }
    assert seats == {
        "desa_reporter": [("FKDM-6401062006", Role.ANGGOTA)],
        "kecamatan_fkdm_chair": [("FKDM-640106", Role.KETUA)],
        "kesbangpol_analyst": [("TKD-6401", Role.ANALIS)],
        "kesbangpol_admin": [("TKD-6401", Role.SEKRETARIS)],
        "tkd_head": [("TKD-6401", Role.KETUA)],
        "fkub_officer": [("FKUB-6401", Role.ANGGOTA)],
        "bnk_officer": [("BNK-6401", Role.ANGGOTA)],
        "regent": [("FKPD-6401", Role.PIMPINAN)],
        "outsider": [],
    }
    assert personas.kesbangpol_admin.is_kesbangpol_admin
    assert not personas.kesbangpol_analyst.is_kesbangpol_admin
