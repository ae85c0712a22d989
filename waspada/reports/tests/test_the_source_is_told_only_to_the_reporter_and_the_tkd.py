"""Rule 12 (reports/visibility.py): a report's source description often names the source; the
reporter and the senior roles of the TKDs over the report read it on the report page, in the API
and in the incident PDF; a forum the report is shared with reads "dirahasiakan" in its place, and
the source's grading stays."""

from __future__ import annotations

from typing import Any

from django.test import Client

from waspada.briefs.tests.helpers import pdf_text
from waspada.forums.models import Forum
from waspada.reports.actions import share_report
from waspada.reports.tests.factories import submit

SOURCE = "Pak Rudi, ketua RT 03 Desa Lombok (saksi langsung)"


def _client(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _what_each_reads(person: Any, reference: str) -> tuple[str, str, str]:
    client = _client(person)
    page = client.get(f"/laporan/{reference}/")
    api = client.get(f"/api/v1/reports/{reference}")
    pdf = client.get(f"/ringkasan/laporan/{reference}.pdf")
    assert (page.status_code, api.status_code, pdf.status_code) == (200, 200, 200), person.username
    return page.content.decode(), api.json()["source_description"], pdf_text(pdf.content, layout=False)


def test_the_reporter_and_the_analyst_read_the_source_a_shared_forum_does_not(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any
) -> None:
    report = submit(desa_reporter, source_description=SOURCE, source_reliability="B").report
    share_report(report=report, forum=Forum.objects.get(code="FKUB-6401"), by=kesbangpol_analyst)
    for person in (desa_reporter, kesbangpol_analyst):
        page, api, pdf = _what_each_reads(person, report.reference)
        assert SOURCE in page, person.username
        assert api == SOURCE, person.username
        assert "Pak Rudi" in pdf, person.username
    page, api, pdf = _what_each_reads(fkub_officer, report.reference)
    assert "Pak Rudi" not in page and "dirahasiakan" in page
    assert api == ""
    assert "Pak Rudi" not in pdf and "dirahasiakan" in pdf
    assert "(B" in pdf  # the grading stays
