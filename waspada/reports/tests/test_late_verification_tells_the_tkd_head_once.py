"""A report left unverified past its deadline is told to the ketua of the TKD, exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from waspada.audit.models import AuditEntry
from waspada.core.periodic import REGISTRY, run_now
from waspada.forums.models import Membership
from waspada.notify.events import Kind
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event, Notification
from waspada.notify.texts import event_body, event_title
from waspada.reports.actions import reject_report, verify_report
from waspada.reports.models import Report
from waspada.reports.tests.factories import submit
from waspada.reports.verification import escalate_late_verification, escalate_late_verifications

pytestmark = pytest.mark.django_db


def _late(report: Report, by: timedelta = timedelta(hours=2)) -> Report:
    Report.objects.filter(pk=report.pk).update(verify_due_at=timezone.now() - by)
    report.refresh_from_db()
    return report


def _told(report: Report) -> set[str]:
    events = Event.objects.filter(kind=Kind.VERIFICATION_LATE, report=report)
    for event in events:
        fan_out(event.pk)
    return set(Notification.objects.filter(event__in=events).values_list("person__username", flat=True))


def test_the_ketua_of_the_tkd_is_told_of_a_late_report_and_the_analysts_are_not(personas) -> None:
    report = _late(submit(personas.desa_reporter, alert_level="siaga").report)
    assert escalate_late_verifications() == 1
    assert _told(report) == {"ketua.tkd"}
    event = Event.objects.get(kind=Kind.VERIFICATION_LATE, report=report)
    assert "terlambat 2 jam" in event.title
    assert event.url == f"/laporan/{report.reference}/"
    entry = AuditEntry.objects.get(action="report.verification_late")
    assert entry.changes["told"] == ["ketua.tkd"]


def test_the_notice_reads_in_english_for_an_english_reader(personas) -> None:
    report = _late(submit(personas.desa_reporter, alert_level="siaga").report)
    escalate_late_verifications()
    event = Event.objects.get(kind=Kind.VERIFICATION_LATE, report=report)
    with override("en"):
        title, body = event_title(event), event_body(event)
    assert title.startswith(f"Not yet verified {report.reference} (2 hours overdue)")
    assert body.startswith("Verification deadline ") and "terlewati" not in body
    assert "Batas verifikasi" in event.body  # the stored copy, for rows read without parameters


def test_a_second_sweep_tells_nobody_again(personas) -> None:
    report = _late(submit(personas.desa_reporter, alert_level="siaga").report)
    assert escalate_late_verifications() == 1
    assert escalate_late_verifications() == 0
    assert escalate_late_verification(report.pk) is False
    assert Event.objects.filter(kind=Kind.VERIFICATION_LATE).count() == 1
    assert AuditEntry.objects.filter(action="report.verification_late").count() == 1


def test_reports_in_time_verified_or_rejected_are_left_alone(personas) -> None:
    analyst = personas.kesbangpol_analyst
    submit(personas.desa_reporter, alert_level="siaga")  # in time
    verified = _late(submit(personas.desa_reporter, alert_level="siaga").report)
    verify_report(report=verified, by=analyst)
    rejected = _late(submit(personas.desa_reporter, alert_level="siaga").report)
    reject_report(report=rejected, by=analyst, reason="Laporan ganda")
    assert escalate_late_verifications() == 0
    assert not Event.objects.filter(kind=Kind.VERIFICATION_LATE).exists()


def test_without_a_ketua_the_whole_tkd_is_told(personas) -> None:
    Membership.objects.filter(person=personas.tkd_head).update(ended_at=timezone.now())
    report = _late(submit(personas.desa_reporter, alert_level="awas").report)
    assert escalate_late_verifications() == 1
    assert {"analis.kesbangpol", "admin.kesbangpol"} <= _told(report)


def test_the_worker_runs_the_sweep_as_a_periodic_job(personas) -> None:
    assert REGISTRY["reports.verification_late"].every == timedelta(minutes=1)
    _late(submit(personas.desa_reporter, alert_level="waspada").report)
    assert run_now("reports.verification_late") == "1"
    assert run_now("reports.verification_late") == "0"
