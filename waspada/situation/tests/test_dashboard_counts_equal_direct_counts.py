"""The dashboard's numbers (one pass with grouping sets on PostgreSQL, four queries on SQLite)
equal what a plain count of ``Report.objects.visible_to(person)`` gives, for every persona; and
the join-free visibility condition selects exactly the reports the rule's join form selects."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from waspada.forums.models import Forum, Membership
from waspada.people.models import Person
from waspada.reports.actions import share_report
from waspada.reports.models import Report
from waspada.reports.tests.factories import LONG_IKIS_VILLAGE, submit
from waspada.reports.visibility import _report_filter
from waspada.situation.counts import _direct, dashboard_counts
from waspada.situation.filters import Filters
from waspada.situation.tests.helpers import villages_of

pytestmark = pytest.mark.django_db

TANJUNG_HARAPAN = "64.01.01"  # another kecamatan of Paser (Batu Sopang)


@pytest.fixture
def reports(personas: Any) -> list[Report]:
    """Reports of several levels, isus, kecamatans and classifications, some shared, spread over
    the period, the trend's older weeks and long before."""
    reporter, chair = personas.desa_reporter, personas.kecamatan_fkdm_chair
    other_village = villages_of(TANJUNG_HARAPAN, 1)[0]
    made = [
        submit(reporter, alert_level="siaga").report,
        submit(reporter, isu="narkoba", alert_level="normal").report,
        submit(reporter, classification="rahasia", alert_level="awas").report,
        submit(reporter, classification="terbatas", isu="agama").report,
        submit(chair, region_code="64.01.06", isu="bencana").report,
        submit(reporter, region_code=other_village, isu="kriminalitas", reporter_forum_code="").report,
        submit(reporter, region_code=other_village, classification="rahasia", reporter_forum_code="").report,
        submit(reporter, region_code=LONG_IKIS_VILLAGE, alert_level="normal").report,
        submit(reporter, alert_level="waspada").report,
    ]
    fkub = Forum.objects.get(code__startswith="FKUB")
    share_report(report=made[1], forum=fkub, by=personas.kesbangpol_analyst)
    share_report(report=made[2], forum=fkub, by=personas.kesbangpol_analyst)
    now = timezone.now()
    # ages: today, 3 and 20 days (the period), 40 and 70 days (the trend only), 200 days (neither)
    for report, days in zip(made, [0, 3, 20, 40, 70, 200, 3, 20, 40], strict=True):
        Report.objects.filter(pk=report.pk).update(reported_at=now - timedelta(days=days, hours=1))
    return made


def _people(personas: Any) -> dict[str, Person]:
    admin = Person.objects.create_superuser(username="root.uji", email="root@waspada.test", password=None)
    return {**personas.all(), "superuser": admin}


def _picture_areas(person: Person) -> list[str]:
    """Rule 13, read straight from the memberships: the areas of the person's TKD and
    Forkopimda seats, any role."""
    seats = Membership.objects.current().filter(person=person, forum__kind__in=["TKD", "FKPD"])
    return [seat.forum.jurisdiction_id for seat in seats.select_related("forum")]


def _in_picture(person: Person, report: Report, visible: set[int]) -> bool:
    areas = _picture_areas(person)
    inside = any(report.region_id == a or report.region_id.startswith(a + ".") for a in areas)
    return person.is_superuser or inside or report.pk in visible


def _expected(filters: Filters, trend: Filters, person: Person) -> dict[str, Any]:
    """Counted in Python over the reports of the person's picture (rule 13: every report in the
    areas of their TKD and Forkopimda seats, and what they may open elsewhere): the independent
    reckoning."""
    zone = timezone.get_current_timezone()
    start, end = filters.bounds()
    t_start, t_end = trend.bounds()
    level, isu, kec, weekly = Counter(), Counter(), Counter(), Counter()
    unbounded = filters.with_period(None, None)
    visible = set(Report.objects.visible_to(person).values_list("pk", flat=True))
    matching = unbounded.apply_reports(Report.objects.all())
    for report in (r for r in matching if _in_picture(person, r, visible)):
        if (start is None or report.reported_at >= start) and (end is None or report.reported_at < end):
            level[report.alert_level] += 1
            isu[report.isu] += 1
            kec[report.region_id[:8]] += 1
        if t_start <= report.reported_at < t_end:
            day = report.reported_at.astimezone(zone).date()
            weekly[(day - timedelta(days=day.weekday()), report.alert_level)] += 1
    return {"level": dict(level), "isu": dict(isu), "kec": dict(kec), "weekly": dict(weekly)}


def _flat(counts: Any) -> dict[str, Any]:
    weekly = {(week, lv): n for week, levels in counts.weekly.items() for lv, n in levels.items()}
    return {"level": counts.by_level, "isu": counts.by_isu, "kec": counts.by_kecamatan, "weekly": weekly}


@pytest.mark.parametrize(
    "query",
    [{}, {"isu": "agraria_korporasi"}, {"region": "64.01.06"}, {"q": "truk"}, {"since": "2000-01-01"}],
)
def test_dashboard_counts_equal_a_direct_count_for_every_persona(
    personas: Any, reports: list[Report], query: dict[str, str]
) -> None:
    today = timezone.localdate()
    filters = Filters.from_query(query)
    if not filters.since:
        filters = filters.with_period(today - timedelta(days=29), today)
    first_week = today - timedelta(days=today.weekday() + 7 * 11)
    trend = filters.with_period(first_week, today)
    seen = {}
    for name, person in _people(personas).items():
        expected = _expected(filters, trend, person)
        assert _flat(dashboard_counts(filters, trend, person)) == expected, name
        assert _flat(_direct(filters, trend, person)) == expected, name
        seen[name] = sum(expected["level"].values())
    if not query:
        # the fixture is not empty for the people who should see something, and differs by person
        assert seen["superuser"] == 5 and seen["outsider"] == 0
        assert seen["kesbangpol_analyst"] == 5 and seen["fkub_officer"] < seen["kesbangpol_analyst"]


def test_the_join_free_condition_selects_what_the_join_form_selects(personas: Any, reports: Any) -> None:
    for name, person in _people(personas).items():
        condition = _report_filter(person)
        joined = Report.objects.all() if condition is None else Report.objects.filter(condition).distinct()
        flat = Report.objects.visible_to(person)
        assert sorted(flat.values_list("pk", flat=True)) == sorted(joined.values_list("pk", flat=True)), name
        assert flat.count() == len(set(flat.values_list("pk", flat=True)))


def test_a_kept_answer_gives_way_to_the_next_change(personas: Any, reports: Any) -> None:
    today = timezone.localdate()
    filters = Filters().with_period(today - timedelta(days=29), today)
    trend = filters.with_period(today - timedelta(days=today.weekday() + 77), today)
    analyst = personas.kesbangpol_analyst
    before = dashboard_counts(filters, trend, analyst)
    assert dashboard_counts(filters, trend, analyst) == before  # kept
    submit(personas.desa_reporter, alert_level="awas")  # an action: it writes an audit entry
    after = dashboard_counts(filters, trend, analyst)
    assert after.by_level.get("awas", 0) == before.by_level.get("awas", 0) + 1
    assert after == _direct(filters, trend, analyst)
    # another viewer never reads the analyst's answer
    assert sum(dashboard_counts(filters, trend, personas.outsider).by_level.values()) == 0


@pytest.mark.parametrize("query", [{}, {"since": "2000-01-01"}, {"isu": "kriminalitas"}])
def test_the_rest_outside_an_analysts_area_is_counted_once_for_the_period_and_the_trend(
    personas: Any, reports: list[Report], ppu_analyst: Person, province_analyst: Person, query: dict[str, str]
) -> None:
    """PPU's analyst's own reports in Paser lie outside their area (the rest of ``report_parts``):
    one query counts them for the period and the trend, each report where its day falls."""
    now = timezone.now()
    own = [
        submit(ppu_analyst, region_code=LONG_IKIS_VILLAGE, isu="kriminalitas", reporter_forum_code="").report
        for _ in range(4)
    ]
    # ages: the period, the trend only, both edges of the trend's first week, long before
    today = timezone.localdate()
    first_week = today - timedelta(days=today.weekday() + 7 * 11)
    edge = timezone.make_aware(timezone.datetime.combine(first_week, timezone.datetime.min.time()))
    for report, when in zip(
        own,
        [
            now - timedelta(days=2),
            now - timedelta(days=50),
            edge + timedelta(minutes=1),
            edge - timedelta(minutes=1),
        ],
        strict=True,
    ):
        Report.objects.filter(pk=report.pk).update(reported_at=when)
    filters = Filters.from_query(query)
    if not filters.since:
        filters = filters.with_period(today - timedelta(days=29), today)
    trend = filters.with_period(first_week, today)
    for person in (ppu_analyst, province_analyst, personas.kesbangpol_analyst):
        expected = _expected(filters, trend, person)
        assert _flat(_direct(filters, trend, person)) == expected, person.username
    assert sum(_expected(filters, trend, ppu_analyst)["weekly"].values()) == 3
