"""Who may do what: the one place that decides it, for pages, the API, exports and channels.

Every model that holds domain data answers ``Model.objects.restrict(person, action)`` from the
rules below (``visible_to(person)`` is ``restrict(person, "view")``), and every action checks the
object it changes with ``may(person, action, obj)``, so a page or API that forgot to scope its
query still cannot widen a right. A person's seats are read once per request
(``waspada/forums/access.py``, which also defines the *deciding TKD* used below).

Words: a seat's *area* is its forum's jurisdiction; an area *covers* a region that is the area
or lies below it. The *senior roles* are ketua, sekretaris, analis and pimpinan. The *deciding
TKD* of a region is the Tim Kewaspadaan Dini whose area covers it most closely: Paser's TKD for
every place in Paser, the province's TKD only where no regency TKD covers the place.

Seeing reports (view):

1. A reporter always sees their own reports.
2. The Tim Kewaspadaan Dini (TKD) receives every report: its members see every report located in
   the TKD's area, at any level (a province TKD sees its regencies' reports). ``rahasia`` reports
   only for its senior roles.
3. A report shared with a forum (by an analyst, or by routing) is seen by that forum's members;
   ``rahasia`` again only for senior roles.
4. A forum sees the ``biasa`` reports submitted through forums of its own kind inside its
   jurisdiction: a kecamatan FKDM sees what its district's village FKDMs and its own members filed.
   An FKDM member does not see other forums' reports unless they are shared with their forum.
5. Superusers (the installation's technical owner) see everything.

An incident carries the title and classification of the report it was made from. It is seen by
whoever sees one of its reports classified at least as high as the incident (an ordinary report
joined to a ``rahasia`` incident does not show that incident's title to its readers), and by the
TKD as it sees reports: every incident located in its area, ``rahasia`` ones only for its senior
roles. The last rule keeps a merged incident, which holds no reports any more, readable by the
analysts who merged it.

Changing things:

6. Triage (verify, reject, correct, merge, split, set an incident's level, share a report),
   setting a region's status by hand (override) and publishing alerts (publish) belong to the
   senior roles of the region's *deciding* TKD, and superusers. Seeing a report is not enough:
   the province's analyst reads Paser's reports but does not verify them, and no regency's team
   touches another regency's reports, statuses or alerts.
7. An informant's identity is revealed (reveal) only to a person marked as informant handler
   who holds a seat, of any role, in the deciding TKD of the report's region; each reveal is
   recorded. Nobody else ever sees it.
8. The exact point of a report is shown to its reporter and to the TKDs whose area covers it;
   everyone else sees the village.
9. A disposition is seen by the members of its forum (for a ``rahasia`` report, its senior roles
   only) and by the TKDs whose area covers the report's region (``rahasia``: senior roles). Its
   forum's members work on it (act: acknowledge, record action, pause, close, return); the senior
   roles of the report's deciding TKD work on it too and manage it (triage: add, redirect,
   withdraw). A report is given or redirected only to a forum whose area covers the report's
   region: a forum of that regency, or of its province.
10. Signals are seen by the senior roles of every TKD whose area covers the signal's region, and
    reviewed by those of its deciding TKD.
11. An incident shared with another regency's TKD (``reports/sharing.py``, by the senior roles of
    its deciding TKD) is seen by that TKD's members as a summary only, while the share is active;
    never a ``rahasia`` one, never its reports.
12. A report's source description (who or what the information came from; it often names the
    source) is shown to its reporter and to the senior roles of the TKDs whose area covers it;
    everyone else who sees the report reads "dirahasiakan", as the exports already withhold it.
    The source's grading (reliability and credibility) stays visible.

The picture of a jurisdiction:

13. The assessed picture of a jurisdiction (the region statuses the documented rule computes,
    the numbers of reports by isu, alert level and kecamatan, the weekly trend, the numbers of
    open and late dispositions, and the notable incidents) is the same for every member, of any
    role, of a TKD or a Forkopimda (FKPD) whose area covers it, whatever the classification of
    the reports it is counted from: a leader is never shown a calmer picture than the analyst.
    It is a count, not a reading. The reports and incidents behind it open only by rules 1 to
    5; what a person may not open is counted and said ("12 laporan tidak dapat Anda buka"), and
    an incident they may not open is named by its isu, level and kecamatan, never by its title.
    Everyone else's picture is counted from what they may open, and says so.
    The command-room wall (``situation/wall.py``) shows the assessed picture of one jurisdiction
    on a screen anyone in the room can see, opened by a display token with no person: there an
    incident is named by its title only when ``biasa``, otherwise by its isu, level and kecamatan.

Nobody else sees or changes anything. Forums and rosters have their own rules
(``Forum.objects.visible_to``, ``Membership.objects.visible_to``: the line of command), and
alerts theirs (``Alert.objects.visible_to``: by scope, docs/exchange.md).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from waspada.forums.access import access_of, forums_key
from waspada.forums.models import ForumKind, Membership, MembershipQuerySet, Role
from waspada.regions.models import within_q
from waspada.regions.names import code_within
from waspada.reports.taxonomy import Classification

if TYPE_CHECKING:
    from waspada.people.models import Person
    from waspada.reports.models import IncidentQuerySet, Report, ReportQuerySet

SENIOR_ROLES = frozenset({Role.KETUA, Role.SEKRETARIS, Role.ANALIS, Role.PIMPINAN})
# An incident of this classification is shown through a report of one of these.
_AT_LEAST: dict[str, tuple[str, ...]] = {
    Classification.BIASA: (Classification.BIASA, Classification.TERBATAS, Classification.RAHASIA),
    Classification.TERBATAS: (Classification.TERBATAS, Classification.RAHASIA),
    Classification.RAHASIA: (Classification.RAHASIA,),
}


def _region_within(field: str, code: str) -> Q:
    return within_q(code, field)


def _report_filter(person: Person, prefix: str = "") -> Q | None:
    """The Q that selects the reports ``person`` may see; None means everything."""
    access = access_of(person)
    if not access.active:
        return Q(pk__in=[])
    if access.superuser:
        return None
    p = prefix
    allowed = Q(**{f"{p}reporter_id": person.pk})
    not_secret = ~Q(**{f"{p}classification": Classification.RAHASIA})
    biasa = Q(**{f"{p}classification": Classification.BIASA})
    for seat in access.seats:
        level_ok = Q() if seat.senior else not_secret
        if seat.kind == ForumKind.TKD:
            allowed |= _region_within(f"{p}region", seat.area) & level_ok
        allowed |= Q(**{f"{p}shared_with": seat.forum_id}) & level_ok
        allowed |= (
            Q(**{f"{p}reporter_forum__kind": seat.kind})
            & _region_within(f"{p}reporter_forum__jurisdiction", seat.area)
            & biasa
        )
    return allowed


LITERAL_IDS = 1000  # up to this many ids are written into the query; more stay a subquery


def _shared_report_ids(forum_id: int) -> list[int]:
    """The reports shared with a forum, up to one more than ``LITERAL_IDS``."""
    from waspada.reports.models import Report

    shared = Report.shared_with.through.objects.filter(forum_id=forum_id)
    return list(shared.values_list("report_id", flat=True)[: LITERAL_IDS + 1])


def _forum_ids(kind: str, area: str) -> list[int]:
    """The forums of ``kind`` whose jurisdiction lies in ``area``."""
    from waspada.forums.models import Forum

    forums = Forum.objects.filter(_region_within("jurisdiction", area), kind=kind)
    return list(forums.values_list("pk", flat=True))


def _report_row_filter(person: Person, within: str | None = None, outside: tuple[str, ...] = ()) -> Q | None:
    """The same rules as ``_report_filter``, written on the report's own row: the forums a report
    is shared with and the forum it was filed through are read first and written as id lists
    (``id IN (…)``) instead of joins, so one report is one row and no ``pk IN`` wrapper is needed.
    None means everything.

    ``within``: a region code the caller filters the same rows by as well (a list's region
    filter). Inside it a TKD seat's region term is decided before the query is written: true when
    the region lies in the seat's area (a senior seat then sees every row: no condition at all),
    false when the two do not overlap; only an area inside the region stays a condition. The
    answer is the same set of rows; the planner no longer multiplies two region tests it takes for
    independent (docs/benchmarks.md, "permission check").

    ``outside``: region codes the caller has excluded from the same rows; a TKD seat whose area
    lies inside one of them cannot match and is left out (``report_parts``)."""
    from waspada.reports.models import Report

    access = access_of(person)
    if not access.active:
        return Q(pk__in=[])
    if access.superuser:
        return None
    not_secret = ~Q(classification=Classification.RAHASIA)
    biasa = Q(classification=Classification.BIASA)
    shared = Report.shared_with.through.objects
    # The region terms first, then the reporter's own, then the short lists read once as literal
    # ids: the planner then estimates the condition from its statistics and combines indexes
    # (docs/benchmarks.md, "permission check"); a long list stays a subquery.
    allowed = Q(pk__in=[])
    for seat in access.tkd_seats():
        if any(code_within(seat.area, excluded) for excluded in outside):
            continue
        if within is not None and code_within(within, seat.area):
            if seat.senior:
                return None  # every row inside ``within`` lies in this seat's area
            allowed |= not_secret
        elif within is None or code_within(seat.area, within):
            allowed |= _region_within("region", seat.area) & (Q() if seat.senior else not_secret)
    allowed |= Q(reporter_id=person.pk)
    for seat in access.seats:
        level_ok = Q() if seat.senior else not_secret
        ids = access.remember(("shared reports", seat.forum_id), partial(_shared_report_ids, seat.forum_id))
        if len(ids) > LITERAL_IDS:
            allowed |= Q(pk__in=shared.filter(forum_id=seat.forum_id).values("report_id")) & level_ok
        elif ids:
            allowed |= Q(pk__in=ids) & level_ok
        kind, area = seat.kind, seat.area
        same_kind = access.remember(forums_key(kind, area), partial(_forum_ids, kind, area))
        if same_kind:
            allowed |= Q(reporter_forum_id__in=same_kind) & biasa
    return allowed


def reports_visible_to(queryset: ReportQuerySet, person: Person, within: str | None = None) -> ReportQuerySet:
    """``within``: only when ``queryset`` is already filtered to that region (``_report_row_filter``)."""
    condition = _report_row_filter(person, within)
    if condition is None:
        return queryset
    # A condition on the row itself (no joins): filters applied before or after visible_to (a
    # period, a region) and the condition are read in one pass over the same rows.
    return queryset.filter(condition)


def report_parts(queryset: ReportQuerySet, person: Person) -> list[ReportQuerySet]:
    """``queryset.visible_to(person)`` as disjoint parts whose counts add up to its count, each
    with a plan of its own: one part per area of the person's senior TKD seats (every report
    there is visible: no condition, the same scan as a superuser's region filter), and last the
    rest outside those areas, where only the person's own reports, their forums' and what is
    shared with them can match (read by the reporter and forum indexes instead of testing every
    report of the period). For counting (the dashboard); a list keeps one ordered queryset."""
    access = access_of(person)
    if not access.active or access.superuser:
        return [reports_visible_to(queryset, person)]
    # the outermost areas only, so that the parts do not overlap
    areas = _outermost({seat.area for seat in access.tkd_seats(senior=True)})
    if not areas:
        return [reports_visible_to(queryset, person)]
    parts = [reports_visible_to(queryset.filter(within_q(area)), person, within=area) for area in areas]
    return [*parts, _rest_outside(queryset, person, areas)]


def _outermost(areas: set[str]) -> tuple[str, ...]:
    """The areas not inside another of them, sorted: parts read over them never overlap."""
    return tuple(sorted(a for a in areas if not any(b != a and code_within(a, b) for b in areas)))


def _rest_outside(queryset: ReportQuerySet, person: Person, areas: tuple[str, ...]) -> ReportQuerySet:
    """The reports of ``queryset`` outside ``areas`` that the person may open (rules 1 to 5): the
    last part of ``report_parts`` and ``picture_parts``."""
    rest = queryset
    for area in areas:
        rest = rest.exclude(within_q(area))
    condition = _report_row_filter(person, outside=areas)
    return rest if condition is None else rest.filter(condition)


def _tkd_incident_filter(person: Person) -> Q:
    """The incidents located in the jurisdiction of the person's TKD seats (rule 2, for incidents)."""
    allowed = Q(pk__in=[])
    for seat in access_of(person).tkd_seats():
        level_ok = Q() if seat.senior else ~Q(classification=Classification.RAHASIA)
        allowed |= _region_within("region", seat.area) & level_ok
    return allowed


def _shared_incident_filter(person: Person) -> Q:
    """Rule 11: the incidents actively shared with a TKD the person sits in (not ``rahasia``).

    The shared incidents are few; their ids are read first and written into the query as a list
    (a long list stays a subquery), as ``_report_row_filter`` does for shared reports."""
    from waspada.reports.models import IncidentShare

    access = access_of(person)
    tkd_forums = [seat.forum_id for seat in access.tkd_seats()]
    if not tkd_forums:
        return Q(pk__in=[])
    shares = IncidentShare.objects.active().filter(forum_id__in=tkd_forums)
    ids = access.remember(
        "shared incidents", lambda: list(shares.values_list("incident_id", flat=True)[: LITERAL_IDS + 1])
    )
    if not ids:
        return Q(pk__in=[])
    shared = Q(pk__in=shares.values("incident_id")) if len(ids) > LITERAL_IDS else Q(pk__in=ids)
    return shared & ~Q(classification=Classification.RAHASIA)


def incidents_visible_to(
    queryset: IncidentQuerySet, person: Person, within: str | None = None
) -> IncidentQuerySet:
    """An incident is visible when one of its reports, classified at least as high, is visible;
    to the TKD of its region; and, summary only, to a TKD it is shared with (rule 11).

    Written on the incident's own row: the TKD and sharing terms are plain conditions on it, and
    "one of its reports" is one correlated ``EXISTS`` (the report's classification compared with
    the incident's inside it), so PostgreSQL looks only at the reports of the incidents it is
    already reading (by the reports' incident index) rather than at every report of every
    incident in the installation (docs/benchmarks.md).

    ``within``: only the incidents located in that region (filtered here). When one of the
    person's senior TKD seats covers the whole region, every incident there is visible by the TKD
    rule, so no further condition is written (the dashboard's region statuses); otherwise the
    check as above."""
    from django.db.models import Exists, OuterRef
    from django.db.models.lookups import Exact

    from waspada.reports.models import Report

    if within is not None:
        queryset = queryset.filter(_region_within("region", within))
        access = access_of(person)
        if access.active and any(code_within(within, seat.area) for seat in access.tkd_seats(senior=True)):
            return queryset
    condition = _report_row_filter(person)
    if condition is None:
        return queryset
    # "classified at least as high as the incident" (``_AT_LEAST``) inside one EXISTS, so the
    # report condition is written (and compiled) once rather than once per classification
    at_least = (
        Q(classification=Classification.RAHASIA)
        | Q(classification=OuterRef("classification"))
        | Q(
            Q(classification=Classification.TERBATAS), Exact(OuterRef("classification"), Classification.BIASA)
        )
    )
    own_reports = Report.objects.filter(at_least, condition, incident_id=OuterRef("pk"))
    through_reports = Q(classification__in=list(_AT_LEAST)) & Exists(own_reports)
    return queryset.filter(through_reports | _tkd_incident_filter(person) | _shared_incident_filter(person))


# -- the assessed picture (rule 13) -----------------------------------------------------------

PICTURE_KINDS = (ForumKind.TKD, ForumKind.FKPD)


def picture_areas(person: Person) -> tuple[str, ...]:
    """Rule 13: the outermost areas of the person's TKD and Forkopimda seats, any role (a
    superuser's picture is everything: the empty tuple, and ``sees_whole_picture`` says so)."""
    access = access_of(person)
    if not access.active or access.superuser:
        return ()
    return _outermost({seat.area for seat in access.seats if seat.kind in PICTURE_KINDS})


def sees_whole_picture(person: Person, region_code: str) -> bool:
    """Whether the assessed picture of ``region_code`` is the person's (rule 13)."""
    access = access_of(person)
    if not access.active:
        return False
    return access.superuser or any(code_within(region_code, area) for area in picture_areas(person))


def picture_parts(queryset: ReportQuerySet, person: Person, *, rest: bool = True) -> list[ReportQuerySet]:
    """The reports of the person's picture (rule 13) as disjoint parts whose counts add up: one
    part per picture area, every report there with no condition (the assessed picture, counted
    as the deciding TKD counts it), and last the reports the person may open outside those
    areas (rules 1 to 5). Without a picture area, ``report_parts``.

    ``rest=False``: the area parts only, for a caller that counts the rest outside them apart
    (the dashboard counts it once for the period and the trend; writing its condition is most of
    the Python time of a province analyst's page)."""
    areas = picture_areas(person)
    if not areas:
        return report_parts(queryset, person)
    parts = [queryset.filter(within_q(area)) for area in areas]
    return [*parts, _rest_outside(queryset, person, areas)] if rest else parts


def withheld_by_classification(queryset: ReportQuerySet, person: Person) -> dict[str, int]:
    """Rule 13: how many reports of the person's picture areas in ``queryset`` they may not open,
    by classification (the number is said; the reports stay closed). Nothing is read when a
    senior TKD seat covers every area (the analyst opens every report of their picture)."""
    from django.db.models import Count

    withheld: dict[str, int] = {}
    for area in picture_areas(person):
        condition = _report_row_filter(person, within=area)
        if condition is None:
            continue
        rows = queryset.filter(within_q(area)).exclude(condition).order_by()
        for classification, n in rows.values_list("classification").annotate(n=Count("pk")):
            withheld[classification] = withheld.get(classification, 0) + n
    return withheld


def opens_whole_picture(person: Person) -> bool:
    """Whether the person may open every report and incident of their picture (a senior TKD seat
    covers each picture area): their picture and what they may open are then the same rows."""
    access = access_of(person)
    if not access.active:
        return False
    return access.superuser or all(
        _report_row_filter(person, within=area) is None for area in picture_areas(person)
    )


def picture_incidents(
    queryset: IncidentQuerySet, person: Person, within: str | None = None
) -> IncidentQuerySet:
    """The incidents that count in the person's picture (rule 13), in ``within`` when given:
    every incident inside their picture areas, and outside them those they may open. For region
    statuses and the notable incidents; which of them the person may open is asked apart
    (``incidents_visible_to``)."""
    if opens_whole_picture(person):
        return incidents_visible_to(queryset, person, within=within)
    if within is not None and sees_whole_picture(person, within):
        return queryset.filter(_region_within("region", within))
    areas = [a for a in picture_areas(person) if within is None or code_within(a, within)]
    if not areas:
        return incidents_visible_to(queryset, person, within=within)
    from waspada.reports.models import Incident

    inside = Q(pk__in=[])
    for area in areas:
        inside |= _region_within("region", area)
    visible = incidents_visible_to(Incident.objects.all(), person, within=within).values("pk")
    if within is not None:
        queryset = queryset.filter(_region_within("region", within))
    return queryset.filter(inside | Q(pk__in=visible))


def picture_dispositions(queryset: Any, person: Person) -> Any:
    """The dispositions counted in the person's picture (rule 13): every disposition on a report of
    their picture areas, and outside them those they may see (rule 9)."""
    condition = disposition_condition(person, VIEW)
    areas = picture_areas(person)
    if condition is None or not areas or opens_whole_picture(person):
        return restricted(queryset, condition)
    inside = Q(pk__in=[])
    for area in areas:
        inside |= within_q(area, "report__region")
    return queryset.filter(inside | condition)


def can_see_exact_location(person: Person, report: Report) -> bool:
    """The exact point is for the reporter and the TKDs whose area covers the report (rule 8)."""
    if report.reporter_id is not None and report.reporter_id == getattr(person, "pk", None):
        return True  # the reporter's own report: no seats to read (a report just filed, intake)
    return exact_location_rule(person)(report.region_id, report.reporter_id)


def exact_location_rule(person: Person) -> Callable[[str, int | None], bool]:
    """``can_see_exact_location`` for a whole list or export, decided once: the returned function
    takes a report's region code and reporter id and answers from the seats already read."""
    access = access_of(person)
    if access.superuser and access.active:
        return lambda region_id, reporter_id: True
    areas = [seat.area for seat in access.tkd_seats()]
    me = person.pk

    def sees(region_id: str, reporter_id: int | None) -> bool:
        return reporter_id == me or any(code_within(region_id, area) for area in areas)

    return sees


def can_see_source(person: Person, report: Report) -> bool:
    """Rule 12: the source description is for the reporter and the covering TKDs' senior roles."""
    if (
        report.reporter_id is not None
        and report.reporter_id == getattr(person, "pk", None)
        and getattr(person, "is_authenticated", False)
        and person.is_active
    ):
        return True  # the reporter's own report, answered without reading their seats
    access = access_of(person)
    if not access.active:
        return False
    if access.superuser or report.reporter_id == person.pk:
        return True
    return any(code_within(report.region_id, seat.area) for seat in access.tkd_seats(senior=True))


def tkd_senior_seats(person: Person) -> MembershipQuerySet:
    """The current memberships in which ``person`` holds a senior role (ketua, sekretaris,
    analis, pimpinan) of a TKD: who triages, reviews signals, sets statuses and issues alerts,
    each within the regions their TKD decides for (``Access.decides``)."""
    return Membership.objects.current().filter(
        person_id=person.pk, forum__kind=ForumKind.TKD, role__in=list(SENIOR_ROLES)
    )


def can_triage(person: Person) -> bool:
    """Whether ``person`` may open the triage pages at all (a senior seat in some TKD).

    This is a question about the person, for menus and page guards; every action also asks
    about the object (``may``), so a seat in one regency's TKD never reaches another's reports.
    """
    return access_of(person).active and access_of(person).is_tkd_senior


def can_reveal_informant(person: Person) -> bool:
    """Whether ``person`` is an informant handler at all (the page shows the button); the reveal
    itself also needs ``may(person, "reveal", report)``."""
    return bool(getattr(person, "is_informant_handler", False)) and person.is_active


# -- the rules per model and action (rules 6 to 10) ---------------------------------------------------

VIEW, TRIAGE, ACT, OVERRIDE, PUBLISH, REVEAL = "view", "triage", "act", "override", "publish", "reveal"
ACTIONS = frozenset({VIEW, TRIAGE, ACT, OVERRIDE, PUBLISH, REVEAL})


def _unknown(model: str, action: str) -> ValueError:
    return ValueError(f"{model} has no right called {action!r}")


def report_condition(person: Person, action: str) -> Q | None:
    """Rules 1 to 5 (view), 6 (triage) and 7 (reveal) for reports; None means every report."""
    access = access_of(person)
    if action == VIEW:
        return _report_row_filter(person)
    if action == TRIAGE:
        return None if access.superuser and access.active else access.decides_q("region")
    if action == REVEAL:
        if not (access.active and access.informant_handler):
            return Q(pk__in=[])
        return access.decides_q("region", senior=False)
    raise _unknown("Report", action)


def incident_condition(person: Person, action: str) -> Q | None:
    """Rule 6 for incidents (triage: merge, split, set the level, share); view has its own
    function because it looks through the reports (``incidents_visible_to``)."""
    access = access_of(person)
    if action == TRIAGE:
        return None if access.superuser and access.active else access.decides_q("region")
    raise _unknown("Incident", action)


def disposition_condition(person: Person, action: str) -> Q | None:
    """Rule 9: who sees, works on and manages dispositions. None means every disposition."""
    access = access_of(person)
    if not access.active:
        return Q(pk__in=[])
    if access.superuser:
        return None
    secret = Q(report__classification=Classification.RAHASIA)
    members = Q(pk__in=[])
    for seat in access.seats:
        in_forum = Q(forum_id=seat.forum_id)
        members |= in_forum if seat.senior else in_forum & ~secret
    if action == VIEW:
        tkd = Q(pk__in=[])
        for seat in access.tkd_seats():
            covered = within_q(seat.area, "report__region")
            tkd |= covered if seat.senior else covered & ~secret
        return members | tkd
    if action == ACT:
        return members | access.decides_q("report__region")
    if action == TRIAGE:
        return access.decides_q("report__region")
    raise _unknown("Disposition", action)


def signal_condition(person: Person, action: str) -> Q | None:
    """Rule 10: signals are seen by the TKD's senior roles of every TKD whose area covers the
    signal's region, and reviewed by those of its deciding TKD."""
    access = access_of(person)
    if not access.active:
        return Q(pk__in=[])
    if access.superuser:
        return None
    if action == VIEW:
        return access.covers_q("region", senior=True)
    if action == TRIAGE:
        return access.decides_q("region")
    raise _unknown("Signal", action)


def region_condition(person: Person, action: str) -> Q | None:
    """Rule 6 for regions: a status is set by hand (override) and an alert is published for a
    region (publish) by the senior roles of its deciding TKD. A condition on ``Region`` itself."""
    access = access_of(person)
    if action not in (OVERRIDE, PUBLISH):
        raise _unknown("Region", action)
    if not access.active:
        return Q(pk__in=[])
    if access.superuser:
        return None
    return access.decides_q("")


def may_decide_region(person: Person, region_code: str) -> bool:
    """``region_condition`` for one region, answered from the seats already read (no query)."""
    return access_of(person).decides(region_code)


def may(person: Person, action: str, obj: object) -> bool:
    """Whether ``person`` holds right ``action`` on this one object: the object-level check every
    action makes, whatever page or API called it. Asked of the model's ``restrict``."""
    if action not in ACTIONS:
        raise _unknown(type(obj).__name__, action)
    manager = type(obj)._default_manager  # type: ignore[attr-defined]
    restrict = getattr(manager.all(), "restrict", None)
    if restrict is None:
        raise _unknown(type(obj).__name__, action)
    return bool(restrict(person, action).filter(pk=obj.pk).exists())  # type: ignore[attr-defined]


def restricted(queryset: Any, condition: Q | None) -> Any:
    """Apply a rule's condition: None keeps every row."""
    return queryset if condition is None else queryset.filter(condition)
