"""A list filtered to a region writes the permission check for that region alone
(``visible_to(person, within=code)``, reports/visibility.py): the rows must be exactly those of the
full check filtered to the same region, for every persona and every kind of region (inside the
persona's area, around it, beside it)."""

from __future__ import annotations

from typing import Any

import pytest

from waspada.forums.actions import add_membership
from waspada.forums.models import Forum, Role
from waspada.people.models import Person
from waspada.regions.models import Region, within_q
from waspada.reports.actions import verify_report
from waspada.reports.models import Incident, Report
from waspada.reports.tests.factories import TANAH_GROGOT, submit

LOMBOK = "64.01.06.2006"
REGIONS = ("64", "64.01", "64.01.06", LOMBOK, TANAH_GROGOT, "64.09", "64.05")
PERSONAS = (
    "kesbangpol_analyst",
    "desa_reporter",
    "kecamatan_fkdm_chair",
    "fkub_officer",
    "regent",
    "outsider",
    "ppu_analyst",
    "ppu_reporter",
    "province_analyst",
    "province_fkdm_chair",
)


@pytest.fixture
def tkd_member(paser: Region, kaltim: Region) -> Person:
    """An ordinary member (anggota) of Paser's TKD: sees the area's reports but not the secret ones."""
    person = Person.objects.create_user(username="anggota.tkd", password="x" * 16, full_name="Anggota TKD")
    add_membership(person=person, forum=Forum.objects.get(code="TKD-6401"), role=Role.ANGGOTA, by=None)
    return person


def test_every_region_filter_gives_the_rows_of_the_full_check(request: Any, tkd_member: Person) -> None:
    ppu_village = Region.objects.filter(code__startswith="64.09.", level=4).order_by("code").first()
    assert ppu_village is not None
    reporter = request.getfixturevalue("desa_reporter")
    ppu_reporter = request.getfixturevalue("ppu_reporter")
    for classification in ("biasa", "terbatas", "rahasia"):
        submit(reporter, classification=classification, title=f"Lombok {classification}")
        submit(reporter, classification=classification, region_code=TANAH_GROGOT)
        submit(ppu_reporter, classification=classification, region_code=ppu_village.code)
    people = [request.getfixturevalue(name) for name in PERSONAS] + [tkd_member]
    differing = []
    for person in people:
        for code in REGIONS:
            rows = Report.objects.filter(within_q(code))
            full = set(rows.visible_to(person).values_list("pk", flat=True))
            scoped = set(rows.visible_to(person, within=code).values_list("pk", flat=True))
            if full != scoped:
                differing.append((person.username, code, sorted(full), sorted(scoped)))
    assert differing == []
    # The test has something to compare: the areas see different numbers of rows.
    analyst = request.getfixturevalue("kesbangpol_analyst")
    assert Report.objects.filter(within_q("64.01")).visible_to(analyst, within="64.01").count() == 6
    assert Report.objects.filter(within_q("64.01")).visible_to(tkd_member, within="64.01").count() == 4
    assert Report.objects.filter(within_q("64")).visible_to(analyst, within="64").count() == 6


def test_the_dashboards_parts_add_up_to_what_the_person_sees(request: Any, tkd_member: Person) -> None:
    """``report_parts`` (the dashboard's counts): the analyst's area without a condition plus the
    rest by the other rules; disjoint, and together exactly ``visible_to``, also for a person
    whose TKD seats nest (the province's analyst who also sits in Paser's TKD)."""
    from waspada.reports.visibility import report_parts

    ppu_village = Region.objects.filter(code__startswith="64.09.", level=4).order_by("code").first()
    assert ppu_village is not None
    analyst = request.getfixturevalue("kesbangpol_analyst")
    reporter = request.getfixturevalue("desa_reporter")
    ppu_reporter = request.getfixturevalue("ppu_reporter")
    province_analyst = request.getfixturevalue("province_analyst")
    add_membership(
        person=province_analyst, forum=Forum.objects.get(code="TKD-6401"), role=Role.ANALIS, by=None
    )
    for classification in ("biasa", "rahasia"):
        submit(reporter, classification=classification)
        submit(ppu_reporter, classification=classification, region_code=ppu_village.code)
        # filed by Paser's analyst through Paser's TKD, about a place in PPU
        submit(analyst, classification=classification, region_code=ppu_village.code)
    people = [request.getfixturevalue(name) for name in PERSONAS] + [tkd_member]
    for person in people:
        visible = sorted(Report.objects.visible_to(person).values_list("pk", flat=True))
        parts = [
            sorted(part.values_list("pk", flat=True)) for part in report_parts(Report.objects.all(), person)
        ]
        together = sorted(pk for part in parts for pk in part)
        assert together == visible, person.username  # and no report counted twice
    # the analyst's own reports about PPU come through the rest, not the area
    analyst_parts = report_parts(Report.objects.all(), analyst)
    assert len(analyst_parts) == 2
    assert analyst_parts[0].count() == 2 and analyst_parts[1].count() == 2


LEVELS = ("biasa", "terbatas", "rahasia")


def _incidents_of_every_classification(request: Any) -> list[tuple[Incident, str, str]]:
    """For each pair of classifications: an incident made from the analyst's report of the first,
    with the village reporter's own report of the second joined to it; and one in PPU."""
    request.getfixturevalue("kaltim")
    analyst = request.getfixturevalue("kesbangpol_analyst")
    reporter = request.getfixturevalue("desa_reporter")
    made = []
    for incident_level in LEVELS:
        for report_level in LEVELS:
            base = submit(analyst, classification=incident_level, title=f"Insiden {incident_level}").report
            incident = verify_report(report=base, by=analyst)
            own = submit(reporter, classification=report_level, title=f"Laporan {report_level}").report
            verify_report(report=own, by=analyst, incident=incident)
            made.append((incident, incident_level, report_level))
    ppu_village = Region.objects.filter(code__startswith="64.09.", level=4).order_by("code").first()
    assert ppu_village is not None
    ppu_report = submit(request.getfixturevalue("ppu_reporter"), region_code=ppu_village.code).report
    verify_report(report=ppu_report, by=request.getfixturevalue("ppu_analyst"))
    return made


def test_an_incident_is_seen_through_a_report_classified_at_least_as_high(request: Any) -> None:
    """The village reporter sees none of these incidents by a seat, only through their own report
    joined to it: a ``rahasia`` incident not through a ``terbatas`` report, and so on."""
    made = _incidents_of_every_classification(request)
    reporter = request.getfixturevalue("desa_reporter")
    seen = set(Incident.objects.visible_to(reporter).values_list("pk", flat=True))
    expected = {
        incident.pk
        for incident, incident_level, report_level in made
        if LEVELS.index(report_level) >= LEVELS.index(incident_level)
    }
    assert len(expected) == 6
    assert seen == expected


def test_an_incident_region_filter_gives_the_incidents_of_the_full_check(
    request: Any, tkd_member: Person
) -> None:
    """``Incident.objects.visible_to(person, within=code)`` (the dashboard's region statuses: no
    condition inside a senior TKD seat's area) holds exactly the incidents of the full check in
    that region."""
    _incidents_of_every_classification(request)
    people = [request.getfixturevalue(name) for name in PERSONAS] + [tkd_member]
    differing = []
    for person in people:
        for code in REGIONS:
            full = set(
                Incident.objects.filter(within_q(code)).visible_to(person).values_list("pk", flat=True)
            )
            scoped = set(Incident.objects.visible_to(person, within=code).values_list("pk", flat=True))
            if full != scoped:
                differing.append((person.username, code, sorted(full), sorted(scoped)))
    assert differing == []
    analyst = request.getfixturevalue("kesbangpol_analyst")
    assert Incident.objects.visible_to(analyst, within="64.01").count() == 9
    assert Incident.objects.visible_to(tkd_member, within="64.01").count() == 6  # no rahasia
    assert Incident.objects.visible_to(analyst, within="64").count() == 9  # not PPU's
