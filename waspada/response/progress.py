"""What a report's and an incident's readers see of the response: the dispositions with their
status, labelled deadline and outcome, the report's progress in one word, and the reporter's
own timeline of her report.

Read-only; every row is read through the report the viewer was already allowed to open
(``Report.objects.visible_to``). The reporter's timeline shows her only what is hers to know:
received, verified or rejected (with the reason), which forums act, the steps a forum shared
with her (``FollowUp.shared_with_reporter``), and each closure's outcome. Never the forums'
other notes, never an informant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from waspada.reports.models import ReportStatus
from waspada.response.models import (
    OPEN_STATUSES,
    Disposition,
    DispositionKind,
    DispositionStatus,
    FollowUp,
    FollowUpKind,
)

if TYPE_CHECKING:
    from waspada.people.models import Person
    from waspada.reports.models import Incident, Report


@dataclass(frozen=True)
class DispositionRow:
    disposition: Disposition
    deadline_label: str  # what the deadline is for: to acknowledge, or to close
    can_open: bool  # the viewer may open the disposition page


@dataclass(frozen=True)
class Step:
    at: datetime
    kind: str  # received, verified, rejected, forum, action, closed: the page's CSS class
    label: str
    text: str = ""


def _deadline_label(d: Disposition) -> str:
    if not d.is_open or d.due_at is None:
        return ""
    if d.status == DispositionStatus.MENUNGGU:
        return _("Batas terima")
    return _("Batas selesai")


def _rows(dispositions: QuerySet[Disposition], person: Person) -> list[DispositionRow]:
    dispositions = dispositions.exclude(status=DispositionStatus.DITARIK).select_related("forum", "report")
    openable = set(
        Disposition.objects.visible_to(person).filter(pk__in=dispositions).values_list("pk", flat=True)
    )
    return [
        DispositionRow(disposition=d, deadline_label=_deadline_label(d), can_open=d.pk in openable)
        for d in dispositions.order_by("created_at", "id")
    ]


def report_dispositions(report: Report, person: Person) -> list[DispositionRow]:
    return _rows(Disposition.objects.filter(report_id=report.pk), person)


def incident_dispositions(incident: Incident, person: Person) -> list[DispositionRow]:
    """The dispositions of the incident's reports that ``person`` may see."""
    from waspada.reports.models import Report

    visible = Report.objects.visible_to(person).filter(incident_id=incident.pk)
    return _rows(Disposition.objects.filter(report__in=visible), person)


def progress(report: Report) -> str:
    """The report's state in one phrase: its status until forums act, then how the acting goes."""
    if report.status != ReportStatus.TERVERIFIKASI:
        return str(report.get_status_display())
    acting = list(
        Disposition.objects.filter(report_id=report.pk, kind=DispositionKind.TINDAKAN).exclude(
            status=DispositionStatus.DITARIK
        )
    )
    if not acting:
        return str(report.get_status_display())
    if any(d.status in OPEN_STATUSES or d.status == DispositionStatus.DIKEMBALIKAN for d in acting):
        return _("Sedang ditindaklanjuti")
    outcomes = sorted({str(d.get_outcome_display()) for d in acting if d.outcome})
    return _("Selesai: %(outcome)s") % {"outcome": ", ".join(outcomes)} if outcomes else _("Selesai")


def reporter_timeline(report: Report) -> list[Step]:
    """The reporter's view of her report, oldest first."""
    from waspada.audit.models import AuditEntry

    steps = [Step(report.reported_at, "received", _("Laporan diterima"))]
    if report.verified_at is not None and report.status in (
        ReportStatus.TERVERIFIKASI,
        ReportStatus.DIGABUNG,
    ):
        steps.append(Step(report.verified_at, "verified", _("Diverifikasi oleh Tim Kewaspadaan Dini")))
    if report.status == ReportStatus.DITOLAK:
        rejected = (
            AuditEntry.objects.for_object(report).filter(action="report.rejected").order_by("-id").first()
        )
        at = rejected.occurred_at if rejected else report.reported_at
        steps.append(Step(at, "rejected", _("Ditolak"), report.status_reason))
    dispositions = list(
        Disposition.objects.filter(report_id=report.pk, kind=DispositionKind.TINDAKAN)
        .exclude(status=DispositionStatus.DITARIK)
        .select_related("forum")
    )
    for d in dispositions:
        steps.append(Step(d.created_at, "forum", _("%(forum)s menindaklanjuti") % {"forum": d.forum.name}))
        if d.status == DispositionStatus.SELESAI and d.closed_at is not None:
            steps.append(
                Step(
                    d.closed_at,
                    "closed",
                    _("%(forum)s menutup dengan hasil: %(outcome)s")
                    % {"forum": d.forum.name, "outcome": d.get_outcome_display()},
                )
            )
    shared = FollowUp.objects.filter(
        disposition__report_id=report.pk, kind=FollowUpKind.TINDAKAN, shared_with_reporter=True
    ).select_related("disposition__forum")
    for entry in shared:
        steps.append(Step(entry.created_at, "action", entry.disposition.forum.name, entry.text))
    return sorted(steps, key=lambda step: step.at)


def context_for_report(report: Report, person: Person) -> dict[str, Any]:
    is_reporter = person.is_authenticated and report.reporter_id == person.pk
    return {
        "report": report,
        "rows": report_dispositions(report, person),
        "steps": reporter_timeline(report) if is_reporter else [],
        "is_reporter": is_reporter,
    }
