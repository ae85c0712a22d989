"""An outbreak spread over two weeks, too small for Farrington one week at a time, is signalled
by the two-week sum, with both weeks' reports behind it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from waspada.detection.detect import run_detection
from waspada.detection.models import Signal
from waspada.detection.series import rebuild_series, week_start
from waspada.detection.testing import history
from waspada.detection.tests.test_a_surge_in_a_kecamatan_becomes_an_explained_signal import STEADY, outbreak
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE

pytestmark = pytest.mark.django_db(transaction=True)


def test_six_reports_last_week_and_five_this_week_raise_a_two_week_signal_only(
    desa_reporter, kesbangpol_analyst
) -> None:
    today = timezone.localdate()
    last_week = history(
        reporter=desa_reporter,
        region_code=LONG_IKIS_VILLAGE,
        isu="agraria_warga",
        weekly=[*STEADY, 6],
        current=today,
    )[-6:]
    rebuild_series()
    this_week = outbreak(desa_reporter, kesbangpol_analyst, n=5)

    run_detection(today)

    # Baseline about 2 a week (Poisson): one week needs more than 6 to alarm, so neither 6 nor 5
    # does; the two weeks' 11 is judged against Poisson(4), whose 99.5 % quantile is 10.
    ours = Signal.objects.filter(region_id="64.01.06", isu="agraria_warga")
    assert not ours.filter(detector="farrington").exists()
    signal = ours.get(detector="farrington2w")
    assert signal.observed == 11
    assert 3.0 < signal.expected < 5.2
    assert signal.threshold >= 9
    assert signal.explanation.startswith(
        "Laporan sengketa lahan antarwarga di Kec. Long Ikis 2 minggu terakhir 11, biasanya 4;"
    )
    assert signal.p_value is not None and signal.p_value < 0.005
    assert signal.period_start == week_start(today)
    assert set(signal.reports.values_list("pk", flat=True)) == {r.pk for r in [*last_week, *this_week]}
