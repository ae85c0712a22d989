"""The death rule: a report that says someone died is a signal of its own, at once.

ACLED counts every event with a fatality; a Kesbangpol analyst expects a killing to reach the
TKD's signal list the minute it is reported, not when a weekly count happens to pass a threshold.
So, unlike every other detector, this rule looks at a report when it is **accepted** (submitted,
still unverified), not only once it is verified:

* a report whose ``casualties_dead`` is at least 1, that is not rejected, and whose event
  happened within the last ``WINDOW_DAYS`` days (older ones are history: an import, an archive
  filed late; they count in the series, not here), raises a ``Signal`` with detector
  ``kematian`` for its region (desa or kecamatan), isu and day (WITA), unless it already belongs
  to one;
* one signal per event: a second report of the same region, isu and day, or of the same incident
  once verified, joins the first one's signal instead of raising another (the signal's key is
  region × isu × day × detector, as for every signal);
* the signal's figures are those of its reports: ``observed`` is the largest number of dead any
  of them states (reports of one event each state its toll; adding them would count the dead
  twice), the sentence says how many reports there are and how many are verified, and it states
  the rule;
* when no report behind a signal not yet reviewed states a death any more (all rejected, or
  their toll corrected by the analyst, ``reports.actions.update_casualties``), the signal is
  withdrawn (dismissed with that reason, audited as ``signal.withdrawn``); a report verified
  after all, or a death stated again, brings a withdrawn signal back. A report whose toll the
  analyst raises from unknown to a death is a signal like one filed with it.

It runs by the mechanism that keeps the series (``series.refresh_series``): the reports touched
by audit entries after its own cursor, every ``RUN_EVERY`` in the worker
(``tasks.raise_death_signals``) and at the start of every detection run (``waspada detect``). A
new signal is audited and announced in its own transaction (``notices.announce_signal``), as the
other detectors' are. Dismissing a signal is for the analyst (``actions.review_signal``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from waspada.audit.actions import record
from waspada.audit.models import AuditEntry
from waspada.detection import explain
from waspada.detection.models import Detector, Period, SeriesCursor, SeriesKind, Signal, SignalStatus
from waspada.detection.notices import announce_signal
from waspada.detection.priority import update_priority
from waspada.detection.series import REPORT_TYPE, local_day
from waspada.reports.models import Report, ReportStatus

logger = logging.getLogger(__name__)

DETECTOR = Detector.KEMATIAN
CURSOR = "kematian"
WINDOW_DAYS = 30
RUN_EVERY = timedelta(seconds=30)
BATCH = 1000


def _live(signal: Signal) -> list[Report]:
    """The reports that still carry a signal: not rejected, at least one dead."""
    return list(
        signal.reports.exclude(status=ReportStatus.DITOLAK)
        .filter(casualties_dead__gte=1)
        .order_by("pk")
        .only("pk", "status", "casualties_dead")
    )


def _figures(signal: Signal, live: list[Report]) -> None:
    dead = max(r.casualties_dead or 0 for r in live)
    verified = sum(1 for r in live if r.status == ReportStatus.TERVERIFIKASI)
    signal.observed = float(dead)
    signal.expected = 0.0
    signal.threshold = 1.0
    signal.details = {
        "dead": dead,
        "reports": len(live),
        "verified": verified,
        "rule": "setiap laporan dengan korban meninggal ≥ 1, belum ditolak, kejadian ≤ 30 hari",
    }
    signal.explanation = explain.death_sentence(
        region=signal.region,
        isu=signal.isu,
        day=signal.period_start,
        dead=dead,
        reports=len(live),
        verified=verified,
    )


def _refresh(signal: Signal) -> str:
    """Bring a signal's figures in line with its reports; returns what happened."""
    live = _live(signal)
    details = signal.details or {}
    if not live:
        if signal.status != SignalStatus.BARU:
            return "kept"
        signal.status = SignalStatus.DIABAIKAN
        signal.review_reason = (
            "Ditarik otomatis: tidak ada lagi laporan di balik sinyal ini yang menyebut korban "
            "meninggal (ditolak saat verifikasi, atau jumlahnya diperbaiki analis)."
        )
        signal.details = {**details, "withdrawn": True}
        signal.reviewed_at = timezone.now()
        signal.save()
        record(
            action="signal.withdrawn",
            actor=None,
            obj=signal,
            changes={"reason": "reports rejected"},
            channel="system",
        )
        return "withdrawn"
    if signal.status == SignalStatus.DIABAIKAN and details.get("withdrawn"):
        signal.status = SignalStatus.BARU  # a rejected report verified after all
        signal.review_reason = ""
        signal.reviewed_at = None
        record(
            action="signal.reopened",
            actor=None,
            obj=signal,
            changes={"reason": "report live again"},
            channel="system",
        )
    elif signal.status != SignalStatus.BARU:
        return "kept"  # the analyst has decided; the figures stay as they were reviewed
    _figures(signal, live)
    signal.save()
    update_priority(signal)
    return "updated"


def _target(report: Report) -> tuple[Signal | None, bool]:
    """The signal the report belongs to (True: already linked), else the one of its event."""
    linked = Signal.objects.filter(detector=DETECTOR, reports=report).first()
    if linked is not None:
        return linked, True
    if report.incident_id is not None:
        same_incident = Signal.objects.filter(
            detector=DETECTOR, reports__incident_id=report.incident_id
        ).first()
        if same_incident is not None:
            return same_incident, False
    day = local_day(report.occurred_at)
    same_event = Signal.objects.filter(
        region_id=report.region_id,
        isu=report.isu,
        period=Period.HARI,
        period_start=day,
        detector=DETECTOR,
        series=SeriesKind.JUMLAH,
    ).first()
    return same_event, False


def judge_report(report: Report, *, now: datetime | None = None) -> str:
    """Apply the rule to one report (in the caller's transaction); returns what happened:
    ``created``, ``joined``, ``updated``, ``withdrawn``, ``kept`` or ``none``."""
    now = now or timezone.now()
    signal, linked = _target(report)
    qualifies = (
        (report.casualties_dead or 0) >= 1
        and report.status != ReportStatus.DITOLAK
        and report.occurred_at >= now - timedelta(days=WINDOW_DAYS)
    )
    if linked:
        assert signal is not None
        return _refresh(signal)
    if not qualifies:
        return "none"
    if signal is not None:
        signal.reports.add(report)
        _refresh(signal)
        return "joined"
    day = local_day(report.occurred_at)
    signal = Signal(
        region=report.region,
        isu=report.isu,
        period=Period.HARI,
        period_start=day,
        period_end=day,
        detector=DETECTOR,
        series=SeriesKind.JUMLAH,
    )
    _figures(signal, [report])
    signal.save()
    signal.reports.add(report)
    record(
        action="signal.created",
        actor=None,
        obj=signal,
        changes={
            "detector": str(DETECTOR),
            "series": str(SeriesKind.JUMLAH),
            "observed": signal.observed,
            "expected": 0,
        },
        channel="system",
    )
    update_priority(signal)
    announce_signal(signal)
    return "created"


def judge_reports(report_ids: Iterable[int]) -> dict[str, int]:
    """``judge_report`` for every report among ``report_ids`` that states a death or already
    belongs to a death signal (in the caller's transaction); counts per outcome."""
    outcomes: dict[str, int] = {}
    ids = sorted(set(report_ids))
    now = timezone.now()
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        linked = Signal.reports.through.objects.filter(signal__detector=DETECTOR, report_id__in=chunk)
        in_signals = list(linked.values_list("report_id", flat=True))
        wanted = Report.objects.filter(Q(pk__in=chunk, casualties_dead__gte=1) | Q(pk__in=in_signals))
        for report in wanted.select_related("region").order_by("pk"):
            outcome = judge_report(report, now=now)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def raise_death_signals() -> dict[str, int]:
    """Apply the rule to every report touched since the last run (the audit trail after this
    rule's cursor, only entries of the last ``WINDOW_DAYS`` days). One transaction: a failure
    changes nothing and the next run reads the same entries again."""
    with transaction.atomic():
        cursor, _ = SeriesCursor.objects.get_or_create(name=CURSOR)
        cursor = SeriesCursor.objects.select_for_update().get(pk=cursor.pk)
        since = timezone.now() - timedelta(days=WINDOW_DAYS)
        # The newest entry first, then the entries up to it: one appended meanwhile waits for the
        # next run instead of being passed over.
        newest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        entries = list(
            AuditEntry.objects.filter(
                id__gt=cursor.last_audit_id, id__lte=newest, object_type=REPORT_TYPE, occurred_at__gte=since
            )
            .order_by("id")
            .values_list("id", "object_id")
        )
        outcomes = judge_reports(int(object_id) for _, object_id in entries if object_id.isdigit())
        cursor.last_audit_id = max(newest, cursor.last_audit_id)
        cursor.save(update_fields=["last_audit_id", "updated_at"])
    if outcomes:
        logger.info("death rule: %s", outcomes)
    return outcomes
