"""The space-time permutation scan over a kabupaten's villages, end to end through the database."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from waspada.detection.detect import run_detection
from waspada.detection.models import Signal
from waspada.detection.series import rebuild_series
from waspada.detection.testing import history
from waspada.regions.models import Level, Region
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_reports_bunched_in_one_village_in_the_last_days_become_a_cluster_signal(
    desa_reporter, kesbangpol_analyst
) -> None:
    rng = np.random.default_rng(3)
    villages = list(Region.objects.filter(code__startswith="64.01.", level=Level.DESA).order_by("code"))
    for village in villages:  # villages scattered over ~100 km; Lombok stands alone
        village.latitude = -1.9 + rng.uniform(-0.45, 0.45)
        village.longitude = 116.1 + rng.uniform(-0.45, 0.45)
    Region.objects.bulk_update(villages, ["latitude", "longitude"])
    today = timezone.localdate()
    # Background: one report a fortnight in 30 villages over half a year (ordinary, spread out).
    for village in villages[:30]:
        history(
            reporter=desa_reporter,
            region_code=village.code,
            isu="kriminalitas",
            weekly=[1, 0] * 13,
            current=today,
            prefix=village.code,
        )
    rebuild_series()
    # The cluster: 8 reports in Desa Lombok within the last day.
    for i in range(8):
        report = submit(
            desa_reporter,
            isu="kriminalitas",
            region_code=LONG_IKIS_VILLAGE,
            title=f"Pencurian sawit {i}",
            occurred_at=timezone.now() - timedelta(hours=1 + i),
        ).report
        verify_report(report=report, by=kesbangpol_analyst)

    result = run_detection(today)

    assert result.clusters >= 1
    signal = Signal.objects.get(detector="scan", isu="kriminalitas")
    assert LONG_IKIS_VILLAGE in signal.details["villages"]
    assert signal.observed >= 8 and signal.expected < 2
    assert signal.p_value is not None and signal.p_value < 0.05
    assert signal.recurrence_days == pytest.approx(1 / signal.p_value)
    assert signal.reports.count() == signal.observed
    assert "pengelompokan sebesar ini secara kebetulan diperkirakan sekali dalam" in signal.explanation
    assert signal.explanation.startswith("Laporan kriminalitas di ")
