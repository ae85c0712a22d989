"""Rule 13 on the signals page: the Bupati may not open a signal (only the TKD's senior roles
review them), but a signal in his jurisdiction is counted for him, never a bare "no signal"
while Kesbangpol has one under review (found walking the demo: his wall said one signal, his
/deteksi/ said none)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from waspada.detection.models import Signal

pytestmark = pytest.mark.django_db


def _signal(region_code: str) -> Signal:
    today = timezone.localdate()
    return Signal.objects.create(
        region_id=region_code,
        isu="narkoba",
        period_start=today,
        period_end=today,
        detector="farrington",
        observed=9,
        expected=2,
        threshold=6,
        explanation="Laporan narkoba minggu ini 9, biasanya 2.",
    )


def _page(person) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person)
    response = client.get("/deteksi/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_regent_is_told_a_signal_of_his_regency_is_under_review(personas, paser) -> None:  # type: ignore[no-untyped-def]
    _signal("64.01.06")
    page = _page(personas.regent)
    assert 'data-withheld-signals="1"' in page
    assert "1 sinyal di wilayah Anda" in page
    assert "Tidak ada sinyal." not in page
    assert "Laporan narkoba minggu ini" not in page  # counted, not shown


def test_a_signal_outside_his_jurisdiction_is_not_counted_for_him(personas, paser, kaltim) -> None:  # type: ignore[no-untyped-def]
    _signal("64.09")  # Penajam Paser Utara
    page = _page(personas.regent)
    assert "data-withheld-signals" not in page
    assert "Tidak ada sinyal." in page


def test_the_analyst_sees_the_signal_itself_and_no_count(personas, paser) -> None:  # type: ignore[no-untyped-def]
    _signal("64.01.06")
    page = _page(personas.kesbangpol_analyst)
    assert "Laporan narkoba minggu ini" in page
    assert "data-withheld-signals" not in page


def test_only_those_who_review_are_asked_to_review(personas, paser) -> None:  # type: ignore[no-untyped-def]
    _signal("64.01.06")
    assert "Tinjau setiap sinyal" not in _page(personas.regent)
    assert "Tim Kewaspadaan Dini meninjau setiap sinyal." in _page(personas.regent)
    analyst = _page(personas.kesbangpol_analyst)
    assert "Tinjau setiap sinyal: konfirmasi, atau abaikan dengan alasan." in analyst
    assert "Tim Kewaspadaan Dini meninjau setiap sinyal" not in analyst


def test_every_detector_is_said_in_plain_words(personas, paser) -> None:  # type: ignore[no-untyped-def]
    from waspada.detection.models import DETECTOR_GLOSS, Detector

    _signal("64.01.06")
    page = _page(personas.kesbangpol_analyst)
    glossary = page.split('id="detector-glossary"')[1].split("</details>")[0]
    assert set(DETECTOR_GLOSS) == set(Detector)
    for detector in Detector:
        assert f"<dt>{detector.label}</dt>" in glossary
    assert "sama pada tahun-tahun sebelumnya" in glossary  # Farrington, said as what it compares
