"""Verification as a queue with a clock.

Every report that arrives unverified gets a verification deadline from its alert level
(``settings.WASPADA_VERIFY_DEADLINES``: awas 1 hour, siaga 4 hours, waspada 1 working day,
normal 3 working days by default; working days in WITA with Indonesian holidays, as the
response app counts them). The deadline is stored on the report when it is submitted and
recomputed from the same start when an analyst corrects the level. The TKD's analysts see the
queue sorted by urgency; the worker tells the ketua of the TKD once a report is late
(``escalate_late_verifications``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waspada.regions.models import Level
from waspada.reports.models import Report, ReportQuerySet, ReportStatus

if TYPE_CHECKING:
    from waspada.people.models import Person


def verification_deadline(
    alert_level: str,
    start: datetime,
    *,
    region: str | None = None,
    regional: Mapping[date, str] | None = None,
) -> datetime:
    """When a report at ``alert_level`` whose clock started at ``start`` must be verified.

    ``region``: the report's region code; its regency's and province's days off count (None:
    the installation-wide ones only). ``regional``: days off to use instead of reading them.
    """
    from waspada.response.calendar import add_working_days

    amount, unit = settings.WASPADA_VERIFY_DEADLINES[alert_level]
    if unit == "menit":
        return start + timedelta(minutes=amount)
    if unit == "jam":
        return start + timedelta(hours=amount)
    return add_working_days(start, amount, region=region, regional=regional)


def queue_for(person: Person) -> ReportQuerySet:
    """The unverified reports ``person`` may verify (their deciding TKD's), most urgent first: the
    earliest deadline (so the late ones) first, then the higher level, then the older report."""
    return (
        Report.objects.restrict(person, "triage")
        .filter(status=ReportStatus.BARU)
        .select_related("region", "region__parent")
        .order_by(F("verify_due_at").asc(nulls_last=True), "received_at", "id")
    )


def span_text(span: timedelta) -> str:
    """A span as people say it: "40 menit", "2 jam", "3 hari" (rounded down, at least 1 minute)."""
    minutes = max(int(span.total_seconds() // 60), 1)
    if minutes < 60:
        return ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours}
    days = hours // 24
    return ngettext("%(n)d hari", "%(n)d hari", days) % {"n": days}


@dataclass(frozen=True)
class QueueRow:
    report: Report
    age: str  # "3 jam"
    time_left: str  # "sisa 40 menit" / "terlambat 2 jam" / "" when the report has no deadline
    late: bool

    @property
    def place(self) -> str:
        region = self.report.region
        if region.parent is not None and region.parent.level == Level.KECAMATAN:
            return f"{region.label}, {region.parent.label}"
        return region.label


def queue_rows(reports: list[Report], now: datetime | None = None) -> list[QueueRow]:
    now = now or timezone.now()
    rows = []
    for report in reports:
        due = report.verify_due_at
        late = due is not None and due <= now
        if due is None:
            left = ""
        elif late:
            left = _("terlambat %(span)s") % {"span": span_text(now - due)}
        else:
            left = _("sisa %(span)s") % {"span": span_text(due - now)}
        rows.append(
            QueueRow(report=report, age=span_text(now - report.received_at), time_left=left, late=late)
        )
    return rows


def late_ids(now: datetime, limit: int = 500) -> list[int]:
    """Unverified reports past their deadline whose TKD head has not been told yet."""
    return list(
        Report.objects.filter(
            status=ReportStatus.BARU, verify_due_at__lt=now, verify_escalated_at__isnull=True
        )
        .order_by("verify_due_at")
        .values_list("pk", flat=True)[:limit]
    )


def escalate_late_verification(report_id: int, now: datetime | None = None) -> bool:
    """Tell the ketua of the TKD over the report's place that it is still unverified; once.

    The row is locked (skipped if another worker holds it) and claimed by a conditional UPDATE
    of ``verify_escalated_at`` in the same transaction as the audit entry and the notification
    event: two workers, or a worker killed half-way, tell the head exactly once.
    """
    from waspada.audit.actions import record
    from waspada.forums.models import Forum, Membership, Role
    from waspada.notify.events import Kind, emit
    from waspada.notify.texts import indonesian_body, indonesian_title

    now = now or timezone.now()
    with transaction.atomic():
        pending = Report.objects.filter(
            pk=report_id, status=ReportStatus.BARU, verify_due_at__lt=now, verify_escalated_at__isnull=True
        )
        locked = list(pending.select_for_update(skip_locked=True, of=("self",)).select_related("region"))
        if not locked or not pending.update(verify_escalated_at=now):
            return False
        report = locked[0]
        tkd = Forum.objects.deciding_tkds(report.region_id)
        heads = [
            seat.person
            for seat in Membership.objects.current()
            .filter(forum__in=tkd, role=Role.KETUA)
            .select_related("person")
        ]
        assert report.verify_due_at is not None
        record(
            action="report.verification_late",
            actor=None,
            obj=report,
            changes={
                "due_at": report.verify_due_at,
                "alert_level": report.alert_level,
                "told": sorted(person.username for person in heads),
            },
            channel="system",
        )
        # Stored as kind and parameters, rendered in each reader's language (notify/texts.py).
        params = {
            "reference": report.reference,
            "report_title": report.title[:200],
            "late_minutes": int((now - report.verify_due_at).total_seconds() // 60),
            "body_key": "verification_late",
            "body_params": {"due": timezone.localtime(report.verify_due_at).strftime("%d-%m-%Y %H:%M")},
        }
        emit(
            Kind.VERIFICATION_LATE,
            level=report.alert_level,
            title=indonesian_title(Kind.VERIFICATION_LATE, params),
            body=indonesian_body(params),
            params=params,
            report=report,
            # No ketua seated: the whole TKD hears it rather than nobody.
            persons=heads,
            forums=[] if heads else tkd,
            url=_report_url(report),
            dedupe_key=f"{Kind.VERIFICATION_LATE}:{report.pk}",
        )
    return True


def _report_url(report: Report) -> str:
    from django.urls import reverse

    return reverse("reports:detail", args=[report.reference])


def escalate_late_verifications(now: datetime | None = None) -> int:
    """The sweep: tell the TKD head of every report late for verification. Returns how many."""
    now = now or timezone.now()
    return sum(1 for pk in late_ids(now) if escalate_late_verification(pk, now))
