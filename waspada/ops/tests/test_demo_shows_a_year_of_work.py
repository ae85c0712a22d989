"""`waspada demo` shows the work: boundaries on the map, a year of verified history with surges,
a late disposition the real sweep escalated, something for detection to find, a member in every
forum, and who to log in as for each story. A second run adds nothing."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.detection.models import Signal
from waspada.forums.models import Forum, Membership
from waspada.notify.models import Event, Notification
from waspada.ops.demo_story import HISTORY_DAYS, late_disposition, plan_history, plan_surge
from waspada.ops.management.commands.demo import DEMO_PASSWORD
from waspada.regions.models import Region
from waspada.reports.models import Incident, Report, ReportStatus
from waspada.response.models import Disposition, DispositionKind, Escalation


def test_the_planned_history_spans_a_year_with_a_burst_in_muara_komam_and_a_surge_this_week() -> None:
    now = timezone.now()
    planned = plan_history(now)

    assert [p.occurred_at for p in planned] == sorted(p.occurred_at for p in planned)
    assert planned[0].occurred_at < now - timedelta(days=HISTORY_DAYS - 7)
    months = {timezone.localtime(p.occurred_at).strftime("%Y-%m") for p in planned}
    assert len(months) >= 12
    assert len({p.key for p in planned}) == len(planned)
    burst = [p for p in planned if p.isu == "sara_etnis" and p.kecamatan == "07"]
    assert len(burst) >= 7
    # Long Ikis hears nothing about companies all year, then five reports this week.
    assert not [p for p in planned if p.isu == "agraria_korporasi" and p.kecamatan == "06"]
    surge = plan_surge(now)
    monday = timezone.localtime(now).date() - timedelta(days=timezone.localtime(now).weekday())
    assert len(surge) == 5
    assert all(monday <= timezone.localtime(p.occurred_at).date() and p.occurred_at <= now for p in surge)


def _counts() -> dict[str, int]:
    return {
        "people": get_user_model().objects.count(),
        "memberships": Membership.objects.count(),
        "reports": Report.objects.count(),
        "incidents": Incident.objects.count(),
        "dispositions": Disposition.objects.count(),
        "escalations": Escalation.objects.count(),
    }


@pytest.mark.django_db
def test_the_demo_shows_boundaries_a_year_of_history_a_late_escalation_and_a_signal_once() -> None:
    out = io.StringIO()
    call_command("demo", no_serve=True, stdout=out)
    printed = out.getvalue()
    now = timezone.now()

    # The map has something to draw: the regency, its 10 kecamatan and 144 villages.
    paser = Region.objects.get(code="64.01")
    assert Region.objects.within(paser).filter(boundary__isnull=True).count() == 0
    assert Region.objects.within(paser).count() == 155

    # About a year of verified history, spread over the months, every forum's work closed.
    reports = Report.objects.all()
    assert reports.count() > 100
    oldest = reports.order_by("reported_at").first()
    assert oldest is not None and oldest.reported_at < now - timedelta(days=HISTORY_DAYS - 14)
    months = {timezone.localtime(r.reported_at).strftime("%Y-%m") for r in reports}
    assert len(months) >= 12
    old = reports.filter(reported_at__lt=now - timedelta(days=30))
    assert not old.exclude(status=ReportStatus.TERVERIFIKASI).exists()
    old_work = Disposition.objects.filter(report__in=old)
    assert old_work.exists() and not old_work.filter(closed_at__isnull=True).exists()
    assert not old_work.exclude(
        created_at__lt=now - timedelta(days=30)
    ).exists()  # backdated, not stamped today
    for disposition in old_work.exclude(acknowledged_at=None)[:50]:
        assert disposition.created_at < disposition.acknowledged_at <= disposition.closed_at

    # Nobody gets a year of old messages when the demo starts.
    old_events = Event.objects.filter(created_at__lt=now - timedelta(days=30))
    assert old_events.exists() and not old_events.filter(processed_at__isnull=True).exists()
    assert not Notification.objects.filter(event__in=old_events).exists()

    # One disposition is late, and the real sweep escalated it.
    late = late_disposition()
    assert late is not None
    assert late.kind == DispositionKind.TINDAKAN and late.is_open
    assert late.due_at is not None and late.due_at < now
    assert late.forum.kind == "TIMDU_PKS"
    escalation = Escalation.objects.get(disposition=late)
    assert escalation.to_disposition is not None and escalation.to_disposition.forum.kind == "TKD"
    assert escalation.to_disposition.due_at is not None and escalation.to_disposition.due_at > now
    assert Escalation.objects.count() == 1

    # Every default forum has a member; someone handles informants.
    for forum in Forum.objects.active():
        assert Membership.objects.current().filter(forum=forum).exists(), forum.code
    assert get_user_model().objects.filter(is_informant_handler=True).exists()

    # Who to log in as, for each story, with accounts that work.
    stories = [line for line in printed.splitlines() if "Untuk melihat" in line]
    assert len(stories) >= 5
    for line in stories:
        username = line.rsplit("masuk sebagai ", 1)[1].rstrip(".")
        assert get_user_model().objects.get(username=username).check_password(DEMO_PASSWORD)
    assert "masuk sebagai anggota.timdu" in printed

    # The audit trail, backdated entries included, is whole.
    assert AuditEntry.objects.filter(occurred_at__lt=now - timedelta(days=300)).exists()
    verified = io.StringIO()
    call_command("audit", "verify", stdout=verified)
    assert "Jejak audit utuh" in verified.getvalue()

    # Detection finds this week's land disputes in Long Ikis.
    detect = io.StringIO()
    call_command("detect", stdout=detect)
    signals = Signal.objects.filter(isu="agraria_korporasi")
    assert signals.exists(), detect.getvalue()
    assert all(s.region_id in ("64.01", "64.01.06") for s in signals)
    # And yesterday's killing (sample demo-09), by the death rule: one signal, before verification.
    assert Signal.objects.filter(detector="kematian").count() == 1

    # Again: nothing new.
    first = _counts()
    call_command("demo", no_serve=True, stdout=io.StringIO())
    assert _counts() == first
