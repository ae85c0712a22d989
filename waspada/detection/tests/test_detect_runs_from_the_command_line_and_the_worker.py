from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from waspada.core.periodic import REGISTRY, run_now


def test_waspada_detect_explains_bad_arguments_in_indonesian(paser) -> None:
    with pytest.raises(CommandError, match="--tanggal: bukan tanggal"):
        call_command("detect", tanggal="kemarin")
    with pytest.raises(CommandError, match=r"--wilayah: kode wilayah '99\.99' tidak dikenal"):
        call_command("detect", wilayah="99.99")


def test_waspada_detect_runs_and_reports_what_it_did(paser, capsys) -> None:
    call_command("detect", tanggal="2026-11-30", wilayah="64.01", bangun_ulang=True)
    assert "deret dinilai" in capsys.readouterr().out


def test_the_worker_runs_detection_every_hour(paser) -> None:
    assert REGISTRY["detection.detect"].every.total_seconds() == 3600
    assert "new signals" in str(run_now("detection.detect"))
