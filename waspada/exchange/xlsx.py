"""A spreadsheet (Office Open XML, .xlsx) written as a stream, in constant memory.

Written by hand rather than with openpyxl: openpyxl's write-only mode keeps memory flat but must
finish a temporary file before the first byte can be sent, while a zip written to an unseekable
stream (local headers with data descriptors, ZIP64 for the sheet) lets the download start at once
and needs no disk. The sheet holds inline strings, numbers and date-times (one number format);
a sheet holds at most 1,048,576 rows, so longer exports continue on the next sheet.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

MAX_ROWS = 1_048_576
_EPOCH = datetime(1899, 12, 30)
# Characters XML 1.0 cannot carry at all; they are dropped from text cells.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _Pipe:
    """An unseekable file the zip writes into; the generator drains it after each write."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def drain(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks = []
        return data


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"<c><v>{value!r}</v></c>"
    if isinstance(value, datetime):
        serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f'<c s="1"><v>{serial:.8f}</v></c>'
    text = escape(NOT_XML.sub("", str(value)))
    return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _row(values: Iterable[Any]) -> str:
    return "<row>" + "".join(_cell(value) for value in values) + "</row>"


_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    # the header row stays in view while scrolling (a frozen pane under row 1)
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
    ' state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
)
_SHEET_END = "</sheetData>{filter}</worksheet>"


def _cols(widths: list[float]) -> str:
    if not widths:
        return ""
    return (
        "<cols>"
        + "".join(
            f'<col min="{n}" max="{n}" width="{width:.1f}" customWidth="1"/>'
            for n, width in enumerate(widths, start=1)
        )
        + "</cols>"
    )


def _header_row(values: Iterable[Any]) -> str:
    cells = "".join(
        f'<c s="2" t="inlineStr"><is><t>{escape(NOT_XML.sub("", str(value)))}</t></is></c>'
        for value in values
    )
    return f"<row>{cells}</row>"


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook_parts(sheets: list[str], filters: list[str] | None = None) -> dict[str, str]:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct_sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{ct_sheet}"/>'
        for n in range(1, len(sheets) + 1)
    )
    return {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            + "".join(
                f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>'
                for n, name in enumerate(sheets, start=1)
            )
            + "</sheets>"
            + _defined_names(sheets, filters or [])
            + "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{pkg}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{rel}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, len(sheets) + 1)
            )
            + f'<Relationship Id="rId{len(sheets) + 1}" Type="{rel}/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": _STYLES,
    }


def _defined_names(sheets: list[str], filters: list[str]) -> str:
    """The autofilter ranges as Excel names them (``_xlnm._FilterDatabase``, one per sheet)."""
    if not filters:
        return ""
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{n}" hidden="1">'
        f"&apos;{escape(name)}&apos;!{ref}</definedName>"
        for n, (name, ref) in enumerate(zip(sheets, filters, strict=True))
    )
    return f"<definedNames>{names}</definedNames>"


def _absolute(ref: str) -> str:
    """``A1:Z9`` as ``$A$1:$Z$9``."""
    return re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", ref)


def stream_xlsx(
    header: list[str],
    rows: Iterable[Iterable[Any]],
    *,
    sheet_name: str,
    batch: int = 500,
    widths: list[float] | None = None,
) -> Iterator[bytes]:
    """Yield the bytes of a workbook: ``header`` (bold, frozen in view, with an autofilter over
    the rows) then ``rows`` on sheet ``sheet_name`` (then ``sheet_name 2``… past a sheet's row
    limit); ``widths``: each column's width in characters."""
    pipe = _Pipe()
    archive = zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=5)
    sheets: list[str] = []
    sheet: Any = None
    used = 0
    header_xml = _header_row(header)
    last_column = _column(max(len(header) - 1, 0))
    filters: list[str] = []
    pending: list[str] = []

    def open_sheet() -> Any:
        sheets.append(sheet_name if not sheets else f"{sheet_name} {len(sheets) + 1}"[:31])
        handle = archive.open(f"xl/worksheets/sheet{len(sheets)}.xml", mode="w", force_zip64=True)
        handle.write((_SHEET_START + _cols(widths or []) + "<sheetData>" + header_xml).encode())
        return handle

    def sheet_end(rows_used: int) -> bytes:
        ref = f"A1:{last_column}{max(rows_used, 1)}"
        filters.append(_absolute(ref))
        return _SHEET_END.format(filter=f'<autoFilter ref="{ref}"/>').encode()

    sheet = open_sheet()
    used = 1
    for values in rows:
        if used >= MAX_ROWS:
            sheet.write("".join(pending).encode())
            pending = []
            sheet.write(sheet_end(used))
            sheet.close()
            sheet = open_sheet()
            used = 1
        pending.append(_row(values))
        used += 1
        if len(pending) >= batch:
            sheet.write("".join(pending).encode())
            pending = []
            chunk = pipe.drain()
            if chunk:
                yield chunk
    sheet.write("".join(pending).encode() + sheet_end(used))
    sheet.close()
    for name, text in _workbook_parts(sheets, filters).items():
        archive.writestr(name, text)
    archive.close()
    yield pipe.drain()
