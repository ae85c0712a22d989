"""Importing past verified incidents (a CSV) so a new installation starts with its history.

The file has a header row and one row per incident or per day's incidents, columns in any order
(Indonesian or English names; comma or semicolon separated; UTF-8, with or without BOM):

* ``tanggal`` / ``date``: the day it happened, ``YYYY-MM-DD`` (or ``DD/MM/YYYY``), not in the future;
* ``kode_wilayah`` / ``region``: the Kemendagri code of its desa, kecamatan or kabupaten;
* ``isu``: the isu's code (``agraria_warga``) or its name (``Agraria: antarwarga atau antardesa``);
* ``tingkat`` / ``level``: ``normal``, ``waspada``, ``siaga`` or ``awas``;
* ``jumlah`` / ``count`` (optional, default 1): how many such incidents that day.

Every row is checked before anything is stored; any bad row refuses the whole file with one
message per problem (row number as a spreadsheet shows it, column, reason). Rows with the same
day, region, isu and level are added together; each such key is one ``HistoryCount`` row, so
importing the same file twice stores it once (and a corrected file replaces the counts of its
keys). The series buckets those days fall in are recomputed in the same transaction, with an
audit entry, so the next detection run counts the history (and ``series.observed_from`` starts
at its earliest week).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from waspada.audit.actions import record
from waspada.detection.models import HistoryCount
from waspada.detection.series import BucketKey, keys_at, recompute
from waspada.regions.models import Level, Region
from waspada.reports.taxonomy import AlertLevel, Isu

if TYPE_CHECKING:
    from waspada.people.models import Person

COLUMNS = {
    "tanggal": "tanggal",
    "date": "tanggal",
    "kode_wilayah": "kode_wilayah",
    "region": "kode_wilayah",
    "region_code": "kode_wilayah",
    "isu": "isu",
    "issue": "isu",
    "tingkat": "tingkat",
    "level": "tingkat",
    "jumlah": "jumlah",
    "count": "jumlah",
}
REQUIRED = ("tanggal", "kode_wilayah", "isu", "tingkat")
MAX_COUNT = 10_000
MAX_ROWS = 200_000


class HistoryError(Exception):
    """The file was refused: ``errors`` holds one Indonesian sentence per problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Imported:
    rows: int
    keys: int
    created: int
    updated: int
    first_day: date | None
    last_day: date | None


def _day(text: str) -> date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _isu(text: str) -> str | None:
    lowered = text.strip().lower()
    for value, label in Isu.choices:
        if lowered in (value, str(label).lower()):
            return value
    return None


def _inside(code: str, areas: Sequence[str]) -> bool:
    return any(code == area or code.startswith(area + ".") for area in areas)


def parse(
    content: bytes, today: date | None = None, areas: Sequence[str] | None = None
) -> dict[tuple[str, str, date, str], int]:
    """The file's counts by (region code, isu, day, level), or ``HistoryError`` with every problem.

    ``areas``: when given (an administrator's TKD areas, on the page), every row's region must
    lie in one of them; None (a superuser, or the server's command line) accepts every region."""
    today = today or timezone.localdate()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HistoryError(["Berkas: bukan teks UTF-8 (simpan sebagai CSV UTF-8)."]) from exc
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise HistoryError(["Berkas: kosong, tidak ada baris judul kolom."])
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    names = [COLUMNS.get(cell, "") for cell in header]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise HistoryError(
            [f"Baris 1 (judul kolom): kolom {', '.join(missing)} tidak ada; yang ada: {', '.join(header)}."]
        )
    codes = dict(
        Region.objects.filter(level__in=[Level.KABUPATEN, Level.KECAMATAN, Level.DESA]).values_list(
            "code", "level"
        )
    )
    levels = set(AlertLevel.values)
    errors: list[str] = []
    counts: dict[tuple[str, str, date, str], int] = defaultdict(int)
    rows = 0
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        rows += 1
        if rows > MAX_ROWS:
            errors.append(f"Berkas: lebih dari {MAX_ROWS} baris; bagi menjadi beberapa berkas.")
            break
        row = {name: cells[i].strip() for i, name in enumerate(names) if name and i < len(cells)}
        day = _day(row.get("tanggal", ""))
        if day is None:
            errors.append(
                f"Baris {number}, kolom tanggal: {row.get('tanggal', '')!r} bukan tanggal (YYYY-MM-DD)."
            )
        elif day > today:
            errors.append(f"Baris {number}, kolom tanggal: {day.isoformat()} ada di masa depan.")
        code = row.get("kode_wilayah", "")
        if code not in codes:
            errors.append(
                f"Baris {number}, kolom kode_wilayah: {code!r} bukan kode desa, kecamatan "
                "atau kabupaten yang dikenal."
            )
        elif areas is not None and not _inside(code, areas):
            errors.append(
                f"Baris {number}, kolom kode_wilayah: {code!r} di luar wilayah Tim Kewaspadaan Dini Anda."
            )
            code = ""
        isu = _isu(row.get("isu", ""))
        if isu is None:
            errors.append(f"Baris {number}, kolom isu: {row.get('isu', '')!r} bukan isu yang dikenal.")
        level = row.get("tingkat", "").lower()
        if level not in levels:
            errors.append(
                f"Baris {number}, kolom tingkat: {row.get('tingkat', '')!r} bukan normal, "
                "waspada, siaga atau awas."
            )
        count_text = row.get("jumlah", "") or "1"
        count = int(count_text) if count_text.isdigit() else 0
        if not 1 <= count <= MAX_COUNT:
            errors.append(
                f"Baris {number}, kolom jumlah: {count_text!r} bukan bilangan bulat 1 sampai {MAX_COUNT}."
            )
        if day is not None and isu is not None and code in codes and level in levels and count >= 1:
            counts[(code, isu, day, level)] += count
    if errors:
        raise HistoryError(errors)
    if not counts:
        raise HistoryError(["Berkas: tidak ada baris data di bawah judul kolom."])
    return dict(counts)


def import_history(
    content: bytes,
    *,
    actor: Person | None,
    source: str = "",
    today: date | None = None,
    areas: Sequence[str] | None = None,
    channel: str = "cli",
) -> Imported:
    """Validate and store the file's history, recompute its buckets, audit it; all or nothing."""
    counts = parse(content, today, areas)
    digest = hashlib.sha256(content).hexdigest()
    created = updated = 0
    keys: set[BucketKey] = set()
    with transaction.atomic():
        existing = {
            (r.region_id, r.isu, r.day, r.alert_level): r
            for r in HistoryCount.objects.select_for_update().filter(
                region_id__in={k[0] for k in counts}, day__in={k[2] for k in counts}
            )
        }
        new: list[HistoryCount] = []
        for (code, isu, day, level), count in counts.items():
            row = existing.get((code, isu, day, level))
            if row is None:
                new.append(
                    HistoryCount(
                        region_id=code, isu=isu, day=day, alert_level=level, count=count, source=source[:200]
                    )
                )
                created += 1
            elif row.count != count:
                row.count = count
                row.source = source[:200]
                row.save(update_fields=["count", "source", "imported_at"])
                updated += 1
            else:
                continue
            keys.update(keys_at(code, isu, day))
        HistoryCount.objects.bulk_create(new)
        recompute(keys)
        days = [k[2] for k in counts]
        result = Imported(
            rows=sum(counts.values()),
            keys=len(counts),
            created=created,
            updated=updated,
            first_day=min(days),
            last_day=max(days),
        )
        record(
            action="detection.history_imported",
            actor=actor,
            changes={
                "source": source[:200],
                "sha256": digest,
                "incidents": result.rows,
                "created": created,
                "updated": updated,
                "first_day": min(days).isoformat(),
                "last_day": max(days).isoformat(),
            },
            channel="system" if actor is None else channel,
            object_type="detection.historycount",
            object_id=digest[:16],
        )
    return result
