"""Readiness: from when each detector can alarm, and why not yet, said on /deteksi/."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from waspada.detection.history import import_history
from waspada.detection.readiness import readiness
from waspada.detection.series import week_start

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_regency_live_since_this_week_can_only_use_the_death_rule_and_the_scan(paser, settings) -> None:
    today = date(2026, 12, 9)  # a Wednesday; its week starts Monday 7 Dec
    settings.WASPADA_DETECTION_OBSERVED_FROM = "2026-12-07"
    ready = readiness(today)
    assert ready.known_weeks == 1
    assert [d.detector for d in ready.ready_now] == ["kematian", "scan"]
    by_name = {d.detector: d for d in ready.detectors}
    # 15 known weeks for EARS: weeks 1…15 are 7 Dec … 15 Mar; 79 for Farrington: 7 Dec + 78 weeks.
    assert by_name["ears_c1"].ready_from == date(2027, 3, 15)
    assert by_name["borrowed"].ready_from == date(2027, 1, 4)  # 4 reference weeks + this one
    assert by_name["farrington"].ready_from == date(2026, 12, 7) + timedelta(weeks=78) == date(2028, 6, 5)
    assert ready.full_from == date(2028, 6, 5)
    sentence = ready.sentence()
    assert sentence.startswith("Deteksi statistik penuh mulai 5 Jun 2028")
    assert "Laporan dengan korban meninggal" in sentence and "EARS" not in sentence


def test_a_year_of_imported_history_makes_ears_and_borrowed_strength_ready_at_once(paser, settings) -> None:
    today = timezone.localdate()
    this_week = week_start(today)
    settings.WASPADA_DETECTION_OBSERVED_FROM = this_week.isoformat()
    rows = ["tanggal,kode_wilayah,isu,tingkat"] + [
        f"{(this_week - timedelta(weeks=w)).isoformat()},64.01.06,agraria_warga,waspada"
        for w in range(2, 53, 5)
    ]
    import_history("\n".join(rows).encode(), actor=None)
    ready = readiness(today)
    assert ready.known_weeks == 53
    now = {d.detector for d in ready.ready_now}
    assert {"ears_c1", "ears_c2", "ears_c3", "surge", "borrowed"} <= now
    assert not {"change_level", "nb_cusum", "farrington"} & now
    assert ready.borrowing_isus == ["Agraria: antarwarga atau antardesa"]
    assert {d.detector: d.ready_from for d in ready.detectors}["change_level"] == this_week + timedelta(
        weeks=3
    )


def test_the_signal_page_of_a_new_installation_says_why_it_is_silent(
    paser, kesbangpol_analyst, settings
) -> None:
    settings.WASPADA_DETECTION_OBSERVED_FROM = week_start(timezone.localdate()).isoformat()
    client = Client()
    client.force_login(kesbangpol_analyst)
    page = client.get("/deteksi/").content.decode()
    assert "Tidak ada sinyal." in page
    assert "data-readiness-sentence" in page and "Deteksi statistik penuh mulai" in page
    assert 'data-detector="farrington" data-ready="0"' in page
    assert 'data-detector="kematian" data-ready="1"' in page
