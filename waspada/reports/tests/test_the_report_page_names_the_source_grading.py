"""The report page names the Admiralty grading of its source in words, not only as a code."""

from __future__ import annotations

import pytest
from django.test import Client

from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


def test_the_grading_reads_in_words_beside_its_code(personas) -> None:
    report = submit(personas.desa_reporter, source_reliability="B", info_credibility="2").report
    client = Client()
    client.force_login(personas.desa_reporter)
    page = client.get(f"/laporan/{report.reference}/").content.decode()
    assert "Keandalan sumber: B — biasanya andal" in page
    assert "Kebenaran informasi: 2 — kemungkinan benar" in page
