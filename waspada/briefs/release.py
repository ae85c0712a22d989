"""Who releases a regency's Lapsit and who drafts the province's, and what a release holds.

- ``releasable_regencies(person)``: the regencies (kabupaten/kota) whose deciding TKD the person
  holds a senior seat in (``access_of(person).decides(code)``, ketua/sekretaris/analis/pimpinan).
  The province's analyst decides no regency that has its own TKD, so releases none of them.
- ``province_codes(person)``: the provinces whose own TKD the person holds a senior seat in
  (superusers: the home region's province). Only they open the province Lapsit page.
- ``province_tkd_seniors(code)`` and ``province_forkopimda(code)``: who is told of a regency's
  release (the province TKD's senior roles) and who receives the province Lapsit sent to the
  Gubernur's Forkopimda (every current member of the province's FKPD).
- ``may_download(person, brief)``: a stored copy opens for its recipient only; a province copy
  only while they still sit in that province's TKD (senior) or Forkopimda.
- ``release_content(data)``: the structured content stored with a release, from ``gather`` run
  through the releaser's scoped querysets with ``without_rahasia=True`` (no rahasia report is
  counted and no rahasia incident, nor one holding a rahasia report, is named).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings

from waspada.briefs.situation import SituationData
from waspada.forums.access import SENIOR_ROLE_VALUES, access_of
from waspada.forums.models import Forum, ForumKind, ForumLevel, Membership
from waspada.regions.models import Level, Region, within_q

if TYPE_CHECKING:
    from waspada.briefs.models import Brief
    from waspada.people.models import Person


def releasable_regencies(person: Person) -> list[Region]:
    access = access_of(person)
    if not access.active:
        return []
    areas = {seat.area for seat in access.tkd_seats(senior=True)}
    if access.superuser:
        areas = {settings.WASPADA_HOME_REGION.split(".")[0]}
    if not areas:
        return []
    condition = within_q(sorted(areas)[0], "")
    for area in sorted(areas)[1:]:
        condition |= within_q(area, "")
    candidates = Region.objects.filter(condition, level=Level.KABUPATEN).order_by("code")
    return [region for region in candidates if access.decides(region.code)]


def province_codes(person: Person) -> list[str]:
    access = access_of(person)
    if not access.active:
        return []
    codes = sorted(
        {
            seat.area
            for seat in access.tkd_seats(senior=True)
            if seat.kind == ForumKind.TKD and seat.level == ForumLevel.PROVINSI
        }
    )
    if access.superuser and not codes:
        home = settings.WASPADA_HOME_REGION.split(".")[0]
        if Region.objects.filter(code=home, level=Level.PROVINSI).exists():
            codes = [home]
    return codes


def _members(province_code: str, kind: str, *, senior: bool) -> list[Person]:
    from waspada.people.models import Person

    seats = Membership.objects.current().filter(
        forum__kind=kind,
        forum__level=ForumLevel.PROVINSI,
        forum__jurisdiction_id=province_code,
        person__is_active=True,
    )
    if senior:
        seats = seats.filter(role__in=SENIOR_ROLE_VALUES)
    return list(Person.objects.filter(pk__in=seats.values("person_id")).order_by("pk"))


def province_tkd_seniors(province_code: str) -> list[Person]:
    """The ketua, sekretaris, analis and pimpinan of the province's own TKD (told of a release)."""
    return _members(province_code, ForumKind.TKD, senior=True)


def province_forkopimda(province_code: str) -> tuple[Forum | None, list[Person]]:
    """The province's Forkopimda (FKPD, the Gubernur's) and its current members, every role."""
    forum = (
        Forum.objects.active()
        .filter(kind=ForumKind.FKPD, level=ForumLevel.PROVINSI, jurisdiction_id=province_code)
        .order_by("pk")
        .first()
    )
    return forum, _members(province_code, ForumKind.FKPD, senior=False)


def may_download(person: Person, brief: Brief) -> bool:
    """A stored copy is its recipient's alone; a province copy (``brief.province``) opens only
    while the recipient still sits in that province's TKD (senior) or Forkopimda."""
    if brief.recipient_id != person.pk or not person.is_active:
        return False
    if brief.province_id is None:
        return True
    if person.is_superuser and brief.province_id in province_codes(person):
        return True
    seats = Membership.objects.current().filter(
        person_id=person.pk, forum__level=ForumLevel.PROVINSI, forum__jurisdiction_id=brief.province_id
    )
    return (
        seats.filter(forum__kind=ForumKind.FKPD).exists()
        or seats.filter(forum__kind=ForumKind.TKD, role__in=SENIOR_ROLE_VALUES).exists()
    )


def _rows(rows: list[Any]) -> list[dict[str, Any]]:
    return [{"key": r.key, "label": r.label, "current": r.current, "previous": r.previous} for r in rows]


def release_content(data: SituationData) -> dict[str, Any]:
    """What the province reads of a release (JSON-safe; the titles are of non-rahasia incidents)."""
    return {
        "regency": {"code": data.home.code, "name": data.home.name},
        "period": {"label": data.period.label(), "previous_label": data.previous.label()},
        "total": data.total,
        "previous_total": data.previous_total,
        "by_level": dict(data.by_level),
        "by_isu": _rows(data.by_isu),
        "by_kecamatan": _rows(data.by_kecamatan),
        "open_dispositions": data.open_dispositions,
        "overdue_dispositions": data.overdue_dispositions,
        "notable": [
            {
                "reference": i.reference,
                "title": i.title,
                "region": i.region.name,
                "alert_level": i.alert_level,
                "alert_level_label": str(i.get_alert_level_display()),
                "occurred_at": i.occurred_at.isoformat(),
            }
            for i in data.notable
        ],
        "gathered_at": data.generated_at.isoformat(),
    }
