"""Streaming: a fixed number of queries whatever the row count, and XLSX sheets that continue past
a sheet's row limit."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from waspada.exchange import xlsx
from waspada.exchange.tests.helpers import body, client_for
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


def _queries_for(person: Any, path: str) -> tuple[int, bytes]:
    client = client_for(person)
    client.get("/situasi/")  # warm the session and the seat check
    with CaptureQueriesContext(connection) as captured:
        data = body(client.get(path))
    return len(captured.captured_queries), data


@pytest.mark.parametrize("fmt", ["csv", "geojson", "xlsx"])
def test_the_number_of_queries_does_not_grow_with_the_rows(
    fmt: str, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    submit(desa_reporter, title="Laporan pertama")
    few, _data = _queries_for(kesbangpol_analyst, f"/pertukaran/ekspor/laporan.{fmt}")
    for number in range(12):
        submit(desa_reporter, title=f"Laporan tambahan {number}", region_code=f"64.01.0{1 + number % 9}")
    many, _data = _queries_for(kesbangpol_analyst, f"/pertukaran/ekspor/laporan.{fmt}")
    assert many == few


def test_a_workbook_continues_on_a_new_sheet_past_the_row_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    monkeypatch.setattr(xlsx, "MAX_ROWS", 4)  # header + 3 rows per sheet
    data = b"".join(
        xlsx.stream_xlsx(["n", "teks"], ([n, f"baris <{n}> & \x01"] for n in range(8)), sheet_name="laporan")
    )
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["laporan", "laporan 2", "laporan 3"]
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) if row[0] != "n"]
    assert rows == [(n, f"baris <{n}> & ") for n in range(8)]
