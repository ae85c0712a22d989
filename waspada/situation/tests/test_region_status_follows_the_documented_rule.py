"""The region status rule of docs/situation.md, checked with cases worked out by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from waspada.reports.actions import reject_report
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, TANAH_GROGOT, submit
from waspada.situation.status import counted_level, region_statuses, status_from_levels
from waspada.situation.tests.helpers import LONG_IKIS, incident, villages_of

pytestmark = pytest.mark.django_db


def test_a_regency_without_incidents_is_normal_everywhere(kesbangpol_analyst: Any) -> None:
    statuses = region_statuses(kesbangpol_analyst)
    assert len(statuses) == 154  # 10 kecamatan and 144 villages
    assert {entry.status for entry in statuses.values()} == {"normal"}


def test_one_incident_colours_its_village_and_kecamatan_only(
    desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    incident(desa_reporter, kesbangpol_analyst, alert_level="waspada", days_ago=2)
    statuses = region_statuses(kesbangpol_analyst)
    assert statuses[LONG_IKIS_VILLAGE].status == "waspada"
    assert statuses[LONG_IKIS].status == "waspada"
    assert statuses[LONG_IKIS].incidents == 1
    assert statuses[TANAH_GROGOT].status == "normal"
    other_village = next(code for code in villages_of(LONG_IKIS, 5) if code != LONG_IKIS_VILLAGE)
    assert statuses[other_village].status == "normal"


def test_an_incident_counts_one_level_lower_after_a_week_and_not_after_two(
    desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    incident(desa_reporter, kesbangpol_analyst, alert_level="siaga", days_ago=10)
    assert region_statuses(kesbangpol_analyst)[LONG_IKIS_VILLAGE].status == "waspada"
    later = timezone.now() + timedelta(days=5)  # now 15 days old: out of the window
    assert region_statuses(kesbangpol_analyst, now=later)[LONG_IKIS_VILLAGE].status == "normal"


def test_three_waspada_incidents_make_siaga_but_counts_never_make_awas(
    desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    for _ in range(5):
        incident(desa_reporter, kesbangpol_analyst, alert_level="waspada", days_ago=1)
    entry = region_statuses(kesbangpol_analyst)[LONG_IKIS_VILLAGE]
    assert (entry.status, entry.incidents, entry.alerting) == ("siaga", 5, 5)
    assert any("paling sedikit siaga" in reason for reason in entry.reasons)


def test_incidents_in_three_villages_raise_the_kecamatan_not_the_villages(
    desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    villages = villages_of(LONG_IKIS, 3)
    for code in villages:
        incident(desa_reporter, kesbangpol_analyst, alert_level="waspada", region_code=code)
    statuses = region_statuses(kesbangpol_analyst)
    assert statuses[LONG_IKIS].status == "siaga"
    assert [statuses[code].status for code in villages] == ["waspada"] * 3


def test_unverified_and_rejected_reports_do_not_count(desa_reporter: Any, kesbangpol_analyst: Any) -> None:
    submit(desa_reporter, alert_level="siaga")  # filed, not verified
    made = incident(desa_reporter, kesbangpol_analyst, alert_level="siaga")
    reject_report(report=made.reports.get(), by=kesbangpol_analyst, reason="Informasi tidak benar")
    assert region_statuses(kesbangpol_analyst)[LONG_IKIS_VILLAGE].status == "normal"


def test_an_awas_incident_makes_awas(desa_reporter: Any, kesbangpol_analyst: Any) -> None:
    incident(desa_reporter, kesbangpol_analyst, alert_level="awas", days_ago=0.1)
    statuses = region_statuses(kesbangpol_analyst)
    assert statuses[LONG_IKIS_VILLAGE].status == "awas" and statuses[LONG_IKIS].status == "awas"


def test_a_secret_incident_colours_only_the_map_of_those_who_may_see_it(
    desa_reporter: Any, kesbangpol_analyst: Any, fkub_officer: Any, regent: Any
) -> None:
    incident(desa_reporter, kesbangpol_analyst, alert_level="siaga", classification="rahasia", isu="agama")
    assert region_statuses(kesbangpol_analyst)[LONG_IKIS_VILLAGE].status == "siaga"
    # routed to FKUB, but rahasia is for senior roles only: the FKUB member sees no colour
    assert region_statuses(fkub_officer)[LONG_IKIS_VILLAGE].status == "normal"


def test_the_rule_by_hand() -> None:
    now = timezone.now()
    assert counted_level("awas", now - timedelta(days=6), now) == "awas"
    assert counted_level("awas", now - timedelta(days=8), now) == "siaga"
    assert counted_level("waspada", now - timedelta(days=8), now) == "normal"
    assert counted_level("normal", now - timedelta(days=8), now) == "normal"
    assert status_from_levels([])[0] == "normal"
    assert status_from_levels(["normal", "waspada"])[0] == "waspada"
    assert status_from_levels(["waspada", "waspada", "normal"])[0] == "waspada"
    assert status_from_levels(["waspada", "waspada", "waspada"])[0] == "siaga"
    assert status_from_levels(["siaga", "siaga", "siaga", "siaga"])[0] == "siaga"
    assert status_from_levels(["normal", "normal", "normal", "awas"])[0] == "awas"
