"""The lists' table view: which columns, in which order, and how the rows are sorted.

Read from the query string beside the filters (``situation/filters.py``), so a link, a saved
search and an export carry them:

    tampilan   ``tabel`` (default) or ``kartu`` (the cards of before)
    kolom      the columns shown, comma-separated or repeated (``kolom=nomor,judul,terjadi``)
    urut       one column's key, ``-`` first for descending (``urut=-tingkat``)

Only the keys below are accepted; anything else is dropped with a note naming it, never an
error page. The default order (``-diterima``: newest first) pages by keyset
(``situation/paging.py``); any other order pages by number (``halaman``), up to ``MAX_PAGE``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.db.models.expressions import OrderBy
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waspada.reports.taxonomy import ALERT_RANK

MAX_PAGE = 200  # 200 pages of 25: beyond that, narrow the filters


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy text
    sort: str = ""  # the field sorted on ("" when the column does not sort)
    title: Any = ""  # what the header's tooltip says


_TERJADI = gettext_lazy("Waktu kejadian menurut pelapor")
REPORT_COLUMNS = [
    Column("nomor", gettext_lazy("Nomor"), "reference"),
    Column("judul", gettext_lazy("Judul"), "title"),
    Column("tingkat", gettext_lazy("Tingkat"), "level_rank"),
    Column("isu", gettext_lazy("Isu"), "isu"),
    Column("athg", gettext_lazy("ATHG"), "athg"),
    Column("wilayah", gettext_lazy("Wilayah"), "region__name"),
    Column("status", gettext_lazy("Status"), "status"),
    Column("terjadi", gettext_lazy("Terjadi"), "occurred_at", _TERJADI),
    Column("diterima", gettext_lazy("Diterima"), "reported_at", gettext_lazy("Waktu laporan masuk")),
    Column(
        "diverifikasi",
        gettext_lazy("Diverifikasi"),
        "verified_at",
        gettext_lazy("Waktu laporan diverifikasi"),
    ),
    Column("korban", gettext_lazy("Korban"), "casualties_dead", gettext_lazy("Meninggal / luka / mengungsi")),
    Column("forum", gettext_lazy("Forum pelapor"), "reporter_forum__name"),
]
REPORT_DEFAULT = (
    "nomor",
    "judul",
    "tingkat",
    "isu",
    "wilayah",
    "status",
    "terjadi",
    "diterima",
    "diverifikasi",
)

INCIDENT_COLUMNS = [
    Column("nomor", gettext_lazy("Nomor"), "reference"),
    Column("judul", gettext_lazy("Judul"), "title"),
    Column("tingkat", gettext_lazy("Tingkat"), "level_rank"),
    Column("isu", gettext_lazy("Isu"), "isu"),
    Column("wilayah", gettext_lazy("Wilayah"), "region__name"),
    Column("status", gettext_lazy("Status"), ""),
    Column("terjadi", gettext_lazy("Terjadi"), "occurred_at", _TERJADI),
    Column("dicatat", gettext_lazy("Dicatat"), "created_at", gettext_lazy("Waktu insiden dibuat")),
]
INCIDENT_DEFAULT = ("nomor", "judul", "tingkat", "isu", "wilayah", "status", "terjadi", "dicatat")

# the order the lists always had: reports newest received first, incidents newest happened first
DEFAULT_SORT = {"laporan": "-diterima", "insiden": "-terjadi"}
TIME_FIELD = {"laporan": "reported_at", "insiden": "occurred_at"}


def columns_of(target: str) -> list[Column]:
    return INCIDENT_COLUMNS if target == "insiden" else REPORT_COLUMNS


@dataclass
class Header:
    column: Column
    href: str
    direction: str  # "asc", "desc" or "" (not the sorted column)


@dataclass
class Table:
    target: str = "laporan"
    view: str = "tabel"
    shown: list[Column] = field(default_factory=list)
    sort: str = ""  # a column key, "-" first when descending
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, query: QueryDict | dict[str, str], target: str) -> Table:
        """The table's choices; unknown ones dropped with a note (in Indonesian, naming them)."""
        every = {column.key: column for column in columns_of(target)}
        table = cls(target=target)
        view = str(query.get("tampilan") or "tabel")[:20]
        if view in ("tabel", "kartu"):
            table.view = view
        else:
            table.notes.append(
                _("Tampilan “%(value)s” tidak dikenal; ditampilkan sebagai tabel.") % {"value": view}
            )
        raw: list[str] = []
        values = query.getlist("kolom") if isinstance(query, QueryDict) else [query.get("kolom") or ""]
        for value in values:
            raw += [part.strip() for part in str(value)[:400].split(",") if part.strip()]
        unknown = [key for key in raw if key not in every]
        if unknown:
            table.notes.append(
                _("Kolom tidak dikenal diabaikan: %(keys)s.")
                % {"keys": ", ".join(k[:30] for k in unknown[:5])}
            )
        chosen = [key for key in dict.fromkeys(raw) if key in every]
        defaults = INCIDENT_DEFAULT if target == "insiden" else REPORT_DEFAULT
        table.shown = [every[key] for key in (chosen or defaults)]
        sort = str(query.get("urut") or "")[:40]
        key = sort.removeprefix("-")
        if sort and (key not in every or not every[key].sort):
            table.notes.append(
                _("Urutan “%(value)s” tidak dikenal; diurutkan menurut waktu terbaru.") % {"value": sort}
            )
            sort = ""
        table.sort = sort or DEFAULT_SORT[target]
        return table

    @property
    def is_default_order(self) -> bool:
        return self.sort == DEFAULT_SORT[self.target]

    @property
    def column_keys(self) -> list[str]:
        return [column.key for column in self.shown]

    def params(self, **overrides: str) -> dict[str, str]:
        """The table's choices as query-string values, only those that differ from the default."""
        defaults = INCIDENT_DEFAULT if self.target == "insiden" else REPORT_DEFAULT
        values = {
            "tampilan": "" if self.view == "tabel" else self.view,
            "kolom": "" if tuple(self.column_keys) == defaults else ",".join(self.column_keys),
            "urut": "" if self.is_default_order else self.sort,
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value}

    def order(self, queryset: QuerySet[Any, Any]) -> QuerySet[Any, Any]:
        """``queryset`` in the table's order (ties by id, in the same direction); empty values
        (not yet verified, casualties unknown) last either way."""
        key = self.sort.removeprefix("-")
        descending = self.sort.startswith("-")
        column = next(column for column in columns_of(self.target) if column.key == key)
        if column.sort == "level_rank":
            queryset = queryset.annotate(
                level_rank=Case(
                    *[When(alert_level=level, then=Value(rank)) for level, rank in ALERT_RANK.items()],
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
        primary: OrderBy = (
            F(column.sort).desc(nulls_last=True) if descending else F(column.sort).asc(nulls_last=True)
        )
        return queryset.order_by(primary, "-pk" if descending else "pk")

    def headers(self, base: dict[str, str]) -> list[Header]:
        """Each shown column with the link that sorts by it (again: the other way round)."""
        from urllib.parse import urlencode

        headers = []
        key = self.sort.removeprefix("-")
        for column in self.shown:
            direction = ""
            if column.key == key:
                direction = "desc" if self.sort.startswith("-") else "asc"
            href = ""
            if column.sort:
                # first click: dates and levels newest / highest first, words A to Z
                first = (
                    "-"
                    if column.sort in ("level_rank", "casualties_dead") or column.sort.endswith("_at")
                    else ""
                )
                if direction == "desc":
                    wanted = column.key
                elif direction == "asc":
                    wanted = "-" + column.key
                else:
                    wanted = first + column.key
                href = "?" + urlencode({**base, **self.params(urut=wanted)})
            headers.append(Header(column, href, direction))
        return headers


@dataclass
class NumberedPage:
    """A page by number, for the orders keyset paging does not serve."""

    rows: list[Any]
    number: int
    has_next: bool
    count: int
    count_is_exact: bool


def numbered_page(queryset: QuerySet[Any, Any], raw: str, size: int, count_limit: int) -> NumberedPage:
    try:
        number = min(max(int(raw or "1"), 1), MAX_PAGE)
    except ValueError:
        number = 1
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    counted = queryset.order_by().values("pk")[: count_limit + 1].count()
    return NumberedPage(
        rows=rows[:size],
        number=number,
        has_next=len(rows) > size and number < MAX_PAGE,
        count=min(counted, count_limit),
        count_is_exact=counted <= count_limit,
    )
