"""Informants' identities are purged a configurable time after their report, and the purge is
recorded with counts only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from waspada.audit.models import AuditEntry
from waspada.core.periodic import REGISTRY, run_now
from waspada.lib import crypto
from waspada.reports.actions import reveal_informant
from waspada.reports.models import Informant, Report
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


def filed(reporter: Any, *, days_ago: int, name: str) -> Report:
    report = submit(reporter, informant_name=name, informant_contact="0812-5555-0101").report
    Report.objects.filter(pk=report.pk).update(received_at=timezone.now() - timedelta(days=days_ago))
    return report


def test_identities_older_than_the_period_are_emptied_and_the_purge_recorded(
    settings: Settings, desa_reporter: Any, fkub_officer: Any
) -> None:
    settings.WASPADA_INFORMANT_RETENTION_DAYS = 365
    old = [filed(desa_reporter, days_ago=400, name=f"Pak Lama {n}") for n in range(3)]
    recent = filed(desa_reporter, days_ago=30, name="Bu Baru")
    without = submit(desa_reporter).report  # a report without an informant is left alone

    assert "security.purge_informants" in REGISTRY
    assert run_now("security.purge_informants") == "3"

    for report in old:
        informant = Informant.objects.get(report=report)
        assert informant.name_encrypted == "" and informant.contact_encrypted == ""
        assert informant.purged_at is not None
    kept = Informant.objects.get(report=recent)
    assert crypto.decrypt(kept.name_encrypted) == "Bu Baru" and kept.purged_at is None
    assert not Informant.objects.filter(report=without).exists()

    entry = AuditEntry.objects.get(action="informant.purged")
    assert entry.channel == "system" and entry.actor is None
    assert entry.changes["count"] == 3 and entry.changes["retention_days"] == 365
    assert "Pak Lama" not in str(entry.changes) + entry.object_repr
    assert "0812" not in str(entry.changes)

    # A second run finds nothing and records nothing.
    assert run_now("security.purge_informants") == "0"
    assert AuditEntry.objects.filter(action="informant.purged").count() == 1


def test_the_period_comes_from_the_setting(settings: Settings, desa_reporter: Any) -> None:
    settings.WASPADA_INFORMANT_RETENTION_DAYS = 10
    report = filed(desa_reporter, days_ago=11, name="Pak Sebelas")
    assert run_now("security.purge_informants") == "1"
    assert Informant.objects.get(report=report).purged_at is not None


def test_a_handler_revealing_a_purged_informant_sees_nothing(
    settings: Settings, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    from waspada.people.actions import update_person

    # A handler of Paser's TKD: only a seat in the report's deciding TKD may reveal (rule 7).
    handler = update_person(person=kesbangpol_analyst, by=None, is_informant_handler=True)
    report = filed(desa_reporter, days_ago=400, name="Pak Rahasia")
    run_now("security.purge_informants")
    revealed = reveal_informant(report=report, by=handler)
    assert revealed.name == "" and revealed.contact == ""
    assert revealed.purged_at == Informant.objects.get(report=report).purged_at


def test_the_reveal_page_says_when_the_identity_was_purged(
    client: Any, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    from waspada.people.actions import update_person

    handler = update_person(person=kesbangpol_analyst, by=None, is_informant_handler=True)
    purged = filed(desa_reporter, days_ago=4000, name="Pak Rahasia")
    kept = filed(desa_reporter, days_ago=1, name="Bu Masih")
    run_now("security.purge_informants")
    client.force_login(handler)

    page = client.post(f"/laporan/{purged.reference}/informan/").content.decode()
    when = timezone.localtime(Informant.objects.get(report=purged).purged_at).strftime("%d-%m-%Y %H:%M")
    assert f"Identitas informan sudah dihapus sesuai aturan retensi pada {when} WITA." in page
    assert "Pak Rahasia" not in page

    page = client.post(f"/laporan/{kept.reference}/informan/").content.decode()
    assert "Bu Masih" in page and "sudah dihapus" not in page


def test_the_setting_is_read_from_the_environment() -> None:
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.WASPADA_INFORMANT_RETENTION_DAYS)"
    )
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "waspada.settings", "SECRET_KEY": "x" * 50}
    given = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "WASPADA_INFORMANT_RETENTION_DAYS": "90"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert given.stdout.strip() == "90"
    default = subprocess.run(
        [sys.executable, "-c", code], env=base, capture_output=True, text=True, check=True
    )
    assert default.stdout.strip() == "365"
    bad = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "WASPADA_INFORMANT_RETENTION_DAYS": "0"},
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0 and "WASPADA_INFORMANT_RETENTION_DAYS" in bad.stderr
