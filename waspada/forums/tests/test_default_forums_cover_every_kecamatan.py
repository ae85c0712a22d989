"""Every regency starts with the ten regency-level forums and one FKDM per kecamatan."""

import pytest

from waspada.forums.defaults import ensure_default_forums
from waspada.forums.models import Forum, ForumKind, ForumLevel
from waspada.regions.models import Region

pytestmark = pytest.mark.django_db

REGENCY_KINDS = {
    ForumKind.FKPD,
    ForumKind.TKD,
    ForumKind.FKDM,
    ForumKind.TIMDU_PKS,
    ForumKind.FKUB,
    ForumKind.FPK,
    ForumKind.TIMPORA,
    ForumKind.VERPARPOL,
    ForumKind.POLITIK,
    ForumKind.BNK,
}


def test_paser_gets_the_ten_regency_forums_and_ten_kecamatan_fkdms(paser: Region) -> None:
    regency_forums = Forum.objects.filter(level=ForumLevel.KABUPATEN, jurisdiction=paser)
    assert set(regency_forums.values_list("kind", flat=True)) == REGENCY_KINDS
    assert regency_forums.count() == 10

    kecamatan_fkdms = Forum.objects.filter(level=ForumLevel.KECAMATAN, kind=ForumKind.FKDM)
    assert sorted(kecamatan_fkdms.values_list("jurisdiction_id", flat=True)) == [
        f"64.01.{n:02d}" for n in range(1, 11)
    ]
    assert Forum.objects.count() == 20


def test_default_forums_carry_indonesian_names_codes_and_remits(paser: Region) -> None:
    tkd = Forum.objects.get(code="TKD-6401")
    assert tkd.name == "Tim Kewaspadaan Dini Kabupaten Paser"
    assert tkd.kind == ForumKind.TKD
    assert "laporan" in tkd.remit

    long_ikis = Forum.objects.get(code="FKDM-640106")
    assert long_ikis.name == "FKDM Kecamatan Long Ikis"
    assert long_ikis.jurisdiction_id == "64.01.06"
    assert long_ikis.level == ForumLevel.KECAMATAN
    assert Forum.objects.get(code="TIMDU_PKS-6401").jurisdiction == paser
    assert all(forum.remit for forum in Forum.objects.all())


def test_running_it_twice_creates_nothing_new(paser: Region) -> None:
    before = list(Forum.objects.order_by("pk").values_list("pk", "code"))
    again = ensure_default_forums(regency=paser)
    assert sorted(forum.pk for forum in again) == [pk for pk, _ in before]
    assert list(Forum.objects.order_by("pk").values_list("pk", "code")) == before


def test_a_renamed_default_forum_is_left_as_the_administrator_named_it(paser: Region) -> None:
    Forum.objects.filter(code="BNK-6401").update(name="BNN Kabupaten Paser")
    ensure_default_forums(regency=paser)
    assert Forum.objects.get(code="BNK-6401").name == "BNN Kabupaten Paser"


def test_only_a_regency_can_have_default_forums(paser: Region) -> None:
    with pytest.raises(ValueError, match="kabupaten"):
        ensure_default_forums(regency=Region.objects.get(code="64.01.06"))
