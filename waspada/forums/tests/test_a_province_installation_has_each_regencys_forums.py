"""Several regencies in one installation: each its own default forums, and the province's own."""

import io

import pytest
from django.core.management import CommandError, call_command

from waspada.forums.models import Forum, ForumKind
from waspada.regions.importers import load_bundled_regions

pytestmark = pytest.mark.django_db


def test_default_forums_creates_both_regencies_forums_and_the_provinces_once() -> None:
    load_bundled_regions("64.01")
    load_bundled_regions("64.09")
    call_command("default_forums", "--regency", "64.01", "--regency", "64.09", stdout=io.StringIO())
    for code in ("6401", "6409"):
        assert {f"TKD-{code}", f"FKPD-{code}", f"FKUB-{code}"} <= set(
            Forum.objects.values_list("code", flat=True)
        )
    assert set(Forum.objects.filter(jurisdiction_id="64").values_list("kind", flat=True)) == {
        ForumKind.TKD,
        ForumKind.FKDM,
        ForumKind.FKPD,
    }
    # one FKDM per kecamatan of each: Paser's ten and PPU's four
    assert Forum.objects.filter(kind=ForumKind.FKDM, level="kecamatan").count() == 14
    count = Forum.objects.count()
    call_command("default_forums", "--regency", "64.09", "--regency", "64.01", stdout=io.StringIO())
    assert Forum.objects.count() == count


def test_default_forums_names_a_regency_not_imported_yet() -> None:
    load_bundled_regions("64.01")
    with pytest.raises(CommandError, match=r"belum diimpor.*64\.09"):
        call_command("default_forums", "--regency", "64.01", "--regency", "64.09", stdout=io.StringIO())
    assert not Forum.objects.exists()  # nothing half-made
