"""A synthetic outbreak on top of a steady history raises a signal with the right sentence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from waspada.audit.models import AuditEntry
from waspada.detection.detect import run_detection
from waspada.detection.models import CountBucket, Signal
from waspada.detection.series import rebuild_series, refresh_series, week_start
from waspada.detection.testing import history
from waspada.notify.events import Kind
from waspada.notify.models import Event
from waspada.reports.actions import reject_report, verify_report
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit

pytestmark = pytest.mark.django_db(transaction=True)

STEADY = [2, 1, 3, 2, 2, 1, 2, 3, 2, 2] * 9  # 90 weeks, mean 2


def outbreak(desa_reporter, analyst, n: int = 9):
    reports = []
    for i in range(n):
        report = submit(
            desa_reporter,
            isu="agraria_warga",
            title=f"Sengketa lahan {i}",
            occurred_at=timezone.now() - timedelta(minutes=30 + i),
        ).report
        verify_report(report=report, by=analyst)
        reports.append(report)
    return reports


def test_an_outbreak_of_land_disputes_in_long_ikis_raises_a_farrington_signal(
    desa_reporter, kesbangpol_analyst
) -> None:
    today = timezone.localdate()
    history(
        reporter=desa_reporter,
        region_code=LONG_IKIS_VILLAGE,
        isu="agraria_warga",
        weekly=STEADY,
        current=today,
    )
    rebuild_series()
    reports = outbreak(desa_reporter, kesbangpol_analyst)
    result = run_detection(today)

    assert result.created >= 1
    signal = Signal.objects.get(region_id="64.01.06", isu="agraria_warga", detector="farrington")
    assert signal.observed == 9
    assert 1.5 < signal.expected < 2.6
    assert signal.explanation.startswith(
        "Laporan sengketa lahan antarwarga di Kec. Long Ikis minggu ini 9, biasanya 2;"
    )
    # P(Y >= 9) under the fitted baseline (about 1.9, phi 1) is ~1.7e-4 a week: rarer than once a century.
    assert signal.explanation.endswith(
        "kejadian sebesar ini secara kebetulan diperkirakan lebih jarang dari sekali dalam 100 tahun."
    )
    assert signal.p_value is not None and signal.p_value < 0.005
    assert signal.recurrence_days == pytest.approx(7 / signal.p_value)
    assert set(signal.reports.values_list("pk", flat=True)) == {r.pk for r in reports}
    assert signal.period_start == week_start(today)
    # One signal for the event: Farrington is one of the detectors that agree, and the event
    # shows its figures (grouping.PREFERENCE).
    event = signal.event or signal
    assert event.headline == signal
    assert Signal.objects.events().filter(isu="agraria_warga").count() == 1
    assert {d.detector for d in event.detections()} >= {"farrington", "ears_c1", "surge"}
    # Announced once, by an event written with the signal (notify.events.emit in the run's transaction).
    told = Event.objects.get(kind=Kind.SIGNAL, dedupe_key=f"signal:{event.pk}")
    assert list(told.persons.all()) == [kesbangpol_analyst]
    assert AuditEntry.objects.filter(action="signal.created", object_id=str(event.pk)).count() == 1
    assert Event.objects.filter(kind=Kind.SIGNAL).count() == 1

    # Running again the same week updates nothing new and creates no duplicate.
    again = run_detection(today)
    assert again.created == 0
    assert (
        Signal.objects.filter(region_id="64.01.06", isu="agraria_warga", detector="farrington").count() == 1
    )
    assert Event.objects.filter(kind=Kind.SIGNAL).count() == Signal.objects.events().count() == 1


class Crash(Exception):
    pass


def test_a_run_that_rolls_back_leaves_neither_signal_nor_announcement(
    desa_reporter, kesbangpol_analyst
) -> None:
    today = timezone.localdate()
    history(
        reporter=desa_reporter,
        region_code=LONG_IKIS_VILLAGE,
        isu="agraria_warga",
        weekly=STEADY,
        current=today,
    )
    rebuild_series()
    outbreak(desa_reporter, kesbangpol_analyst)
    # The process dies after the signals are written but before the commit.
    with pytest.raises(Crash), transaction.atomic():
        assert run_detection(today).created >= 1
        assert Event.objects.filter(kind=Kind.SIGNAL).exists()
        raise Crash
    assert not Signal.objects.exists()
    assert not Event.objects.filter(kind=Kind.SIGNAL).exists()

    # The next run finds the outbreak again and announces each signal it creates, once.
    result = run_detection(today)
    assert result.created >= 1
    assert Event.objects.filter(kind=Kind.SIGNAL).count() == Signal.objects.events().count() == result.created


def test_a_steady_history_raises_no_signal(desa_reporter) -> None:
    today = timezone.localdate()
    history(
        reporter=desa_reporter,
        region_code=LONG_IKIS_VILLAGE,
        isu="agraria_warga",
        weekly=[*STEADY, 2],
        current=today + timedelta(days=7),
    )
    rebuild_series()
    run_detection(today)
    assert not Signal.objects.filter(detector="farrington").exists()


def test_a_late_report_corrects_the_week_it_happened_in(desa_reporter, kesbangpol_analyst) -> None:
    rebuild_series()
    three_weeks_ago = timezone.now() - timedelta(weeks=3)
    report = submit(desa_reporter, isu="narkoba", occurred_at=three_weeks_ago).report
    refresh_series()
    week = week_start(timezone.localtime(three_weeks_ago).date())
    assert not CountBucket.objects.filter(region_id="64.01.06", isu="narkoba").exists()  # not verified yet
    verify_report(report=report, by=kesbangpol_analyst)
    refresh_series()
    for code in ("64.01.06.2006", "64.01.06", "64.01"):
        bucket = CountBucket.objects.get(region_id=code, isu="narkoba", period="minggu")
        assert bucket.start == week and bucket.count == 1 and bucket.weighted == 2  # waspada weighs 2
    # Rejected after all: the buckets empty again.
    reject_report(report=report, by=kesbangpol_analyst, reason="Laporan ganda")
    refresh_series()
    assert not CountBucket.objects.filter(isu="narkoba").exists()
    # And the incremental path agrees with a rebuild from scratch.
    before = sorted(CountBucket.objects.values_list("region_id", "isu", "period", "start", "count"))
    rebuild_series()
    assert sorted(CountBucket.objects.values_list("region_id", "isu", "period", "start", "count")) == before


def test_a_new_signal_is_told_to_the_tkd_analyst_in_the_app_and_to_no_one_else(
    desa_reporter, kesbangpol_analyst, fkub_officer
) -> None:
    from waspada.notify.fanout import fan_out
    from waspada.notify.models import Delivery, Event, Notification

    today = timezone.localdate()
    history(
        reporter=desa_reporter,
        region_code=LONG_IKIS_VILLAGE,
        isu="agraria_warga",
        weekly=STEADY,
        current=today,
    )
    rebuild_series()
    outbreak(desa_reporter, kesbangpol_analyst)
    run_detection(today)
    signal = Signal.objects.get(region_id="64.01.06", isu="agraria_warga", detector="farrington")
    signal = signal.event or signal
    events = Event.objects.filter(kind="signal.detected", url=f"/deteksi/{signal.pk}/")
    assert events.count() == 1  # queued for the worker on commit; the worker's step, run here:
    fan_out(events.get().pk)

    told = Notification.objects.filter(event__in=events)
    assert set(told.values_list("person_id", flat=True)) == {kesbangpol_analyst.pk}
    event = told.get().event
    assert event.body == signal.explanation and event.url == f"/deteksi/{signal.pk}/"
    # The TKD's own analysis goes to no room and no webhook.
    assert not Delivery.objects.filter(event=event, recipient__startswith="room:").exists()
    assert not Delivery.objects.filter(event=event, recipient__startswith="webhook:").exists()
