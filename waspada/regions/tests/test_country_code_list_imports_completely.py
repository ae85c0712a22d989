from __future__ import annotations

import pytest

from waspada.regions.importers import load_bundled_regions
from waspada.regions.models import Level, Region, RegionType


@pytest.mark.django_db
def test_the_whole_country_imports_38_provinces_514_regencies_7285_kecamatan_83762_villages() -> None:
    result = load_bundled_regions(None)

    assert result.created == {
        Level.PROVINSI: 38,
        Level.KABUPATEN: 514,
        Level.KECAMATAN: 7285,
        Level.DESA: 83762,
    }
    counts = {level: Region.objects.filter(level=level).count() for level in Level.values}
    assert counts == {1: 38, 2: 514, 3: 7285, 4: 83762}
    assert Region.objects.filter(type=RegionType.KOTA).count() == 98
    assert not Region.objects.filter(level__gt=Level.PROVINSI, parent__isnull=True).exists()
    assert not Region.objects.filter(search_name="").exists()
