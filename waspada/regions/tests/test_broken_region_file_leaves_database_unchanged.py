"""Every kind of bad code-list input is reported with file, line and reason, and writes nothing.

Paser is loaded first so that "unchanged" is checked against real rows, and each bad input
also carries valid rows (a new province 65) that must not be written either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError

from waspada.regions import importers
from waspada.regions.importers import RegionFiles, RegionImportError, import_code_lists
from waspada.regions.models import Region

from .conftest import snapshot, write

GOOD = {
    "provinces.csv": "code,name\n65,Kalimantan Utara\n",
    "regencies.csv": "code,province_code,name\n65.01,65,Kabupaten Malinau\n",
    "districts.csv": "code,regency_code,name\n65.01.01,65.01,Mentarang\n",
    "villages.csv": "code,district_code,name\n65.01.01.2001,65.01.01,Long Bisai\n",
}

CASES: dict[str, tuple[dict[str, str], str]] = {
    "bad code": (
        {"districts.csv": "code,regency_code,name\n65.01.01,65.01,Mentarang\n65.01.2,65.01,Salah\n"},
        "districts.csv baris 3: kode '65.01.2' bukan kode kecamatan (format PP.KK.CC)",
    ),
    "village code in the kecamatan file": (
        {"districts.csv": "code,regency_code,name\n65.01.01,65.01,Mentarang\n65.01.01.2002,65.01,Salah\n"},
        "districts.csv baris 3: kode '65.01.01.2002' bukan kode kecamatan",
    ),
    "orphan parent": (
        {
            "villages.csv": "code,district_code,name\n65.01.01.2001,65.01.01,Long Bisai\n"
            "64.01.99.2001,64.01.99,X\n"
        },
        "villages.csv baris 3: kode induk 64.01.99 tidak ada (induk yatim)",
    ),
    "parent column disagrees with the code": (
        {"regencies.csv": "code,province_code,name\n65.01,64,Kabupaten Malinau\n"},
        "regencies.csv baris 2: kode induk '64' tidak cocok dengan kode 65.01 (seharusnya 65)",
    ),
    "broken row": (
        {"regencies.csv": "code,province_code,name\n65.01,65,Kabupaten Malinau\n65.02,65\n"},
        "regencies.csv baris 3: baris rusak, 2 kolom padahal seharusnya 3",
    ),
    "duplicate code": (
        {
            "villages.csv": "code,district_code,name\n65.01.01.2001,65.01.01,Long Bisai\n"
            "65.01.01.2001,65.01.01,Long Bisai Lagi\n"
        },
        "villages.csv baris 3: kode 65.01.01.2001 ganda (sudah ada di villages.csv baris 2)",
    ),
    "code already in the database twice in the file": (
        {
            "districts.csv": "code,regency_code,name\n65.01.01,65.01,Mentarang\n"
            "64.01.06,64.01,A\n64.01.06,64.01,B\n"
        },
        "districts.csv baris 4: kode 64.01.06 ganda (sudah ada di districts.csv baris 3)",
    ),
    "empty name": (
        {"provinces.csv": "code,name\n65,Kalimantan Utara\n66,  \n"},
        "provinces.csv baris 3: nama wilayah 66 kosong",
    ),
    "latitude out of range": (
        {"provinces.csv": "kode,nama,lat,lng\n65,Kalimantan Utara,95.1,116.5\n"},
        "provinces.csv baris 2: lintang 95.1 di luar rentang -90..90",
    ),
    "longitude not a number": (
        {"provinces.csv": "kode,nama,lat,lng\n65,Kalimantan Utara,3.1,timur\n"},
        "provinces.csv baris 2: bujur 'timur' bukan angka",
    ),
    "missing column": (
        {"regencies.csv": "code,name\n65.01,Kabupaten Malinau\n"},
        "regencies.csv baris 1: kolom kode induk tidak ada",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(CASES))
def test_bad_code_list_is_reported_and_leaves_the_database_unchanged(
    case: str, paser_regions: Region, tmp_path: Path
) -> None:
    overrides, expected = CASES[case]
    files = {name: write(tmp_path, name, overrides.get(name, text)) for name, text in GOOD.items()}
    before = snapshot()

    with pytest.raises(RegionImportError) as caught:
        import_code_lists(RegionFiles(**{Path(name).stem: path for name, path in files.items()}))

    assert expected in str(caught.value)
    assert snapshot() == before
    assert not Region.objects.filter(code__startswith="65").exists()


@pytest.mark.django_db
def test_the_same_files_without_the_fault_import(paser_regions: Region, tmp_path: Path) -> None:
    for name, text in GOOD.items():
        write(tmp_path, name, text)

    result = import_code_lists(tmp_path)

    assert result.total_created == 4
    assert Region.objects.get(code="65.01.01.2001").parent_id == "65.01.01"


@pytest.mark.django_db
def test_errors_are_collected_up_to_twenty_then_checking_stops(paser_regions: Region, tmp_path: Path) -> None:
    rows = "".join(f"64.01.06.{9000 + n},64.01.99,Desa {n}\n" for n in range(30))
    path = write(tmp_path, "villages.csv", "code,district_code,name\n" + rows)
    before = snapshot()

    with pytest.raises(RegionImportError) as caught:
        import_code_lists([path])

    error = caught.value
    assert len(error.errors) == 20
    assert error.truncated
    assert error.errors[0].startswith("villages.csv baris 2: kode induk '64.01.99' tidak cocok")
    assert "dihentikan setelah 20 kesalahan" in str(error)
    assert snapshot() == before


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_back_the_levels_already_written(
    paser_regions: Region, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, text in GOOD.items():
        write(tmp_path, name, text)
    write(tmp_path, "provinces.csv", "code,name\n64,Kalimantan Timur (baru)\n65,Kalimantan Utara\n")
    before = snapshot()
    real_upsert = importers._upsert_level

    def upsert_failing_on_villages(level_file: Any, existing: set[str], result: Any) -> None:
        if level_file.level == 4:
            raise DatabaseError("disk penuh")
        real_upsert(level_file, existing, result)

    monkeypatch.setattr(importers, "_upsert_level", upsert_failing_on_villages)

    with pytest.raises(DatabaseError):
        import_code_lists(tmp_path)

    assert snapshot() == before


@pytest.mark.django_db
def test_a_gzip_file_that_is_not_gzip_is_reported(db: None, tmp_path: Path) -> None:
    path = tmp_path / "provinces.csv.gz"
    path.write_bytes(b"code,name\n65,Kalimantan Utara\n")

    with pytest.raises(RegionImportError, match=r"provinces\.csv\.gz: bukan berkas CSV"):
        import_code_lists([path])

    assert not Region.objects.exists()


@pytest.mark.django_db
def test_an_unknown_only_code_is_refused(db: None) -> None:
    with pytest.raises(RegionImportError, match=r"99\.99 tidak ditemukan"):
        importers.load_bundled_regions("99.99")
    with pytest.raises(RegionImportError, match="bukan kode wilayah"):
        importers.load_bundled_regions("Paser")
    assert not Region.objects.exists()
