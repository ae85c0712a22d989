"""A new installation, without a day of history (``waspada demo --tanpa-riwayat``): the weekly
detectors have nothing to compare with yet, but the report of a killing filed yesterday is a
signal at the first detection run, saying so and why."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from waspada.detection.models import Signal
from waspada.reports.models import IdempotencyRecord, ReportStatus


@pytest.mark.django_db(transaction=True)
def test_the_demo_without_history_signals_yesterdays_killing_at_the_first_run() -> None:
    call_command("demo", no_serve=True, tanpa_riwayat=True, stdout=io.StringIO())
    killing = IdempotencyRecord.objects.get(key="demo-09").report
    assert killing is not None and killing.status == ReportStatus.BARU  # not verified yet

    said = io.StringIO()
    call_command("detect", stdout=said)
    assert "1 sinyal baru" in said.getvalue()

    signal = Signal.objects.get(detector="kematian")
    assert list(signal.reports.all()) == [killing]
    assert signal.explanation.startswith("Laporan kriminalitas di ")
    assert "menyebut 1 orang meninggal (1 laporan, belum diverifikasi). Aturan: setiap laporan" in (
        signal.explanation
    )
    # Nothing else can alarm yet: every weekly detector needs 15 observed weeks.
    assert set(Signal.objects.values_list("detector", flat=True)) <= {"kematian", "scan"}
