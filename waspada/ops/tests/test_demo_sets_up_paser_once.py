"""`waspada demo --no-serve` prepares the Paser installation, and a second run changes nothing.

These run without the year of history (``--tanpa-riwayat``), which
``test_demo_shows_a_year_of_work.py`` checks.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from waspada.forums.models import Forum, ForumKind, Membership
from waspada.regions.models import Level, Region
from waspada.reports.models import IdempotencyRecord, Incident, Report, ReportStatus
from waspada.reports.samples import SAMPLES


def _counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "forums": Forum.objects.count(),
        "people": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "reports": Report.objects.count(),
        "incidents": Incident.objects.count(),
    }


@pytest.mark.django_db
def test_demo_loads_paser_with_its_ten_kecamatan_and_144_villages() -> None:
    call_command("demo", no_serve=True, tanpa_riwayat=True, stdout=io.StringIO())
    paser = Region.objects.get(code="64.01")
    assert paser.name == "Kabupaten Paser"
    assert Region.objects.filter(parent=paser, level=Level.KECAMATAN).count() == 10
    villages = Region.objects.within(paser).filter(level=Level.DESA)
    assert villages.count() == 144
    assert villages.filter(type="kelurahan").count() == 5


@pytest.mark.django_db
def test_demo_creates_every_default_forum_and_one_fkdm_per_kecamatan() -> None:
    call_command("demo", no_serve=True, tanpa_riwayat=True, stdout=io.StringIO())
    kinds = set(Forum.objects.filter(level="kabupaten").values_list("kind", flat=True))
    assert kinds >= {
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
    kecamatan_fkdm = Forum.objects.filter(kind=ForumKind.FKDM, level="kecamatan")
    assert sorted(kecamatan_fkdm.values_list("jurisdiction__code", flat=True)) == [
        f"64.01.{n:02d}" for n in range(1, 11)
    ]


@pytest.mark.django_db
def test_demo_prints_the_credentials_of_each_persona_and_they_work() -> None:
    out = io.StringIO()
    call_command("demo", no_serve=True, tanpa_riwayat=True, stdout=out)
    printed = out.getvalue()
    from waspada.ops.management.commands.demo import DEMO_PASSWORD

    assert DEMO_PASSWORD in printed
    people = get_user_model().objects.all()
    assert people.count() >= 7
    from waspada.security.two_factor import requires_second_factor

    lines = {line.split()[0]: line for line in printed.splitlines() if line.startswith("  ") and line.split()}
    for person in people:
        assert person.username in lines
        assert person.check_password(DEMO_PASSWORD)
        # Those who must use an authenticator are told so before their first login.
        assert ("[2 langkah" in lines[person.username]) == requires_second_factor(person)
    assert any(requires_second_factor(person) for person in people)


@pytest.mark.django_db
def test_running_the_demo_twice_duplicates_nothing() -> None:
    call_command("demo", no_serve=True, tanpa_riwayat=True, stdout=io.StringIO())
    first = _counts()
    call_command("demo", no_serve=True, tanpa_riwayat=True, stdout=io.StringIO())
    assert _counts() == first


@pytest.mark.django_db
def test_demo_files_sample_reports_and_verifies_some_into_incidents() -> None:
    call_command("demo", no_serve=True, tanpa_riwayat=True, stdout=io.StringIO())
    assert Report.objects.count() == len(SAMPLES)
    assert set(IdempotencyRecord.objects.values_list("key", flat=True)) == {sample.key for sample in SAMPLES}
    verified = [sample for sample in SAMPLES if sample.verify]
    assert Report.objects.filter(status=ReportStatus.TERVERIFIKASI).count() == len(verified)
    assert Incident.objects.count() == len(verified)
    assert Report.objects.filter(reference__startswith="SKD-6401-").count() == len(SAMPLES)
    assert Report.objects.filter(informant__isnull=False).count() == 2
