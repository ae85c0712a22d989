from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waspada.regions.models import Level, Region

from .conftest import boundaries_dir, regions_dir, snapshot, write


@pytest.mark.django_db
def test_import_regions_without_paths_loads_the_bundled_list_for_one_regency() -> None:
    out = StringIO()

    call_command("import_regions", "--only", "64.01", stdout=out)

    assert Region.objects.filter(level=Level.DESA).count() == 144
    assert "Impor wilayah selesai" in out.getvalue()
    assert "desa/kelurahan: 144 baru, 0 diperbarui" in out.getvalue()


@pytest.mark.django_db
def test_import_regions_reads_a_folder_of_csv_files(db: None) -> None:
    out = StringIO()

    call_command("import_regions", str(regions_dir()), "--only", "64.01", stdout=out)

    assert Region.objects.get(code="64.01.06").latitude == -1.579522


@pytest.mark.django_db
def test_a_bad_file_fails_the_command_with_every_problem_and_changes_nothing(
    paser_regions: Region, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "villages.csv",
        "code,district_code,name\n64.01.99.2001,64.01.99,X\n64.01.06.2099,64.01.06,\n",
    )
    before = snapshot()

    with pytest.raises(CommandError) as caught:
        call_command("import_regions", str(path))

    message = str(caught.value)
    assert "basis data tidak diubah" in message
    assert "villages.csv baris 2: kode induk 64.01.99 tidak ada (induk yatim)" in message
    assert "villages.csv baris 3: nama wilayah 64.01.06.2099 kosong" in message
    assert snapshot() == before


@pytest.mark.django_db
def test_import_boundaries_attaches_polygons_and_reports_bad_files(
    paser_regions: Region, tmp_path: Path
) -> None:
    out = StringIO()

    call_command("import_boundaries", str(boundaries_dir() / "paser_kecamatan.geojson"), stdout=out)

    assert "kecamatan: 0 baru, 10 diperbarui" in out.getvalue()
    bad = write(tmp_path, "rusak.geojson", "{not json")
    with pytest.raises(CommandError, match=r"rusak\.geojson: bukan GeoJSON"):
        call_command("import_boundaries", str(bad))
