"""Exports of reports and incidents, streamed: CSV, HXL-tagged CSV, GeoJSON and XLSX.

Rows come from the scoped querysets (``visible_to``) with the situation lists' filters, read as
``values()`` over a server-side cursor (``iterator(chunk_size=…)``): no model instances, no query
per row. Region names and centroids are looked up once per batch of rows for the codes not seen
before, so a million rows cost about as many queries as there are batches, and memory stays flat.

What a row never carries: the informant (name, contact, even whether one exists), the free-text
source description (it often names the source), and — for whoever may not see the exact point
(``reports.visibility``: everyone but the reporter and the TKD) — the point and the place detail:
they get the centroid of the village (or kecamatan) instead, and the column ``ketepatan_lokasi``
says which.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waspada.exchange.xlsx import stream_xlsx
from waspada.regions.adjacency import kecamatan_code
from waspada.regions.models import Region
from waspada.reports.models import Incident, Report, ReportStatus
from waspada.reports.sharing import summary_only_ids
from waspada.reports.taxonomy import AlertLevel, Athg, Classification, Isu, Jenis
from waspada.reports.visibility import exact_location_rule
from waspada.situation.filters import Filters, search_text

CHUNK = 2000
FORMATS = ("csv", "hxl", "geojson", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "hxl": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"csv": "csv", "hxl": "hxl.csv", "geojson": "geojson", "xlsx": "xlsx"}
# Text typed by people; a spreadsheet would run one starting with these as a formula (CSV only).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    key: str  # the CSV header and GeoJSON property name
    hxl: str  # the HXL hashtag with attributes ("" when HXL defines none that fits)
    free_text: bool = False


# Every hashtag and attribute below is one the HXL knowledge base (exchange/tests/data/) defines
# (tests check it). Administrative levels: adm1 provinsi, adm2 kabupaten/kota, adm3 kecamatan,
# adm4 desa/kelurahan, with the Kemendagri code (+code) and name (+name).
_ADMIN = [
    column
    for n in range(1, 5)
    for column in (Column(f"adm{n}_kode", f"#adm{n}+code"), Column(f"adm{n}_nama", f"#adm{n}+name"))
]
_PLACE = [
    *_ADMIN,
    Column("lintang", "#geo+lat"),
    Column("bujur", "#geo+lon"),
    Column("ketepatan_lokasi", ""),
]

_REPORT_BASE = [
    Column("nomor", "#meta+id"),
    Column("status", "#status"),
    Column("jenis", ""),
    Column("athg", "#event+type"),
    Column("isu", "#sector+code"),
    Column("tingkat", "#severity"),
    Column("klasifikasi", ""),
    Column("judul", "#event+name", free_text=True),
    Column("apa", "#description", free_text=True),
    Column("siapa", "", free_text=True),
    Column("penyebab", "#cause", free_text=True),
    Column("keterangan_tempat", "", free_text=True),
    Column("kondisi_terakhir", "", free_text=True),
    Column("penanganan_sementara", "", free_text=True),
    Column("gatra", ""),
    Column("waktu_kejadian", "#date+occurred"),
    Column("waktu_laporan", "#date+reported"),
    Column("waktu_verifikasi", ""),
    *_PLACE,
    Column("korban_meninggal", "#affected+killed"),
    Column("korban_luka", "#affected+injured"),
    Column("korban_mengungsi", "#affected+displaced"),
    Column("warga_terdampak", "#affected+ind"),
    Column("keandalan_sumber", ""),
    Column("kredibilitas_informasi", ""),
    Column("forum_pelapor", "#org+code"),
    Column("forum_pelapor_nama", ""),
    Column("insiden", "#event+id"),
]

_INCIDENT_BASE = [
    Column("nomor", "#event+id"),
    Column("judul", "#event+name", free_text=True),
    Column("isu", "#sector+code"),
    Column("tingkat", "#severity"),
    Column("klasifikasi", ""),
    Column("status", "#status"),
    Column("digabung_ke", ""),
    Column("waktu_kejadian", "#date+occurred"),
    Column("waktu_dicatat", ""),
    *_PLACE,
]

# Codes and the labels a reader knows them by, side by side: a "<code>_nama" column after each.
_LABELS: dict[str, Any] = {
    "status": ReportStatus,
    "jenis": Jenis,
    "athg": Athg,
    "isu": Isu,
    "tingkat": AlertLevel,
    "klasifikasi": Classification,
}


def _labelled(columns: list[Column], *, incidents: bool = False) -> list[Column]:
    """``columns`` with a label column after each coded one, and the day of the event (ACLED's
    ``event_date``) after its time."""
    out: list[Column] = []
    for column in columns:
        out.append(column)
        if column.key in _LABELS:
            out.append(Column(f"{column.key}_nama", ""))
        if column.key == "waktu_kejadian":
            out.append(Column("tanggal_kejadian", ""))
    return out


REPORT_COLUMNS = _labelled(_REPORT_BASE)
INCIDENT_COLUMNS = _labelled(_INCIDENT_BASE, incidents=True)
_INCIDENT_STATUS_LABELS = {"aktif": _("Aktif"), "digabung": _("Digabung")}


def _label_of(key: str, code: Any, *, incidents: bool) -> str:
    if not code:
        return ""
    if incidents and key == "status":
        return str(_INCIDENT_STATUS_LABELS.get(code, code))
    try:
        return str(_LABELS[key](code).label)
    except ValueError:
        return str(code)


def _add_labels(
    base: list[Column], rows: Iterator[list[Any]], *, incidents: bool = False
) -> Iterator[list[Any]]:
    """Insert the label and event-day values ``_labelled`` added columns for, in the same places."""
    keys = [column.key for column in base]
    for values in rows:
        out: list[Any] = []
        for key, value in zip(keys, values, strict=True):
            out.append(value)
            if key in _LABELS:
                out.append(_label_of(key, value, incidents=incidents))
            if key == "waktu_kejadian":
                out.append(value.date().isoformat() if isinstance(value, datetime) else "")
        yield out


def width_of(column: Column) -> float:
    """A spreadsheet column's width in characters: room for what it usually holds."""
    if column.free_text:
        return 45.0
    if column.key.endswith("_nama"):
        return 26.0
    if column.key.startswith("waktu_"):
        return 17.0
    return float(max(len(column.key) + 3, 10))


_REPORT_FIELDS = (
    "reference",
    "status",
    "jenis",
    "athg",
    "isu",
    "alert_level",
    "classification",
    "title",
    "what",
    "who",
    "cause",
    "where_detail",
    "latest_condition",
    "interim_handling",
    "gatra",
    "occurred_at",
    "reported_at",
    "verified_at",
    "region_id",
    "latitude",
    "longitude",
    "casualties_dead",
    "casualties_injured",
    "casualties_displaced",
    "people_affected",
    "source_reliability",
    "info_credibility",
    "reporter_id",
    "reporter_forum__code",
    "reporter_forum__name",
    "incident__reference",
)
_INCIDENT_FIELDS = (
    "reference",
    "title",
    "isu",
    "alert_level",
    "classification",
    "merged_into__reference",
    "occurred_at",
    "created_at",
    "region_id",
)


class RegionBook:
    """Names and centroids of the regions rows point at, read once per new code, per batch."""

    def __init__(self) -> None:
        self.known: dict[str, tuple[str, int, float | None, float | None]] = {}

    def learn(self, codes: Iterable[str]) -> None:
        wanted: set[str] = set()
        for code in codes:
            parts = code.split(".")
            wanted.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
        missing = wanted - self.known.keys()
        for start in range(0, len(missing), 500):
            batch = sorted(missing)[start : start + 500]
            for code, name, level, lat, lon in Region.objects.filter(code__in=batch).values_list(
                "code", "name", "level", "latitude", "longitude"
            ):
                self.known[code] = (name, level, lat, lon)
        for code in missing - self.known.keys():
            self.known[code] = ("", 0, None, None)

    def place(self, code: str) -> list[Any]:
        """adm1..adm4 codes and names of ``code`` and its ancestors, by level."""
        parts = code.split(".")
        values: list[Any] = []
        for n in range(1, 5):
            if n <= len(parts):
                sub = ".".join(parts[:n])
                values += [sub, self.known.get(sub, ("",))[0]]
            else:
                values += ["", ""]
        return values

    def centroid(self, code: str) -> tuple[float | None, float | None, str]:
        _name, level, lat, lon = self.known.get(code, ("", 0, None, None))
        if lat is None or lon is None:
            return None, None, ""
        return lat, lon, {3: "kecamatan", 4: "desa"}.get(level, "wilayah")


def _when(value: datetime | None) -> datetime | None:
    return timezone.localtime(value) if value is not None else None


def report_rows(queryset: QuerySet[Report, Any], person: Any) -> Iterator[list[Any]]:
    """One list of values per report, in REPORT_COLUMNS order (dates as aware WITA datetimes)."""
    return _add_labels(_REPORT_BASE, _report_values(queryset, person))


def _report_values(queryset: QuerySet[Report, Any], person: Any) -> Iterator[list[Any]]:
    sees_exact = exact_location_rule(person)
    book = RegionBook()
    rows = queryset.values(*_REPORT_FIELDS).iterator(chunk_size=CHUNK)
    while batch := list(islice(rows, CHUNK)):
        book.learn({row["region_id"] for row in batch})
        for row in batch:
            exact = sees_exact(row["region_id"], row["reporter_id"])
            if exact and row["latitude"] is not None and row["longitude"] is not None:
                lat, lon, precision = row["latitude"], row["longitude"], "titik"
            else:
                lat, lon, precision = book.centroid(row["region_id"])
            yield [
                row["reference"],
                row["status"],
                row["jenis"],
                row["athg"],
                row["isu"],
                row["alert_level"],
                row["classification"],
                row["title"],
                row["what"],
                row["who"],
                row["cause"],
                row["where_detail"] if exact else "",
                row["latest_condition"],
                row["interim_handling"],
                ";".join(row["gatra"] or []),
                _when(row["occurred_at"]),
                _when(row["reported_at"]),
                _when(row["verified_at"]),
                *book.place(row["region_id"]),
                lat,
                lon,
                precision,
                # An unknown count (None) is an empty cell (CSV, XLSX) or null (GeoJSON), never 0.
                row["casualties_dead"],
                row["casualties_injured"],
                row["casualties_displaced"],
                row["people_affected"],
                row["source_reliability"],
                row["info_credibility"],
                row["reporter_forum__code"] or "",
                row["reporter_forum__name"] or "",
                row["incident__reference"] or "",
            ]


def incident_rows(queryset: QuerySet[Incident, Any], person: Any) -> Iterator[list[Any]]:
    """One list of values per incident, in INCIDENT_COLUMNS order. An incident has no point of
    its own: its place is its region's centroid."""
    return _add_labels(_INCIDENT_BASE, _incident_values(queryset, person), incidents=True)


def _incident_values(queryset: QuerySet[Incident, Any], person: Any) -> Iterator[list[Any]]:
    book = RegionBook()
    rows = queryset.values(*_INCIDENT_FIELDS, "pk").iterator(chunk_size=CHUNK)
    while batch := list(islice(rows, CHUNK)):
        # An incident another regency's TKD shared with the person's TKD: its kecamatan only
        # (docs/cross-border.md).
        coarse = summary_only_ids(person, [(row["pk"], row["region_id"]) for row in batch])
        for row in batch:
            if row["pk"] in coarse:
                row["region_id"] = kecamatan_code(row["region_id"]) or row["region_id"]
        book.learn({row["region_id"] for row in batch})
        for row in batch:
            lat, lon, precision = book.centroid(row["region_id"])
            merged = row["merged_into__reference"] or ""
            yield [
                row["reference"],
                row["title"],
                row["isu"],
                row["alert_level"],
                row["classification"],
                "digabung" if merged else "aktif",
                merged,
                _when(row["occurred_at"]),
                _when(row["created_at"]),
                *book.place(row["region_id"]),
                lat,
                lon,
                precision,
            ]


def visible_reports(person: Any, filters: Filters) -> QuerySet[Report, Any]:
    """As the report list reads them: filters, then visibility, then the text search."""
    rows = search_text(filters.visible_reports(person), filters.q)
    return rows.order_by("pk")


def visible_incidents(person: Any, filters: Filters) -> QuerySet[Incident, Any]:
    return filters.apply_incidents(Incident.objects.visible_to(person)).order_by("pk")


# -- writers ------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _excel_text(value: Any) -> str:
    """As Excel reads a cell of a CSV: local date-times as "2026-12-07 14:05" (an ISO value with
    its offset stays text in Excel)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return _text(value)


def _csv_lines(
    columns: list[Column], rows: Iterable[list[Any]], *, hxl: bool, excel: bool = False
) -> Iterator[bytes]:
    """CSV, UTF-8; ``excel``: with a byte-order mark first (without it Excel reads UTF-8 as the
    Windows code page and "Peristiwa é" comes out garbled) and Excel's dates."""
    if excel:
        yield "\ufeff".encode()
    text = _excel_text if excel else _text
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.key for c in columns])
    if hxl:
        writer.writerow([c.hxl for c in columns])
    guarded = [index for index, column in enumerate(columns) if column.free_text]
    count = 0
    for values in rows:
        cells = [text(value) for value in values]
        for index in guarded:
            if cells[index].startswith(_FORMULA_START):
                cells[index] = "'" + cells[index]
        writer.writerow(cells)
        count += 1
        if count % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _geojson(columns: list[Column], rows: Iterable[list[Any]]) -> Iterator[bytes]:
    keys = [c.key for c in columns]
    lat_at, lon_at = keys.index("lintang"), keys.index("bujur")
    yield b'{"type":"FeatureCollection","features":['
    parts: list[str] = []
    first = True
    for values in rows:
        properties = {
            key: (_text(value) if isinstance(value, datetime) else value)
            for key, value in zip(keys, values, strict=True)
            if key not in ("lintang", "bujur")
        }
        lat, lon = values[lat_at], values[lon_at]
        geometry = (
            {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        )
        feature = json.dumps(
            {"type": "Feature", "geometry": geometry, "properties": properties}, ensure_ascii=False
        )
        parts.append(feature if first else "," + feature)
        first = False
        if len(parts) >= 500:
            yield "".join(parts).encode()
            parts = []
    yield ("".join(parts) + "]}").encode()


def stream(
    fmt: str, columns: list[Column], rows: Iterable[list[Any]], *, sheet_name: str, excel: bool = False
) -> Iterator[bytes]:
    """The export's bytes in ``fmt`` (one of FORMATS); ``excel``: the CSV for Excel (BOM)."""
    if fmt == "csv":
        return _csv_lines(columns, rows, hxl=False, excel=excel)
    if fmt == "hxl":
        return _csv_lines(columns, rows, hxl=True)
    if fmt == "geojson":
        return _geojson(columns, rows)
    if fmt == "xlsx":
        return stream_xlsx(
            [c.key for c in columns], rows, sheet_name=sheet_name, widths=[width_of(c) for c in columns]
        )
    raise ValueError(fmt)


# The table view's columns (``situation/table.py`` keys) and the export columns that carry each:
# a CSV or XLSX downloaded from the table holds what the table shows, in its order, with the
# labels beside the codes.
_ADMIN_KEYS = tuple(column.key for column in _ADMIN)
TABLE_EXPORT: dict[str, dict[str, tuple[str, ...]]] = {
    "laporan": {
        "nomor": ("nomor",),
        "judul": ("judul",),
        "tingkat": ("tingkat", "tingkat_nama"),
        "isu": ("isu", "isu_nama"),
        "athg": ("athg", "athg_nama"),
        "wilayah": _ADMIN_KEYS,
        "status": ("status", "status_nama"),
        "terjadi": ("waktu_kejadian", "tanggal_kejadian"),
        "diterima": ("waktu_laporan",),
        "diverifikasi": ("waktu_verifikasi",),
        "korban": ("korban_meninggal", "korban_luka", "korban_mengungsi"),
        "forum": ("forum_pelapor", "forum_pelapor_nama"),
    },
    "insiden": {
        "nomor": ("nomor",),
        "judul": ("judul",),
        "tingkat": ("tingkat", "tingkat_nama"),
        "isu": ("isu", "isu_nama"),
        "wilayah": _ADMIN_KEYS,
        "status": ("status", "status_nama", "digabung_ke"),
        "terjadi": ("waktu_kejadian", "tanggal_kejadian"),
        "dicatat": ("waktu_dicatat",),
    },
}


def shown_only(
    target: str, columns: list[Column], rows: Iterator[list[Any]], shown: list[str]
) -> tuple[list[Column], Iterator[list[Any]]]:
    """``columns`` and ``rows`` cut to the export columns of the table columns ``shown``, in the
    table's order (every export column at most once)."""
    wanted: list[str] = []
    for key in shown:
        wanted += [name for name in TABLE_EXPORT[target].get(key, ()) if name not in wanted]
    index = {column.key: i for i, column in enumerate(columns)}
    picks = [index[name] for name in wanted]
    return [columns[i] for i in picks], ([values[i] for i in picks] for values in rows)


Target = tuple[list[Column], Callable[[Any, Filters], QuerySet[Any, Any]], Callable[..., Iterator[list[Any]]]]
TARGETS: dict[str, Target] = {
    "laporan": (REPORT_COLUMNS, visible_reports, report_rows),
    "insiden": (INCIDENT_COLUMNS, visible_incidents, incident_rows),
}
