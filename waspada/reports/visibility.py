"""Who sees which report: the one place that decides it, for pages, the API, exports and channels.

Rules, in plain words (docs/architecture.md repeats them):

1. A reporter always sees their own reports.
2. The Tim Kewaspadaan Dini (TKD) receives every report: its members see every report located in
   the TKD's jurisdiction. ``rahasia`` reports only for its senior roles (ketua, sekretaris,
   analis, pimpinan).
3. A report shared with a forum (by an analyst, or by routing) is seen by that forum's members;
   ``rahasia`` again only for senior roles.
4. A forum sees the ``biasa`` reports submitted through forums of its own kind inside its
   jurisdiction: a kecamatan FKDM sees what its district's village FKDMs and its own members filed.
   An FKDM member does not see other forums' reports unless they are shared with their forum.
5. Superusers (the installation's technical owner) see everything.
6. An incident shared with another regency's TKD (``reports/sharing.py``) is seen by that TKD's
   members as a summary only, while the share is active; never a ``rahasia`` one, never its reports.

An incident carries the title and classification of the report it was made from. It is seen by
whoever sees one of its reports classified at least as high as the incident (an ordinary report
joined to a ``rahasia`` incident does not show that incident's title to its readers), and by the
TKD as it sees reports: every incident located in its jurisdiction, ``rahasia`` ones only for
its senior roles. The last rule keeps a merged incident, which holds no reports any more,
readable by the analysts who merged it.

Nobody else sees a report. Informants' identities and exact points have their own, stricter rules
(``can_see_exact_location``, ``can_reveal_informant``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from waspada.forums.models import ForumKind, Membership, MembershipQuerySet, Role
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
    return Q(**{f"{field}_id": code}) | Q(**{f"{field}__code__startswith": code + "."})


def _report_filter(person: Person, prefix: str = "") -> Q | None:
    """The Q that selects the reports ``person`` may see; None means everything."""
    if not person.is_authenticated or not person.is_active:
        return Q(pk__in=[])
    if person.is_superuser:
        return None
    p = prefix
    allowed = Q(**{f"{p}reporter_id": person.pk})
    memberships = list(Membership.objects.current().filter(person_id=person.pk).select_related("forum"))
    not_secret = ~Q(**{f"{p}classification": Classification.RAHASIA})
    biasa = Q(**{f"{p}classification": Classification.BIASA})
    for membership in memberships:
        forum = membership.forum
        senior = membership.role in SENIOR_ROLES
        level_ok = Q() if senior else not_secret
        if forum.kind == ForumKind.TKD:
            allowed |= _region_within(f"{p}region", forum.jurisdiction_id) & level_ok
        allowed |= Q(**{f"{p}shared_with": forum.pk}) & level_ok
        allowed |= (
            Q(**{f"{p}reporter_forum__kind": forum.kind})
            & _region_within(f"{p}reporter_forum__jurisdiction", forum.jurisdiction_id)
            & biasa
        )
    return allowed


def _report_row_filter(person: Person) -> Q | None:
    """The same rules as ``_report_filter``, written on the report's own row: the forums a report
    is shared with and the forum it was filed through are looked up in small subqueries
    (``id IN (…)``) instead of joins, so one report is one row and no ``pk IN`` wrapper is needed.
    None means everything."""
    from waspada.forums.models import Forum
    from waspada.reports.models import Report

    if not person.is_authenticated or not person.is_active:
        return Q(pk__in=[])
    if person.is_superuser:
        return None
    allowed = Q(reporter_id=person.pk)
    memberships = list(Membership.objects.current().filter(person_id=person.pk).select_related("forum"))
    not_secret = ~Q(classification=Classification.RAHASIA)
    biasa = Q(classification=Classification.BIASA)
    shared = Report.shared_with.through.objects
    for membership in memberships:
        forum = membership.forum
        level_ok = Q() if membership.role in SENIOR_ROLES else not_secret
        if forum.kind == ForumKind.TKD:
            allowed |= _region_within("region", forum.jurisdiction_id) & level_ok
        allowed |= Q(pk__in=shared.filter(forum_id=forum.pk).values("report_id")) & level_ok
        same_kind = Forum.objects.filter(
            _region_within("jurisdiction", forum.jurisdiction_id), kind=forum.kind
        ).values("pk")
        allowed |= Q(reporter_forum_id__in=same_kind) & biasa
    return allowed


def reports_visible_to(queryset: ReportQuerySet, person: Person) -> ReportQuerySet:
    condition = _report_row_filter(person)
    if condition is None:
        return queryset
    # A condition on the row itself (no joins): filters applied before or after visible_to (a
    # period, a region) and the condition are read in one pass over the same rows.
    return queryset.filter(condition)


def _tkd_incident_filter(person: Person) -> Q:
    """The incidents located in the jurisdiction of the person's TKD seats (rule 2, for incidents)."""
    allowed = Q(pk__in=[])
    if not person.is_authenticated or not person.is_active:
        return allowed
    seats = Membership.objects.current().filter(person_id=person.pk, forum__kind=ForumKind.TKD)
    for membership in seats.select_related("forum"):
        level_ok = Q() if membership.role in SENIOR_ROLES else ~Q(classification=Classification.RAHASIA)
        allowed |= _region_within("region", membership.forum.jurisdiction_id) & level_ok
    return allowed


def _shared_incident_filter(person: Person) -> Q:
    """Rule 6: the incidents actively shared with a TKD the person sits in (not ``rahasia``)."""
    from waspada.reports.models import IncidentShare

    seats = Membership.objects.current().filter(person_id=person.pk, forum__kind=ForumKind.TKD)
    shares = IncidentShare.objects.active().filter(forum_id__in=seats.values("forum_id"))
    return Q(pk__in=shares.values("incident_id")) & ~Q(classification=Classification.RAHASIA)


def incidents_visible_to(queryset: IncidentQuerySet, person: Person) -> IncidentQuerySet:
    """An incident is visible when one of its reports, classified at least as high, is visible;
    and to the TKD of its region."""
    condition = _report_filter(person, prefix="reports__")
    if condition is None:
        return queryset
    cleared = Q(pk__in=[])
    for level, enough in _AT_LEAST.items():
        cleared |= Q(classification=level, reports__classification__in=enough)
    model = queryset.model
    # One filter() call: the conditions on reports__ all speak of the same report.
    through_reports = model.objects.filter(condition & cleared).values("pk")
    seen_by_tkd = _tkd_incident_filter(person)
    seen_by_tkd |= _shared_incident_filter(person)
    through_tkd = model.objects.filter(seen_by_tkd).values("pk")
    return queryset.filter(Q(pk__in=through_reports) | Q(pk__in=through_tkd))


def can_see_exact_location(person: Person, report: Report) -> bool:
    """The exact point is for the reporter and the TKD; everyone else sees the village only."""
    if report.reporter_id == person.pk:
        return True
    return sees_every_exact_location(person)


def sees_every_exact_location(person: Person) -> bool:
    """The part of ``can_see_exact_location`` that does not depend on the report (the TKD and
    superusers), for a list or an export that decides once and then adds "or the reporter"."""
    if person.is_superuser:
        return True
    return Membership.objects.current().filter(person_id=person.pk, forum__kind=ForumKind.TKD).exists()


def tkd_senior_seats(person: Person) -> MembershipQuerySet:
    """The current memberships in which ``person`` holds a senior role (ketua, sekretaris,
    analis, pimpinan) of a TKD: who triages, reviews signals, sets statuses and issues alerts,
    each within their forum's jurisdiction."""
    return Membership.objects.current().filter(
        person_id=person.pk, forum__kind=ForumKind.TKD, role__in=list(SENIOR_ROLES)
    )


def can_triage(person: Person) -> bool:
    """Verifying, rejecting, merging and sharing are for the TKD's analysts and its leadership."""
    if not person.is_authenticated or not person.is_active:
        return False
    if person.is_superuser:
        return True
    return tkd_senior_seats(person).exists()


def can_reveal_informant(person: Person) -> bool:
    """Only designated informant handlers may reveal an identity, and every reveal is recorded."""
    return bool(getattr(person, "is_informant_handler", False)) and person.is_active
