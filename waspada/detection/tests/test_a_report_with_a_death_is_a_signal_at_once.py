"""The death rule: a report that says someone died is a signal of its own within half a minute,
before it is verified, once per event, and withdrawn when its reports are rejected."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from waspada.audit.models import AuditEntry
from waspada.core.periodic import REGISTRY
from waspada.detection.deaths import raise_death_signals
from waspada.detection.detect import run_detection
from waspada.detection.models import Period, Signal, SignalStatus
from waspada.notify.events import Kind
from waspada.notify.models import Event
from waspada.reports.actions import reject_report, update_casualties, verify_report
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db(transaction=True)

LOMBOK = "64.01.06.2006"  # Desa Lombok, Kec. Long Ikis: where the factory files a report
MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()


def _yesterday_at(hour: int) -> datetime:
    day = timezone.localdate() - timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _killing(reporter, dead: int | None, **overrides):
    values = {
        "isu": "agraria_warga",
        "alert_level": "siaga",
        "title": "Bentrok warga soal lahan",
        "occurred_at": _yesterday_at(10),
        "casualties_dead": dead,
    }
    values.update(overrides)
    return submit(reporter, **values).report


def _said(day) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def test_an_unverified_report_with_two_dead_becomes_a_signal_with_the_rule_in_its_sentence(
    desa_reporter, kesbangpol_analyst
) -> None:
    report = _killing(desa_reporter, 2)

    assert raise_death_signals() == {"created": 1}

    signal = Signal.objects.get()
    day = timezone.localdate() - timedelta(days=1)
    assert (signal.detector, signal.region_id, signal.isu, signal.period) == (
        "kematian",
        LOMBOK,
        "agraria_warga",
        Period.HARI,
    )
    assert (signal.period_start, signal.period_end) == (day, day)
    assert (signal.observed, signal.expected, signal.threshold) == (2, 0, 1)
    assert list(signal.reports.all()) == [report]
    assert signal.explanation == (
        f"Laporan sengketa lahan antarwarga di Desa Lombok pada {_said(day)} menyebut 2 orang meninggal "
        "(1 laporan, belum diverifikasi). Aturan: setiap laporan dengan korban meninggal langsung menjadi "
        "sinyal, tanpa menunggu hitungan mingguan (seperti ACLED, yang mencatat setiap kejadian dengan "
        "korban jiwa)."
    )
    # Audited and announced to the TKD in the same transaction, as every signal.
    assert AuditEntry.objects.filter(action="signal.created", object_id=str(signal.pk)).exists()
    assert Event.objects.filter(kind=Kind.SIGNAL, dedupe_key=f"signal:{signal.pk}").exists()
    assert Signal.objects.visible_to(kesbangpol_analyst).filter(pk=signal.pk).exists()


def test_a_second_report_of_the_same_killing_joins_the_first_signal(
    desa_reporter, kesbangpol_analyst
) -> None:
    first = _killing(desa_reporter, 2)
    raise_death_signals()
    second = _killing(desa_reporter, 3, title="Dua warga tewas, satu lagi meninggal di rumah sakit")
    verify_report(report=first, by=kesbangpol_analyst)

    assert raise_death_signals() == {"joined": 1, "updated": 1}

    signal = Signal.objects.get()
    assert set(signal.reports.all()) == {first, second}
    # The largest toll any report states, not the sum: both report the same dead.
    assert signal.observed == 3
    assert "menyebut 3 orang meninggal (2 laporan, 1 sudah diverifikasi)" in signal.explanation
    assert Event.objects.filter(kind=Kind.SIGNAL).count() == 1
    # Nothing new on the next run, and the hourly detection run raises nothing more.
    assert raise_death_signals() == {}
    run_detection()
    assert Signal.objects.filter(detector="kematian").count() == 1


def test_no_signal_without_a_stated_death_or_for_an_old_event(desa_reporter) -> None:
    _killing(desa_reporter, None)  # not known
    _killing(desa_reporter, 0, title="Bentrok tanpa korban jiwa")
    _killing(desa_reporter, 1, title="Kejadian lama", occurred_at=timezone.now() - timedelta(days=31))

    assert raise_death_signals() == {"none": 1}
    assert not Signal.objects.exists()


def test_rejecting_every_report_withdraws_the_signal_and_verifying_brings_it_back(
    desa_reporter, kesbangpol_analyst
) -> None:
    report = _killing(desa_reporter, 1)
    raise_death_signals()
    reject_report(report=report, by=kesbangpol_analyst, reason="Hoaks: korban ternyata selamat")

    assert raise_death_signals() == {"withdrawn": 1}
    signal = Signal.objects.get()
    assert signal.status == SignalStatus.DIABAIKAN
    assert signal.review_reason.startswith("Ditarik otomatis")
    assert AuditEntry.objects.filter(action="signal.withdrawn", object_id=str(signal.pk)).exists()
    client = Client()
    client.force_login(kesbangpol_analyst)
    page = client.get(f"/deteksi/{signal.pk}/").content.decode()
    assert (
        "Ditarik otomatis: tidak ada lagi laporan di balik sinyal ini yang menyebut korban meninggal" in page
    )

    verify_report(report=report, by=kesbangpol_analyst)
    assert raise_death_signals() == {"updated": 1}
    signal.refresh_from_db()
    assert signal.status == SignalStatus.BARU
    assert "(1 laporan, sudah diverifikasi)" in signal.explanation


def test_a_reviewed_signal_keeps_the_analysts_decision(desa_reporter, kesbangpol_analyst) -> None:
    report = _killing(desa_reporter, 1)
    raise_death_signals()
    Signal.objects.update(status=SignalStatus.DIKONFIRMASI)
    reject_report(report=report, by=kesbangpol_analyst, reason="Salah lokasi")

    assert raise_death_signals() == {"kept": 1}
    assert Signal.objects.get().status == SignalStatus.DIKONFIRMASI


def test_the_worker_applies_the_rule_every_half_minute() -> None:
    assert REGISTRY["detection.deaths"].every == timedelta(seconds=30)


def test_the_sentence_is_said_again_in_english(desa_reporter) -> None:
    _killing(desa_reporter, 2)
    raise_death_signals()
    signal = Signal.objects.get()
    day = signal.period_start
    with translation.override("en"):
        said = signal.explanation_text
    assert said == (
        f"Reports of land disputes between residents in Village Lombok on {day.day} {day.strftime('%B')} "
        f"{day.year} state 2 dead (1 report, not yet verified). Rule: every report with a death is a signal "
        "at once, without waiting for the weekly counts (as ACLED records every event with a fatality)."
    )


def test_a_toll_the_analyst_raises_to_one_dead_is_a_signal_and_a_death_denied_withdraws_it(
    desa_reporter, kesbangpol_analyst
) -> None:
    report = _killing(desa_reporter, None)
    assert raise_death_signals() == {}

    update_casualties(
        report=report,
        by=kesbangpol_analyst,
        dead=1,
        injured=None,
        displaced=None,
        reason="Korban meninggal di RSUD",
    )
    assert raise_death_signals() == {"created": 1}
    assert Signal.objects.get().observed == 1

    update_casualties(
        report=report,
        by=kesbangpol_analyst,
        dead=0,
        injured=2,
        displaced=None,
        reason="Korban ternyata selamat",
    )
    assert raise_death_signals() == {"withdrawn": 1}
    assert Signal.objects.get().status == SignalStatus.DIABAIKAN


def test_the_signals_chart_counts_reports_of_deaths_against_the_rules_threshold_of_one(
    desa_reporter, kesbangpol_analyst
) -> None:
    _killing(desa_reporter, 2)  # not verified: the rule looks at it all the same
    raise_death_signals()
    signal = Signal.objects.get()
    client = Client()
    client.force_login(kesbangpol_analyst)
    page = client.get(f"/deteksi/{signal.pk}/").content.decode()

    chart = page.split('id="series-chart"')[1].split("</svg>")[0]
    this_week = (timezone.localdate() - timedelta(days=1)).toordinal()
    week = datetime.fromordinal(this_week - (this_week - 1) % 7).date()  # its Monday
    assert f'<g class="week alarm" data-week="{week.isoformat()}">' in chart
    assert "1 laporan, ambang 1" in chart  # the week's tooltip: one report of a death, threshold 1
    assert 'class="expected"' not in chart  # the rule has no expected value
    assert 'class="threshold"' in chart
    assert "laporan yang menyebut korban meninggal per minggu" in page
    assert "ambangnya 1 laporan tiap minggu" in page
    assert "EARS C2" not in page.split('id="chart-note"')[1].split("</p>")[0]
