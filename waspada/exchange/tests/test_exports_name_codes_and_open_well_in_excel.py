"""Exports an analyst can work with (issue 20): labels beside codes, a CSV Excel opens as UTF-8,
an XLSX with its header frozen, filtered and sized, and the list's export in the table's order."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from waspada.exchange.tests.helpers import body, client_for, rows_of
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(desa_reporter: Any) -> None:
    submit(desa_reporter, title="Aksi massa é", alert_level="awas", isu="agraria_korporasi")
    submit(desa_reporter, title="Banjir kecil", alert_level="normal", isu="bencana")
    submit(desa_reporter, title="Cekcok warga", alert_level="waspada", isu="bencana")


def test_every_code_has_its_label_beside_it(filed: None, kesbangpol_analyst: Any) -> None:
    data = body(client_for(kesbangpol_analyst).get("/pertukaran/ekspor/laporan.csv?urut=judul"))
    header, rows = rows_of("csv", data)
    assert header[header.index("isu") + 1] == "isu_nama"
    assert header[header.index("tingkat") + 1] == "tingkat_nama"
    assert header[header.index("waktu_kejadian") + 1] == "tanggal_kejadian"
    first = rows[0]
    assert (first["isu"], first["isu_nama"]) == (
        "agraria_korporasi",
        "Agraria: warga dan perusahaan",
    )
    assert (first["tingkat"], first["tingkat_nama"]) == ("awas", "Awas")
    assert (first["status"], first["status_nama"]) == ("baru", "Baru")
    assert first["tanggal_kejadian"] == first["waktu_kejadian"][:10]


def test_the_csv_for_excel_starts_with_a_byte_order_mark_and_the_plain_one_does_not(
    filed: None, kesbangpol_analyst: Any
) -> None:
    client = client_for(kesbangpol_analyst)
    excel = body(client.get("/pertukaran/ekspor/laporan.csv?excel=1"))
    plain = body(client.get("/pertukaran/ekspor/laporan.csv"))
    assert excel.startswith(b"\xef\xbb\xbfnomor,") and not plain.startswith(b"\xef\xbb\xbf")
    assert "Aksi massa é".encode() in excel
    # Excel's dates: "2026-12-07 14:05", not ISO with an offset
    _header, rows = rows_of("csv", excel[3:])
    assert len(rows[0]["waktu_laporan"]) == 16 and "T" not in rows[0]["waktu_laporan"]


def test_the_xlsx_header_is_frozen_filtered_and_the_columns_sized(
    filed: None, kesbangpol_analyst: Any
) -> None:
    data = body(client_for(kesbangpol_analyst).get("/pertukaran/ekspor/laporan.xlsx"))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.auto_filter.ref.endswith("4")  # the header and three rows
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["A"].width == 10  # "nomor"
    judul = next(cell.column_letter for cell in sheet[1] if cell.value == "judul")
    assert sheet.column_dimensions[judul].width == 45


def test_the_table_exports_what_it_shows_in_its_order(filed: None, kesbangpol_analyst: Any) -> None:
    client = client_for(kesbangpol_analyst)
    for query in ("urut=-tingkat&isu=bencana", "urut=judul", ""):
        shown = [row.reference for row in client.get(f"/situasi/laporan/?{query}").context["page"].rows]
        for fmt in ("csv", "xlsx"):
            _header, rows = rows_of(fmt, body(client.get(f"/pertukaran/ekspor/laporan.{fmt}?{query}")))
            assert [row["nomor"] for row in rows] == shown, (query, fmt)
