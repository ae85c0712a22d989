"""The dashboard's picture parts read the reports rollup when the filters are on its keys
(situation/counts.py: ``rollup_areas``); on seeded random reports the numbers are those of the
raw count, for Paser's analyst, the province's analyst, PPU's analyst (whose own reports in Paser
are the rest outside their area, still counted raw), a superuser and the wall (no person)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from waspada.people.models import Person
from waspada.regions.models import Region
from waspada.reports.actions import reject_report, verify_report
from waspada.reports.models import Report
from waspada.reports.rollups import differences
from waspada.reports.taxonomy import Classification, Isu
from waspada.reports.tests.factories import submit
from waspada.situation.counts import _direct, rollup_areas
from waspada.situation.filters import Filters

pytestmark = pytest.mark.django_db

QUERIES: list[dict[str, str]] = [
    {},
    {"isu": "bencana"},
    {"alert_level": "siaga"},
    {"status": "terverifikasi"},
    {"region": "64.01.06"},
    {"region": "64.09"},
    {"region": "64"},
    {"since": "2000-01-01"},
]


@pytest.fixture
def random_reports(
    personas: Any, ppu_reporter: Person, ppu_analyst: Person, province_analyst: Person
) -> None:
    rng = random.Random(25)
    paser = list(
        Region.objects.filter(code__startswith="64.01.", level__in=[3, 4]).values_list("code", flat=True)
    )
    ppu = list(
        Region.objects.filter(code__startswith="64.09.", level__in=[3, 4]).values_list("code", flat=True)
    )
    filers = [(personas.desa_reporter, paser), (personas.kecamatan_fkdm_chair, paser), (ppu_reporter, ppu)]
    now = timezone.now()
    for _ in range(60):
        reporter, places = rng.choice(filers)
        when = now - timedelta(days=rng.uniform(0, 100))
        submit(
            reporter,
            isu=rng.choice(Isu.values),
            alert_level=rng.choice(["normal", "waspada", "siaga"]),
            classification=rng.choice(Classification.values),
            region_code=rng.choice(places),
            reported_at=when,
            occurred_at=when - timedelta(hours=2),
        )
    for _ in range(3):  # PPU's analyst's own reports in Paser: outside their area
        submit(ppu_analyst, region_code=rng.choice(paser), reporter_forum_code="")
    for report in Report.objects.filter(region__code__startswith="64.01.").order_by("pk")[::3]:
        verify_report(report=report, by=personas.kesbangpol_analyst)
    for report in Report.objects.filter(region__code__startswith="64.09.", status="baru").order_by("pk")[::4]:
        reject_report(report=report, by=ppu_analyst, reason="Tidak terbukti")
    assert differences() == {}


def _flat(counts: Any) -> dict[str, Any]:
    weekly = {(week, lv): n for week, levels in counts.weekly.items() for lv, n in levels.items()}
    return {
        "level": counts.by_level,
        "isu": counts.by_isu,
        "kec": counts.by_kecamatan,
        "weekly": weekly,
        "withheld": counts.withheld,
    }


@pytest.mark.parametrize("query", QUERIES)
def test_the_rollup_gives_the_raw_counts_for_every_viewer(
    personas: Any, random_reports: None, ppu_analyst: Person, province_analyst: Person, query: dict[str, str]
) -> None:
    superuser = Person.objects.create_superuser(username="root.uji", email="root@waspada.test", password=None)
    today = timezone.localdate()
    filters = Filters.from_query(query)
    if not filters.since:
        filters = filters.with_period(today - timedelta(days=29), today)
    trend = filters.with_period(today - timedelta(days=today.weekday() + 7 * 11), today)
    wall = filters if filters.region is not None else Filters(region=Region.objects.get(code="64.01"))
    viewers: list[tuple[str, Any, Filters]] = [
        ("analyst", personas.kesbangpol_analyst, filters),
        ("province analyst", province_analyst, filters),
        ("ppu analyst", ppu_analyst, filters),
        ("superuser", superuser, filters),
        ("wall", None, wall.with_period(filters.since, filters.until)),
    ]
    for name, person, chosen in viewers:
        chosen_trend = chosen.with_period(trend.since, trend.until)
        assert rollup_areas(chosen, chosen_trend, person) is not None, name  # the rollup is read
        from_rollup = _flat(_direct(chosen, chosen_trend, person))
        assert from_rollup == _flat(_direct(chosen, chosen_trend, person, rollup=False)), (name, query)
    if not query:  # the data is not empty where it should not be
        assert sum(_direct(filters, trend, superuser).by_level.values()) > 10


def test_a_text_search_or_a_filter_the_rollup_lacks_counts_raw(personas: Any) -> None:
    today = timezone.localdate()
    for query in ({"q": "truk"}, {"athg": "gangguan"}, {"disposition": "terbuka"}):
        filters = Filters.from_query(query).with_period(today - timedelta(days=29), today)
        assert rollup_areas(filters, filters, personas.kesbangpol_analyst) is None, query
    # no picture area (an FKDM member): what they may open, counted raw
    filters = Filters().with_period(today - timedelta(days=29), today)
    assert rollup_areas(filters, filters, personas.desa_reporter) is None
