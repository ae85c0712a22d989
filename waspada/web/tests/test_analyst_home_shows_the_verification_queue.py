"""The analyst's home page puts the reports waiting for verification in order of urgency."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from waspada.reports.models import Report
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


def _due_in(report: Report, span: timedelta) -> None:
    Report.objects.filter(pk=report.pk).update(verify_due_at=timezone.now() + span)


def _home(person) -> str:
    client = Client()
    client.force_login(person)
    return client.get("/").content.decode()


def test_late_reports_come_first_then_by_deadline_with_time_left_and_place_names(personas) -> None:
    reporter = personas.desa_reporter
    soon = submit(reporter, title="Normal yang hampir habis waktunya", alert_level="normal").report
    later = submit(reporter, title="Waspada yang masih lama", alert_level="waspada").report
    late = submit(reporter, title="Siaga yang sudah terlambat", alert_level="siaga").report
    _due_in(soon, timedelta(minutes=40, seconds=30))
    _due_in(later, timedelta(hours=20, minutes=30))
    _due_in(late, -timedelta(hours=2, minutes=5))
    page = _home(personas.kesbangpol_analyst)
    assert "Antrean verifikasi" in page
    order = [page.index(title) for title in (late.title, soon.title, later.title)]
    assert order == sorted(order)
    assert "terlambat 2 jam" in page
    assert "sisa 40 menit" in page and "sisa 20 jam" in page
    assert "Desa Lombok, Kecamatan Long Ikis" in page
    assert "64.01.06.2006" not in page
    assert "1 terlambat" in page


def test_the_queue_is_for_the_tkd_only(personas) -> None:
    submit(personas.desa_reporter, title="Laporan menunggu verifikasi")
    assert "Antrean verifikasi" in _home(personas.tkd_head)
    for person in (personas.desa_reporter, personas.fkub_officer, personas.regent):
        assert "Antrean verifikasi" not in _home(person)


def test_the_queue_page_lists_every_waiting_report(personas) -> None:
    for n in range(3):
        submit(personas.desa_reporter, title=f"Laporan antre nomor {n}")
    client = Client()
    client.force_login(personas.kesbangpol_analyst)
    page = client.get("/laporan/verifikasi/").content.decode()
    assert all(f"Laporan antre nomor {n}" in page for n in range(3))
