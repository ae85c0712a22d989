"""The detection run: refresh the series, run the detectors, store new signals.

``run_detection`` is what ``waspada detect`` and the worker's periodic job call. For the week
that contains ``today`` (Monday to Sunday, WITA), it runs every weekly detector
(``engine.detect_many``) on every kecamatan × isu and kabupaten × isu series that has reports,
each observed from the installation's first day (``series.observed_from``: weeks before a
region's first report are known zeros),
and the space-time permutation scan per kabupaten × isu over its villages' centroids (days up to
``today``). Each alarm becomes a ``Signal`` (one per region, isu, period and detector: a rerun in
the same week updates the figures of a signal not yet reviewed and never duplicates it), with the
verified reports behind it and its sentence. A new signal is announced in the same transaction
(``notices.announce_signal``: a ``notify`` event, delivered after commit).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from waspada.audit.actions import record
from waspada.detection import engine, explain, grouping
from waspada.detection.deaths import raise_death_signals
from waspada.detection.detectors.result import Detection
from waspada.detection.detectors.scan import Cluster, ScanGeometry
from waspada.detection.models import CountBucket, Detector, Period, SeriesKind, Signal, SignalStatus
from waspada.detection.notices import announce_signal
from waspada.detection.priority import deciding_area, update_priority
from waspada.detection.series import WEIGHTS, observed_from, refresh_series, week_start
from waspada.regions.models import Level, Region, within_q
from waspada.reports.models import Report, ReportStatus

logger = logging.getLogger(__name__)

HISTORY_WEEKS = 52 * 5 + 4  # what Farrington flexible (b = 5 years, w = 3) can use


@dataclass
class RunResult:
    series: int = 0
    created: int = 0
    updated: int = 0
    joined: int = 0
    clusters: int = 0


def _aware(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())


def _reports(code: str, isu: str, first: date, last: date) -> list[int]:
    within = Report.objects.filter(within_q(code))
    return list(
        within.filter(
            isu=isu,
            status=ReportStatus.TERVERIFIKASI,
            occurred_at__gte=_aware(first),
            occurred_at__lt=_aware(last + timedelta(days=1)),
        ).values_list("pk", flat=True)
    )


def _store(
    *,
    region: Region,
    isu: str,
    period: str,
    first: date,
    last: date,
    detector: str,
    series: str = SeriesKind.JUMLAH,
    covers_from: date | None = None,
    detection: Detection | None,
    observed: float,
    expected: float,
    threshold: float,
    p_value: float | None,
    recurrence_days: float | None,
    explanation: str,
    report_ids: list[int],
    details: dict[str, object],
    result: RunResult,
) -> None:
    values = {
        "period_end": last,
        "observed": observed,
        "expected": expected,
        "threshold": threshold,
        "p_value": p_value,
        "recurrence_days": recurrence_days,
        "explanation": explanation,
        "details": details,
    }
    with transaction.atomic():
        signal = (
            Signal.objects.select_for_update()
            .filter(
                region=region,
                isu=isu,
                period=period,
                period_start=first,
                detector=detector,
                series=series,
            )
            .first()
        )
        if signal is None:
            event = _event_for(region, isu, covers_from or first, last, detector)
            joined: dict[str, object] = {}
            if event is not None:
                # A detector that agrees with an event joins it and takes its review.
                joined = {
                    "event": event,
                    "status": event.status,
                    "review_reason": event.review_reason,
                    "reviewed_by_id": event.reviewed_by_id,
                    "reviewed_at": event.reviewed_at,
                }
            signal = Signal.objects.create(
                region=region,
                isu=isu,
                period=period,
                period_start=first,
                detector=detector,
                series=series,
                **values,
                **joined,
            )
            signal.reports.set(report_ids)
            record(
                action="signal.joined" if event is not None else "signal.created",
                actor=None,
                obj=signal,
                changes={
                    "detector": detector,
                    "series": series,
                    "observed": observed,
                    "expected": round(expected, 3),
                    **({"event": event.pk} if event is not None else {}),
                },
                channel="system",
            )
            if event is None:
                update_priority(signal)
                announce_signal(signal)
                result.created += 1
            else:
                update_priority(event)
                result.joined += 1
        elif signal.status == SignalStatus.BARU:
            for name, value in values.items():
                setattr(signal, name, value)
            signal.save()
            signal.reports.set(report_ids)
            update_priority(signal.event or signal)
            result.updated += 1


def _event_for(region: Region, isu: str, first: date, last: date, detector: str) -> Signal | None:
    """The event a new detection joins (``grouping.py``), locked; None when it starts one."""
    parts = region.code.split(".")
    around = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    candidates = (
        Signal.objects.select_for_update()
        .events()
        .exclude(detector=Detector.KEMATIAN)
        .filter(isu=isu, period_start__lte=last, period_end__gte=first)
        .filter(Q(region_id__in=around) | Q(region__code__startswith=region.code + "."))
        .order_by("pk")
    )
    found = grouping.Found(region.code, isu, first, last, detector)
    decider = deciding_area(region.code)
    for event in candidates:
        head = grouping.Found(
            event.region_id, event.isu, event.period_start, event.period_end, event.detector
        )
        if grouping.joins(found, head) and deciding_area(event.region_id) == decider:
            return event
    return None


def _all_weekly(
    pairs: list[tuple[str, str]], current: date, buckets: QuerySet[CountBucket]
) -> tuple[np.ndarray, np.ndarray]:
    """The plain and the severity-weighted weekly series of every pair, as two matrices
    (pairs × ``HISTORY_WEEKS``, oldest week first), read in one query."""
    first = current - timedelta(weeks=HISTORY_WEEKS - 1)
    row = {pair: i for i, pair in enumerate(pairs)}
    counts = np.zeros((len(pairs), HISTORY_WEEKS))
    weighted = np.zeros((len(pairs), HISTORY_WEEKS))
    rows = buckets.filter(start__gte=first).values_list("region_id", "isu", "start", "count", "weighted")
    for code, isu, start, count, weight in rows.iterator(chunk_size=5000):
        i, week = row[(code, isu)], (start - first).days // 7
        counts[i, week] = count
        weighted[i, week] = weight
    return counts, weighted


def _weekly(
    region: Region,
    isu: str,
    current: date,
    counts: np.ndarray,
    weighted_all: np.ndarray,
    alarms: list[Detection],
    result: RunResult,
    first_week: int | None,
) -> None:
    known = engine.known_weeks(counts, first_week)
    weighted = weighted_all[weighted_all.size - known.size :]
    # The detector whose figures an event shows first (grouping.PREFERENCE): the first stored
    # starts the event and its sentence is the one announced; the weighted surge last.
    for detection in sorted(alarms, key=lambda d: grouping.preference_of(d.detector)):
        weeks = detection.weeks
        first = current - timedelta(weeks=weeks - 1)
        last = current + timedelta(days=6)
        recurrence = detection.recurrence_periods * 7 if detection.recurrence_periods else None
        if detection.detector.startswith("ears"):
            recurrence = None  # EARS has no probability model; the sentence names the threshold
        _store(
            region=region,
            isu=isu,
            period=Period.MINGGU,
            first=current,
            last=last,
            detector=detection.detector,
            covers_from=first,
            detection=detection,
            observed=detection.observed,
            expected=detection.expected,
            threshold=detection.threshold,
            p_value=detection.p_value,
            recurrence_days=recurrence,
            explanation=explain.weekly_sentence(
                region=region,
                isu=isu,
                detector=detection.detector,
                observed=detection.observed,
                expected=detection.expected,
                threshold=detection.threshold,
                recurrence_days=recurrence,
                weeks=weeks,
            ),
            report_ids=_reports(region.code, isu, first, last),
            details={"score": detection.score, "note": detection.note, "weeks": weeks},
            result=result,
        )
    for detection in engine.weighted_alarms(weighted, known) if known.size else []:
        last = current + timedelta(days=6)
        _store(
            region=region,
            isu=isu,
            period=Period.MINGGU,
            first=current,
            last=last,
            detector=detection.detector,
            series=SeriesKind.BERBOBOT,
            detection=detection,
            observed=detection.observed,
            expected=detection.expected,
            threshold=detection.threshold,
            p_value=None,
            recurrence_days=None,
            explanation=explain.weekly_sentence(
                region=region,
                isu=isu,
                detector=detection.detector,
                observed=detection.observed,
                expected=detection.expected,
                threshold=detection.threshold,
                recurrence_days=None,
                reports=int(known[-1]),
            ),
            report_ids=_reports(region.code, isu, current, last),
            details={
                "score": detection.score,
                "weights": WEIGHTS,
                "weeks": 1,
                "reports": int(known[-1]),  # for the sentence in another language
            },
            result=result,
        )


@dataclass
class _Villages:
    """A kabupaten's villages with centroids and their scan geometry, built once per run."""

    villages: list[Region]
    index: dict[str, int]
    geometry: ScanGeometry | None


def _villages(kabupaten: Region, cache: dict[str, _Villages]) -> _Villages:
    if kabupaten.code not in cache:
        villages = list(
            Region.objects.filter(
                code__startswith=kabupaten.code + ".",
                level=Level.DESA,
                latitude__isnull=False,
                longitude__isnull=False,
            ).order_by("code")
        )
        geometry = (
            ScanGeometry(
                [v.latitude or 0.0 for v in villages],
                [v.longitude or 0.0 for v in villages],
                engine.SCAN.max_radius_km,
            )
            if len(villages) >= 2
            else None
        )
        cache[kabupaten.code] = _Villages(villages, {v.code: i for i, v in enumerate(villages)}, geometry)
    return cache[kabupaten.code]


def _scan_cases(
    kabupaten: Region, isu: str, today: date, cache: dict[str, _Villages]
) -> list[tuple[int, int, int]] | None:
    """The verified reports of one kabupaten × isu in the scan's window as (report id, village
    index, day), or None when the scan cannot run or cannot signal (too few recent reports)."""
    scan = engine.SCAN
    first = today - timedelta(days=scan.study_days - 1)
    place = _villages(kabupaten, cache)
    if place.geometry is None:
        return None
    index = place.index
    rows = list(
        Report.objects.filter(
            region__code__startswith=kabupaten.code + ".",
            isu=isu,
            status=ReportStatus.TERVERIFIKASI,
            occurred_at__gte=_aware(first),
            occurred_at__lt=_aware(today + timedelta(days=1)),
        ).values_list("pk", "region_id", "occurred_at")
    )
    cases = [
        (pk, index[code], (timezone.localtime(when).date() - first).days)
        for pk, code, when in rows
        if code in index
    ]
    if engine.recent_cases([c[2] for c in cases]) < scan.min_observed:
        return None
    return cases


def _scan_jobs(
    scans: list[tuple[Region, str]], today: date, cache: dict[str, _Villages]
) -> tuple[list[tuple[Region, str, list[tuple[int, int, int]]]], list[engine.ScanInput]]:
    """Every kabupaten × isu that can signal, with its cases, and the scan's inputs for
    ``engine.detect_many`` (one per kabupaten, its isu in the order of the first list)."""
    wanted: dict[str, list[tuple[str, list[tuple[int, int, int]]]]] = {}
    kabupaten_of: dict[str, Region] = {}
    for kabupaten, isu in scans:
        cases = _scan_cases(kabupaten, isu, today, cache)
        if cases is not None:
            wanted.setdefault(kabupaten.code, []).append((isu, cases))
            kabupaten_of[kabupaten.code] = kabupaten
    scanned: list[tuple[Region, str, list[tuple[int, int, int]]]] = []
    jobs: list[engine.ScanInput] = []
    for code, per_isu in wanted.items():
        villages = cache[code].villages
        jobs.append(
            (
                [v.latitude or 0.0 for v in villages],
                [v.longitude or 0.0 for v in villages],
                [([c[1] for c in cases], [c[2] for c in cases]) for _isu, cases in per_isu],
            )
        )
        scanned += [(kabupaten_of[code], isu, cases) for isu, cases in per_isu]
    return scanned, jobs


def _store_clusters(
    kabupaten: Region,
    isu: str,
    today: date,
    cases: list[tuple[int, int, int]],
    clusters: list[Cluster],
    result: RunResult,
    cache: dict[str, _Villages],
) -> None:
    villages = cache[kabupaten.code].villages
    for cluster in clusters:
        centre = villages[cluster.centre]
        start = today - timedelta(days=cluster.days - 1)
        result.clusters += 1
        _store(
            region=centre,
            isu=isu,
            period=Period.HARI,
            first=start,
            last=today,
            detector="scan",
            detection=None,
            observed=cluster.observed,
            expected=cluster.expected,
            threshold=cluster.llr,
            p_value=cluster.p_value,
            recurrence_days=cluster.recurrence_days,
            explanation=explain.cluster_sentence(
                centre=centre,
                isu=isu,
                villages=len(cluster.locations),
                radius_km=cluster.radius_km,
                days=cluster.days,
                observed=cluster.observed,
                expected=cluster.expected,
                recurrence_days=cluster.recurrence_days,
            ),
            report_ids=[cases[i][0] for i in cluster.case_indices],
            details={
                "radius_km": round(cluster.radius_km, 2),
                "villages": [villages[i].code for i in cluster.locations],
                "llr": round(cluster.llr, 4),
                "replicates": cluster.replicates,
            },
            result=result,
        )


def _borrowed(
    pairs: list[tuple[str, str]],
    regions: dict[str, Region],
    counts: np.ndarray,
    first_week: int | None,
    within: Region | None = None,
) -> dict[int, Detection]:
    """Borrowed-strength alarms (``engine.borrowed_alarms_many``) by index in ``pairs``.

    Groups: a kecamatan's are the other kecamatan of its kabupaten (every one of them: the
    installation watches the whole kabupaten, so a kecamatan without reports is a known zero); a
    kabupaten's are the other kabupaten of its province that have a series (a kabupaten without
    any report may simply not be watched by this installation). Regions without a series of the
    isu get a row of zeros. A run ``within`` a region compares only the regions inside it (whose
    counts it read): a group cut short below 3 regions judges nothing."""
    if not pairs:
        return {}
    row_of = {pair: i for i, pair in enumerate(pairs)}
    kabupaten = sorted({code for code, _ in pairs if regions[code].level == Level.KABUPATEN})
    parents_of_kecamatan = {
        code.rsplit(".", 1)[0] for code, _ in pairs if regions[code].level == Level.KECAMATAN
    }
    members: dict[str, list[str]] = {}
    for code in (
        Region.objects.filter(level=Level.KECAMATAN, parent_id__in=parents_of_kecamatan)
        .order_by("code")
        .values_list("code", flat=True)
    ):
        if within is None or code == within.code or code.startswith(within.code + "."):
            members.setdefault(code.rsplit(".", 1)[0], []).append(code)
    for code in kabupaten:
        members.setdefault(code.rsplit(".", 1)[0], []).append(code)
    isus_of: dict[str, set[str]] = {}
    for code, isu in pairs:
        isus_of.setdefault(code.rsplit(".", 1)[0], set()).add(isu)
    region_index: dict[str, int] = {}
    source: list[int] = []  # the row of ``counts`` (or -1: zeros) of each row of the group matrix
    region_of: list[int] = []
    group_of: list[int] = []
    group = 0
    for parent in sorted(members):
        for isu in sorted(isus_of.get(parent, ())):
            for code in members[parent]:
                source.append(row_of.get((code, isu), -1))
                region_of.append(region_index.setdefault(code, len(region_index)))
                group_of.append(group)
            group += 1
    if not source:
        return {}
    index = np.array(source)
    matrix = np.zeros((index.size, counts.shape[1]))
    matrix[index >= 0] = counts[index[index >= 0]]
    found = engine.borrowed_alarms_many(matrix, np.array(region_of), np.array(group_of), first_week)
    return {int(index[row]): detection for row, detection in found.items() if index[row] >= 0}


def run_detection(today: date | None = None, within: Region | None = None) -> RunResult:
    """Refresh the series and run every detector for the week containing ``today`` (WITA)."""
    today = today or timezone.localdate()
    # The death rule first (it also runs every half minute in the worker: deaths.py).
    deaths = raise_death_signals()
    refresh_series()
    current = week_start(today)
    result = RunResult(
        created=deaths.get("created", 0), updated=deaths.get("updated", 0) + deaths.get("joined", 0)
    )
    buckets = CountBucket.objects.filter(
        period=Period.MINGGU, region__level__in=[Level.KECAMATAN, Level.KABUPATEN], start__lte=current
    )
    if within is not None:
        buckets = buckets.filter(region__code__startswith=within.code)
    pairs = sorted(set(buckets.values_list("region_id", "isu")))
    regions = Region.objects.in_bulk({code for code, _ in pairs})
    counts, weighted = _all_weekly(pairs, current, buckets)
    # Every series is observed from the installation's first day on (known zeros before a
    # region's first report): its index in the matrix, whose first week is HISTORY_WEEKS back.
    start = observed_from()
    first_week = None
    if start is not None:
        first_week = max(0, (week_start(start) - (current - timedelta(weeks=HISTORY_WEEKS - 1))).days // 7)
    # The scans' reports are read first, so that the weekly detectors (the guards over the whole
    # matrix, the detectors only on series that can alarm) and the scans share the processes:
    # WASPADA_DETECTION_PROCESSES of them (no database there) when the run covers PARALLEL_FROM
    # kabupaten or more. The signals are stored here: weekly first, then the scan's clusters.
    cache: dict[str, _Villages] = {}
    scans = [(regions[code], isu) for code, isu in pairs if regions[code].level == Level.KABUPATEN]
    scanned, jobs = _scan_jobs(scans, today, cache)
    processes = settings.WASPADA_DETECTION_PROCESSES if len(jobs) >= engine.PARALLEL_FROM else 1
    alarms, found = engine.detect_many(counts, first_week, jobs, processes)
    for i, detection in _borrowed(pairs, regions, counts, first_week, within).items():
        alarms[i].append(detection)
    result.series = len(pairs)
    # Kecamatan first, then kabupaten: an event is named after the smallest region that alarms.
    order = sorted(range(len(pairs)), key=lambda i: regions[pairs[i][0]].level != Level.KECAMATAN)
    for i in order:
        code, isu = pairs[i]
        if alarms[i] or counts[i, -1] >= engine.MIN_OBSERVED:  # (weighted surge needs a busy week)
            _weekly(regions[code], isu, current, counts[i], weighted[i], alarms[i], result, first_week)
    per_scan = (clusters for per_isu in found for clusters in per_isu)
    for (kabupaten, isu, cases), found_here in zip(scanned, per_scan, strict=True):
        _store_clusters(kabupaten, isu, today, cases, found_here, result, cache)
    logger.info("detection run: %s", result)
    return result
