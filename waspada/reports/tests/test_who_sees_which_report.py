"""The visibility rules of waspada/reports/visibility.py, persona by persona."""

import pytest

from waspada.forums.models import Forum
from waspada.reports.actions import share_report
from waspada.reports.models import Report
from waspada.reports.tests.factories import TANAH_GROGOT, submit

pytestmark = pytest.mark.django_db


def _sees(person, report) -> bool:
    return Report.objects.visible_to(person).filter(pk=report.pk).exists()


def test_a_reporter_sees_their_own_report(desa_reporter) -> None:
    report = submit(desa_reporter).report
    assert _sees(desa_reporter, report)


def test_the_tkd_analyst_sees_every_report_in_the_regency(desa_reporter, kesbangpol_analyst) -> None:
    report = submit(desa_reporter).report
    assert _sees(kesbangpol_analyst, report)


def test_an_fkdm_member_does_not_see_another_forums_report(desa_reporter, fkub_officer) -> None:
    report = submit(fkub_officer, isu="agama").report
    assert not _sees(desa_reporter, report)


def test_thematic_forums_and_outsiders_do_not_see_unshared_reports(
    desa_reporter, fkub_officer, bnk_officer, regent, outsider
) -> None:
    report = submit(desa_reporter).report
    for person in (fkub_officer, bnk_officer, regent, outsider):
        assert not _sees(person, report), person.username


def test_a_report_shared_with_a_forum_is_seen_by_its_members(
    desa_reporter, fkub_officer, kesbangpol_analyst
) -> None:
    report = submit(desa_reporter, isu="agama").report
    share_report(report=report, forum=Forum.objects.get(code="FKUB-6401"), by=kesbangpol_analyst)
    assert _sees(fkub_officer, report)
    assert Report.objects.visible_to(fkub_officer).count() == 1


def test_the_kecamatan_fkdm_sees_its_districts_village_reports(desa_reporter, kecamatan_fkdm_chair) -> None:
    report = submit(desa_reporter).report
    assert _sees(kecamatan_fkdm_chair, report)


def test_the_kecamatan_fkdm_does_not_see_restricted_reports_of_its_district(
    desa_reporter, kecamatan_fkdm_chair
) -> None:
    report = submit(desa_reporter, classification="terbatas").report
    assert not _sees(kecamatan_fkdm_chair, report)


def test_the_kecamatan_fkdm_does_not_see_reports_of_another_forum_kind_in_its_district(
    bnk_officer, kecamatan_fkdm_chair
) -> None:
    report = submit(bnk_officer, isu="narkoba").report
    assert not _sees(kecamatan_fkdm_chair, report)


def test_a_secret_report_is_for_senior_roles_only(desa_reporter, kesbangpol_analyst, fkub_officer) -> None:
    report = submit(desa_reporter, classification="rahasia", region_code=TANAH_GROGOT).report
    assert _sees(kesbangpol_analyst, report)
    share_report(report=report, forum=Forum.objects.get(code="FKUB-6401"), by=kesbangpol_analyst)
    assert not _sees(fkub_officer, report)  # anggota, not a senior role
    assert _sees(desa_reporter, report)  # still their own
