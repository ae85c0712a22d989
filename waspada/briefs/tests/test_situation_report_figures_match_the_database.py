"""The weekly situation report's figures, read back from the PDF with pdftotext, are the database's."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from waspada.briefs.actions import brief_path, create_situation_brief
from waspada.briefs.periods import Period
from waspada.briefs.tests.helpers import at, last_week, load_boundaries, pdf_text
from waspada.regions.models import Region
from waspada.reports.actions import reject_report, verify_report
from waspada.reports.models import Report, ReportStatus
from waspada.reports.taxonomy import Isu
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, TANAH_GROGOT, submit
from waspada.response.models import Disposition

pytestmark = pytest.mark.django_db


def _row(text: str, label: str) -> tuple[int, int, str]:
    found = re.search(rf"^\s*{re.escape(label)}\s+(\d+)\s+(\d+)\s+([+-]?\d+)\s*$", text, re.MULTILINE)
    assert found, f"no row for {label!r} in:\n{text}"
    return int(found.group(1)), int(found.group(2)), found.group(3)


def _file(reporter: object, when: object, **fields: object) -> Report:
    return submit(reporter, reported_at=when, occurred_at=when - timedelta(hours=1), **fields).report


@pytest.fixture
def week(personas: object) -> Period:
    load_boundaries()
    return last_week()


def test_counts_by_isu_and_kecamatan_and_their_change_are_those_of_the_database(personas, week):
    reporter, analyst = personas.desa_reporter, personas.kesbangpol_analyst
    before = week.previous()
    for day in range(3):
        _file(reporter, at(week.start + timedelta(days=day)), isu="agraria_korporasi")
    for _ in range(2):
        _file(reporter, at(week.end, 9), isu="narkoba", region_code=TANAH_GROGOT)
    rejected = _file(reporter, at(week.start), isu="narkoba")
    reject_report(report=rejected, by=analyst, reason="Laporan ganda")
    _file(reporter, at(before.start + timedelta(days=2)), isu="agraria_korporasi")
    _file(reporter, at(before.end), isu="bencana", region_code=TANAH_GROGOT)
    # After the period, not counted. Before 10:00 WITA on a Monday, 10:00 is still to come and a report
    # cannot be dated in the future: take the present moment, which is after the period too.
    _file(reporter, min(at(week.end + timedelta(days=1)), timezone.now()), isu="bencana")

    brief = create_situation_brief(period=week, recipient=analyst, by=analyst)
    text = pdf_text(brief_path(brief).read_bytes())

    start, end = week.bounds()
    prev_start, _ = before.bounds()
    visible = Report.objects.visible_to(analyst).exclude(status=ReportStatus.DITOLAK)
    now_counts = dict(
        visible.filter(reported_at__gte=start, reported_at__lt=end).values_list("isu").annotate(n=Count("pk"))
    )
    then_counts = dict(
        visible.filter(reported_at__gte=prev_start, reported_at__lt=start)
        .values_list("isu")
        .annotate(n=Count("pk"))
    )
    assert now_counts == {"agraria_korporasi": 3, "narkoba": 2}  # the rejected one left out
    labels = dict(Isu.choices)
    for isu in set(now_counts) | set(then_counts):
        current, previous = now_counts.get(isu, 0), then_counts.get(isu, 0)
        change = current - previous
        assert _row(text, str(labels[isu])) == (
            current,
            previous,
            f"+{change}" if change > 0 else str(change),
        )
    assert _row(text, str(labels["bencana"])) == (0, 1, "-1")

    long_ikis = Region.objects.get(code=LONG_IKIS_VILLAGE).parent
    tanah_grogot = Region.objects.get(code=TANAH_GROGOT)
    assert _row(text, long_ikis.name) == (3, 1, "+2")
    assert _row(text, tanah_grogot.name) == (2, 1, "+1")
    assert "tercatat 5 laporan yang diterima (periode sebelumnya 2; naik 150%)" in " ".join(text.split())


def test_the_number_of_overdue_dispositions_is_the_database_count(personas, week):
    reporter, analyst = personas.desa_reporter, personas.kesbangpol_analyst
    for _ in range(2):
        report = _file(reporter, at(week.start), isu="agama", alert_level="siaga")
        verify_report(report=report, by=analyst)
    late = Disposition.objects.filter(kind="tindakan").order_by("pk")
    assert late.exists()
    Disposition.objects.filter(pk=late.first().pk).update(due_at=at(week.start, 12))

    brief = create_situation_brief(period=week, recipient=analyst, by=analyst)
    flat = " ".join(pdf_text(brief_path(brief).read_bytes()).split())

    overdue = Disposition.objects.visible_to(analyst).overdue().count()
    still_open = Disposition.objects.visible_to(analyst).open().count()
    assert overdue == 1
    assert f"Disposisi terbuka: {still_open}. Melewati batas waktu: {overdue}." in flat
    assert f"{still_open} disposisi masih terbuka dan {overdue} di antaranya melewati batas waktu" in flat
