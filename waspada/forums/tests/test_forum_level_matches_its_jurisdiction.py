"""A forum's level and the level of its jurisdiction agree: kabupaten→2, kecamatan→3, desa→4."""

import pytest
from django.core.exceptions import ValidationError

from waspada.forums.actions import create_forum, update_forum
from waspada.forums.models import Forum, ForumKind, ForumLevel
from waspada.regions.models import Region

pytestmark = pytest.mark.django_db

LOMBOK = "64.01.06.2006"


@pytest.mark.parametrize(
    ("level", "region_code"),
    [
        (ForumLevel.DESA, "64.01.06"),
        (ForumLevel.DESA, "64.01"),
        (ForumLevel.KECAMATAN, LOMBOK),
        (ForumLevel.KECAMATAN, "64.01"),
        (ForumLevel.KABUPATEN, "64.01.06"),
        (ForumLevel.KABUPATEN, "64"),
    ],
)
def test_a_forum_is_refused_when_its_region_is_of_another_level(
    paser: Region, level: str, region_code: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        create_forum(
            name="Forum salah tingkat",
            kind=ForumKind.OTHER,
            level=level,
            jurisdiction=Region.objects.get(code=region_code),
            by=None,
        )
    assert "jurisdiction" in raised.value.message_dict
    assert "harus berwilayah kerja" in raised.value.message_dict["jurisdiction"][0]
    assert not Forum.objects.filter(name="Forum salah tingkat").exists()


def test_a_village_fkdm_is_created_with_the_conventional_code(paser: Region) -> None:
    lombok = Region.objects.get(code=LOMBOK)
    forum = create_forum(
        name="FKDM Desa Lombok", kind=ForumKind.FKDM, level=ForumLevel.DESA, jurisdiction=lombok, by=None
    )
    assert forum.code == "FKDM-6401062006"
    assert forum.is_active


def test_a_forum_code_is_unique(paser: Region) -> None:
    with pytest.raises(ValidationError) as raised:
        create_forum(
            name="TKD kedua", kind=ForumKind.TKD, level=ForumLevel.KABUPATEN, jurisdiction=paser, by=None
        )
    assert "code" in raised.value.message_dict


def test_moving_a_forum_to_a_region_of_another_level_needs_the_level_too(paser: Region) -> None:
    forum = Forum.objects.get(code="FKDM-640106")
    lombok = Region.objects.get(code=LOMBOK)
    with pytest.raises(ValidationError):
        update_forum(forum=forum, jurisdiction=lombok, by=None)
    moved = update_forum(forum=forum, jurisdiction=lombok, level=ForumLevel.DESA, by=None)
    assert moved.jurisdiction == lombok
    assert Forum.objects.get(pk=forum.pk).level == ForumLevel.DESA


def test_a_forum_can_be_renamed(paser: Region) -> None:
    forum = update_forum(forum=Forum.objects.get(code="BNK-6401"), name="  BNN Kabupaten Paser ", by=None)
    assert Forum.objects.get(pk=forum.pk).name == "BNN Kabupaten Paser"
