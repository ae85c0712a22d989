"""The worker's schedule: each due period's Lapsit drafted; once approved, one copy per TKD and
Forkopimda member, never twice."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from waspada.briefs.actions import approve_lapsit, brief_path, edit_lapsit, run_schedule, scheduled_recipients
from waspada.briefs.models import Brief, Lapsit, LapsitStatus
from waspada.briefs.periods import BriefKind, Period, due_period
from waspada.briefs.tests.helpers import SCREENSHOTS, at, first_page_png, last_week, load_boundaries, pdf_text
from waspada.core.periodic import REGISTRY, run_now
from waspada.notify.fanout import fan_out
from waspada.notify.models import Event, Notification
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import TANAH_GROGOT, submit

WITA = timezone.get_fixed_timezone(8 * 60)


def _wita(*args: int) -> datetime:
    return datetime(*args, tzinfo=WITA)  # type: ignore[misc]


def test_each_kind_falls_due_at_its_hour_on_its_day():
    monday = date(2026, 11, 30)
    assert due_period("mingguan", _wita(2026, 11, 30, 6, 59), 7) == Period(
        "mingguan", date(2026, 11, 16), date(2026, 11, 22)
    )
    assert due_period("mingguan", _wita(2026, 11, 30, 7, 0), 7) == Period(
        "mingguan", monday - timedelta(days=7), monday - timedelta(days=1)
    )
    assert due_period("bulanan", _wita(2026, 12, 1, 7, 0), 7) == Period(
        "bulanan", date(2026, 11, 1), date(2026, 11, 30)
    )
    assert due_period("bulanan", _wita(2026, 12, 1, 6, 0), 7).start == date(2026, 10, 1)
    assert due_period("triwulanan", _wita(2027, 1, 1, 8, 0), 7) == Period(
        "triwulanan", date(2026, 10, 1), date(2026, 12, 31)
    )
    assert Period("triwulanan", date(2026, 10, 1), date(2026, 12, 31)).label() == "Triwulan IV 2026"
    assert Period("bulanan", date(2026, 3, 1), date(2026, 3, 31)).previous().start == date(2026, 2, 1)


@pytest.mark.django_db
def test_the_schedule_makes_one_copy_per_recipient_and_is_idempotent(personas):
    load_boundaries()
    week = last_week()
    for day, isu, level in (
        (0, "agraria_korporasi", "siaga"),
        (2, "narkoba", "waspada"),
        (4, "bencana", "awas"),
    ):
        when = at(week.start + timedelta(days=day))
        report = submit(
            personas.desa_reporter,
            isu=isu,
            alert_level=level,
            reported_at=when,
            occurred_at=when,
            region_code=TANAH_GROGOT if isu == "narkoba" else "64.01.06.2006",
        ).report
        verify_report(report=report, by=personas.kesbangpol_analyst)

    recipients = scheduled_recipients()
    assert {p.username for p in recipients} == {
        personas.kesbangpol_analyst.username,
        personas.kesbangpol_admin.username,
        personas.tkd_head.username,
        personas.regent.username,
    }
    # due: each kind's Lapsit is drafted, and nobody gets anything before the head approves it
    assert run_schedule() == []
    assert Lapsit.objects.filter(status=LapsitStatus.KONSEP).count() == len(BriefKind.values)
    assert not Brief.objects.exists()
    made = []
    for lapsit in Lapsit.objects.order_by("pk"):
        edit_lapsit(lapsit=lapsit, by=personas.kesbangpol_analyst, analisa="a", prakiraan="b", saran="c")
        approve_lapsit(lapsit=lapsit, by=personas.tkd_head)
        made += list(Brief.objects.filter(lapsit=lapsit))
    assert len(made) == len(recipients) * len(BriefKind.values)
    for kind in BriefKind.values:
        copies = Brief.objects.filter(kind=kind, scheduled=True)
        assert sorted(copies.values_list("recipient_id", flat=True)) == sorted(p.pk for p in recipients)
    for brief in made:
        content = brief_path(brief).read_bytes()
        assert hashlib.sha256(content).hexdigest() == brief.checksum and len(content) == brief.size
    assert Event.objects.filter(kind="brief.ready").count() == len(made)
    # each copy is told to its own recipient only, in the notification centre
    for event in Event.objects.filter(kind="brief.ready"):
        fan_out(event.pk)
    for person in recipients:
        assert Notification.objects.filter(event__kind="brief.ready", person=person).count() == 3
    assert Notification.objects.filter(event__kind="brief.ready").count() == len(made)

    assert run_schedule() == []  # a second run (another worker, the next tick) makes nothing new
    assert "0 laporan situasi dibuat" in str(run_now("briefs.scheduled"))
    assert "briefs.scheduled" in REGISTRY
    assert Brief.objects.count() == len(made)

    for kind in BriefKind.values:
        brief = Brief.objects.get(kind=kind, recipient=personas.kesbangpol_analyst)
        content = brief_path(brief).read_bytes()
        assert f"LAPORAN SITUASI {kind.upper()}" in pdf_text(content)
        first_page_png(content, SCREENSHOTS / f"brief-situasi-{kind}.png")
