"""Shared pieces of the exchange tests: the standards files in ``data/``, parsing each export format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.test import Client

STANDARDS = (
    Path(__file__).resolve().parent / "data"
)  # copied verbatim; provenance and notices in data/README.md


def client_for(person: Any) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def body(response: Any) -> bytes:
    assert response.streaming, "exports must be streamed"
    return b"".join(response.streaming_content)


def rows_of(fmt: str, data: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    """The header and the rows of an export, whatever its format."""
    if fmt in ("csv", "hxl"):
        reader = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        header = reader[0]
        start = 2 if fmt == "hxl" else 1
        return header, [dict(zip(header, row, strict=True)) for row in reader[start:]]
    if fmt == "geojson":
        document = json.loads(data)
        assert document["type"] == "FeatureCollection"
        rows = []
        for feature in document["features"]:
            assert feature["type"] == "Feature"
            geometry = feature["geometry"]
            properties = dict(feature["properties"])
            if geometry is not None:
                assert geometry["type"] == "Point"
                properties["bujur"], properties["lintang"] = geometry["coordinates"]
            rows.append(properties)
        return list(rows[0]) if rows else [], rows
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        values = [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
        header = [str(v) for v in values[0]]
        return header, [dict(zip(header, row, strict=True)) for row in values[1:]]
    raise ValueError(fmt)


def cap_schema() -> Any:
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(STANDARDS / "cap-v1.2.xsd")))


def assert_valid_cap(document: bytes) -> Any:
    """Validate against the official CAP 1.2 schema; return the parsed root."""
    from lxml import etree

    root = etree.fromstring(document)
    schema = cap_schema()
    assert schema.validate(root), schema.error_log
    return root


def published(result: Any, approver: Any = None) -> Any:
    """The published ``Alert`` of ``issue_alert``/``update_alert``: an Actual, Public one comes
    back as a proposal, which ``approver`` (by default Paser's ketua TKD, the second key) approves."""
    from waspada.exchange.actions import approve_alert
    from waspada.exchange.models import AlertProposal

    if not isinstance(result, AlertProposal):
        return result
    if approver is None:
        from waspada.regions.models import Region
        from waspada.testing.personas import ensure_persona

        approver = ensure_persona("tkd_head", regency=Region.objects.get(code="64.01"))
    return approve_alert(proposal=result, by=approver)
