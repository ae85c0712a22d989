"""The report exports carry the casualties (HXL ``#affected+killed``, ``+injured``, ``+displaced``):
a count the report states as written, one it does not know as an empty cell or null, never 0."""

from __future__ import annotations

from typing import Any

import pytest

from waspada.exchange.tests.helpers import body, client_for, rows_of
from waspada.reports.tests.factories import submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "hxl", "geojson", "xlsx"])
def test_known_counts_are_written_and_unknown_ones_left_empty(fmt: str, personas: Any) -> None:
    submit(personas.desa_reporter, title="Bentrok", casualties_dead=2, casualties_displaced=0)
    data = body(client_for(personas.kesbangpol_analyst).get(f"/pertukaran/ekspor/laporan.{fmt}"))
    header, rows = rows_of(fmt, data)

    assert header.index("korban_meninggal") + 2 == header.index("korban_mengungsi")
    (row,) = rows
    empty = None if fmt in ("geojson", "xlsx") else ""
    written = (row["korban_meninggal"], row["korban_luka"], row["korban_mengungsi"])
    if fmt in ("csv", "hxl"):
        assert written == ("2", empty, "0")
    else:
        assert written == (2, empty, 0)
    if fmt == "hxl":
        tags = data.decode().splitlines()[1].split(",")
        assert tags[header.index("korban_mengungsi")] == "#affected+displaced"
