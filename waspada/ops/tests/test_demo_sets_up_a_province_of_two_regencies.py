"""`waspada demo --regency 64.01 --regency 64.09`: a province installation with both regencies,
their forums and the province's, the PPU and province personas, and a few PPU reports; once."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from waspada.forums.models import Forum, Membership
from waspada.people.models import Person
from waspada.reports.models import Report, ReportStatus

pytestmark = pytest.mark.django_db


def _demo(*regencies: str) -> str:
    out = io.StringIO()
    call_command("demo", no_serve=True, tanpa_riwayat=True, regencies=list(regencies) or None, stdout=out)
    return out.getvalue()


def test_the_stock_demo_stays_paser_alone() -> None:
    _demo()
    assert not Forum.objects.filter(jurisdiction_id__in=["64", "64.09"]).exists()
    assert not Person.objects.filter(username__in=["analis.kaltim", "analis.ppu"]).exists()


def test_a_two_regency_demo_seats_the_province_and_ppu_personas_and_files_ppu_reports() -> None:
    output = _demo("64.01", "64.09")
    assert {"TKD-6409", "TKD-64", "FKPD-64"} <= set(Forum.objects.values_list("code", flat=True))
    seats = dict(
        Membership.objects.current()
        .filter(person__username__in=["analis.kaltim", "gubernur", "analis.ppu", "pelapor.ppu"])
        .values_list("person__username", "forum__code")
    )
    assert seats["analis.kaltim"] == "TKD-64" and seats["gubernur"] == "FKPD-64"
    assert seats["analis.ppu"] == "TKD-6409" and seats["pelapor.ppu"].startswith("FKDM-640901")
    ppu = Report.objects.filter(region__code__startswith="64.09.")
    assert ppu.count() == 4 and ppu.filter(status=ReportStatus.TERVERIFIKASI).count() == 3
    # verified by PPU's analyst and routed to PPU's TKD
    assert not ppu.filter(dispositions__forum__code="TKD-6401").exists()
    assert "analis.kaltim" in output and "/situasi/provinsi/" in output

    counts = (Forum.objects.count(), Person.objects.count(), Report.objects.count())
    _demo("64.01", "64.09")
    assert (Forum.objects.count(), Person.objects.count(), Report.objects.count()) == counts


def test_an_unknown_or_wrong_level_regency_is_named_and_no_province_is_made() -> None:
    for wrong in ("99.99", "64.09.01"):
        with pytest.raises(CommandError, match=re.escape(wrong)):
            _demo("64.01", wrong)
    assert not Forum.objects.filter(jurisdiction_id="64").exists()
