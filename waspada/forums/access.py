"""A person's seats, loaded once, and the jurisdiction questions every right is made of.

The rules themselves, in prose, are in ``waspada/reports/visibility.py``; this module only
answers the two questions they are built from:

- which seats does this person hold (forum, kind, level, area, role), and
- which regions does this person's early-warning team *decide* for.

**The deciding TKD of a region** is the Tim Kewaspadaan Dini whose area covers the region most
closely: Paser's TKD (area 64.01) for anything in Kabupaten Paser; the province's TKD (area 64)
only for regions no regency TKD covers (the province region itself, or a regency of the
province without a TKD of its own). Triage, status overrides, alerts, signal review and
disposition management belong to the senior roles of the deciding TKD, so that one
installation can hold many regencies and their province without one team changing another's
work. Seeing is wider than deciding: a province TKD sees what happens in its regencies.

``access_of(person)`` loads a person's seats with one query (and the TKD areas inside their TKD
seats' areas with another). Inside a request (``AccessMiddleware``) the result is kept for the rest of the
request, so a page that asks ten questions reads the seats once; outside a request (actions
called from the worker, the CLI, tests) every call reads afresh, so a seat just added counts.

Between requests the seats, the TKD areas and the short id lists the rules read (``remember``)
are kept in the cache under the **audit stamp**, the newest audit entry's number and chain hash
(``audit_stamp``), read once per request before anything else: every change they depend on (a
seat added, ended or its role changed, a forum created, changed or retired, a report or an
incident shared or a share revoked) is made by an action that writes an audit entry in the same
transaction, and appends take the audit head's lock until they commit, so entries become
visible in number order and the stamp moves exactly when such a change is committed. A kept
answer is therefore the answer until the next change; the next request after one reads afresh
(``forums/tests/test_seats_kept_between_requests_follow_every_change.py``). The person's own
flags (active, superuser, informant handler) are never kept: they come from the request's user.
Two guards for writes that bypass the actions: a counter bumped by every save or delete of a
seat, forum, share or incident share in this process is part of the key, and a kept answer
expires after ``ACCESS_CACHE_SECONDS``.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Q

from waspada.regions.models import within_q
from waspada.regions.names import code_within

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from waspada.people.models import Person

SENIOR_ROLE_VALUES = frozenset({"ketua", "sekretaris", "analis", "pimpinan"})
TKD = "TKD"


@dataclass(frozen=True)
class Seat:
    """One current membership: the forum, its kind, level and area, and the person's role."""

    forum_id: int
    kind: str
    level: str
    area: str
    role: str

    @property
    def senior(self) -> bool:
        return self.role in SENIOR_ROLE_VALUES


@dataclass(frozen=True)
class Access:
    """What one person holds, read once: the base of every rights question."""

    person_id: int | None
    active: bool
    superuser: bool
    informant_handler: bool
    seats: tuple[Seat, ...]
    # The areas of the active TKDs inside the areas of this person's TKD seats (the seats' own
    # included): all that finding the deciding TKD of a region in one of those areas needs.
    tkd_areas: frozenset[str]
    # Short id lists the visibility rules read (forums of a kind in an area, what is shared with
    # a forum), kept with the seats for as long as they are: one request, or one call outside a
    # request. An action that changes them calls ``forget_access``.
    _memo: dict[object, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def remember(self, key: object, read: Callable[[], Any]) -> Any:
        """``read()``, once per ``key`` for this person's access."""
        if self.person_id is None:
            return read()
        if key not in self._memo:
            self._memo[key] = read()
        return self._memo[key]

    # -- seats -------------------------------------------------------------------------------

    def tkd_seats(self, *, senior: bool = False) -> tuple[Seat, ...]:
        return tuple(s for s in self.seats if s.kind == TKD and (s.senior or not senior))

    @property
    def is_tkd_senior(self) -> bool:
        """Holds a senior seat in some TKD: may open the triage pages at all (the objects on
        them are still checked one by one)."""
        return self.superuser or bool(self.tkd_seats(senior=True))

    def forum_ids(self, *, senior: bool | None = None) -> list[int]:
        return [s.forum_id for s in self.seats if senior is None or s.senior == senior]

    # -- deciding ----------------------------------------------------------------------------

    def inner_tkd_areas(self, area: str) -> list[str]:
        """The TKD areas inside ``area`` (not itself), read once per access: a province seat's
        ``decides`` is asked for many regions on one page, and an installation of every
        regency has 515 TKD areas to go through."""
        return self.remember(
            ("inner tkd areas", area),
            lambda: sorted(other for other in self.tkd_areas if other != area and code_within(other, area)),
        )

    def decides(self, region_code: str, *, senior: bool = True) -> bool:
        """Whether one of this person's TKD seats (senior ones by default) is the deciding TKD
        of ``region_code``."""
        if not self.active:
            return False
        if self.superuser:
            return True
        for seat in self.tkd_seats(senior=senior):
            if code_within(region_code, seat.area) and not any(
                code_within(region_code, inner) for inner in self.inner_tkd_areas(seat.area)
            ):
                return True
        return False

    def decides_q(self, field: str = "region", *, senior: bool = True) -> Q:
        """The same as ``decides``, as a filter on the region foreign key ``field``."""
        if not self.active:
            return Q(pk__in=[])
        if self.superuser:
            return Q()
        condition = Q(pk__in=[])
        for seat in self.tkd_seats(senior=senior):
            own = within_q(seat.area, field)
            for inner in self.inner_tkd_areas(seat.area):
                own &= ~within_q(inner, field)
            condition |= own
        return condition

    def covers_q(self, field: str = "region", *, kinds: tuple[str, ...] = (TKD,), senior: bool = False) -> Q:
        """Regions inside the area of one of this person's seats of ``kinds`` (senior ones only
        when asked): what a TKD sees, at any level."""
        condition = Q(pk__in=[])
        for seat in self.seats:
            if seat.kind in kinds and (seat.senior or not senior):
                condition |= within_q(seat.area, field)
        return condition


NOBODY = Access(None, False, False, False, (), frozenset())

# How long a kept ``Access`` lasts at most (the stamp decides first; this bounds a write made
# outside the actions, e.g. from a shell, in another process).
ACCESS_CACHE_SECONDS = 60


@dataclass
class _Block:
    """What one ``access_cached`` block (a request, a job) has read."""

    people: dict[int, Access] = field(default_factory=dict)
    # person id -> (cache key, number of remembered lists when loaded or found)
    keys: dict[int, tuple[str, int]] = field(default_factory=dict)
    stamp: str | None = None


_request_cache: contextvars.ContextVar[_Block | None] = contextvars.ContextVar(
    "waspada_access_cache", default=None
)

# Bumped by every save or delete of the rows an ``Access`` is read from (``note_access_change``),
# so a write that bypasses the actions' audit entry is still seen at once in this process.
_generation = 0


def note_access_change(**_kwargs: Any) -> None:
    """A seat, forum or share changed in this process: kept ``Access`` answers are stale."""
    global _generation
    _generation += 1


def kept_stamp(person: Any) -> str:
    """A cache key part for an answer computed from ``person``'s rights and the installation's
    data: the viewer (superusers share one), the audit stamp and this process's change counter.
    An answer kept under it is the answer until the next audited change."""
    if person.is_superuser and person.is_active:
        viewer = "all"
    else:
        joined = getattr(person, "date_joined", None)
        viewer = f"p{person.pk}-{joined.timestamp() if joined is not None else ''}"
    return f"{viewer}:{audit_stamp()}:{_generation}"


def audit_stamp() -> str:
    """The newest audit entry's number and chain hash: it moves with every committed change.
    Read once per ``access_cached`` block (again after ``forget_access``)."""
    from waspada.audit.models import AuditEntry

    block = _request_cache.get()
    if block is not None and block.stamp is not None:
        return block.stamp
    newest = AuditEntry.objects.order_by("-pk").values_list("pk", "entry_hash").first()
    stamp = f"{newest[0]}-{newest[1][:16]}" if newest else "0"
    if block is not None:
        block.stamp = stamp
    return stamp


def _load(person: Person) -> Access:
    from waspada.forums.models import Forum, ForumKind, Membership

    if not person.is_authenticated or not person.is_active:
        return NOBODY
    rows = (
        Membership.objects.current()
        .filter(person_id=person.pk)
        .values_list("forum_id", "forum__kind", "forum__level", "forum__jurisdiction_id", "role")
        .order_by("forum_id")
    )
    seats = tuple(Seat(*row) for row in rows)
    areas: frozenset[str] = frozenset()
    memo: dict[object, Any] = {}
    own_areas = {seat.area for seat in seats if seat.kind == TKD}
    if own_areas:
        # The TKDs inside the areas of the person's TKD seats, in one read: the active ones'
        # areas (a region's deciding TKD, when the region lies in a seat's area, is that seat's
        # TKD or one inside it: no TKD elsewhere can decide it for this person), and for each
        # TKD seat the TKDs inside its area (the same-kind forums of rule 5), which would
        # otherwise be one more query per seat. Only these: an installation of every regency
        # has 515 TKDs, and a regency analyst's seat holds one of them.
        inside = Q(pk__in=[])
        for area in sorted(own_areas):
            inside |= within_q(area, "jurisdiction")
        tkds = list(
            Forum.objects.filter(inside, kind=ForumKind.TKD).values_list("pk", "jurisdiction_id", "is_active")
        )
        areas = frozenset(area for _pk, area, active in tkds if active)
        for seat in seats:
            if seat.kind == TKD:
                memo[forums_key(TKD, seat.area)] = [
                    pk for pk, area, _active in tkds if area and code_within(area, seat.area)
                ]
    return _access(person, seats, areas, memo)


def forums_key(kind: str, area: str) -> tuple[str, str, str]:
    """The memo key of the forums of ``kind`` whose jurisdiction lies in ``area``."""
    return ("forums", kind, area)


def _access(
    person: Person, seats: tuple[Seat, ...], areas: frozenset[str], memo: dict[object, Any]
) -> Access:
    return Access(
        person_id=person.pk,
        active=True,
        superuser=bool(person.is_superuser),
        informant_handler=bool(getattr(person, "is_informant_handler", False)),
        seats=seats,
        tkd_areas=areas,
        _memo=memo,
    )


def _kept_or_load(person: Person, block: _Block) -> Access:
    """The person's ``Access`` kept under the audit stamp, or read afresh (and kept at the end
    of the block, with the lists the request remembered)."""
    if not person.is_authenticated or not person.is_active:
        return NOBODY
    # the stamp first: whatever is read after it is at least as new as the stamp says
    joined = getattr(person, "date_joined", None)
    joined_key = joined.timestamp() if joined is not None else ""
    key = f"access:{person.pk}:{joined_key}:{audit_stamp()}:{_generation}"
    kept = cache.get(key)
    if kept is not None:
        seats, areas, memo = kept
        block.keys[person.pk] = (key, len(memo))
        return _access(person, seats, areas, dict(memo))
    found = _load(person)
    block.keys[person.pk] = (key, -1)
    return found


def _keep(block: _Block) -> None:
    """Store what the block read and remembered, for the next requests under the same stamp."""
    for person_id, (key, known) in block.keys.items():
        access = block.people.get(person_id)
        if access is None or access.person_id is None or len(access._memo) <= known:
            continue
        cache.set(key, (access.seats, access.tkd_areas, dict(access._memo)), ACCESS_CACHE_SECONDS)


def access_of(person: Any) -> Access:
    """The person's seats and rights base; kept for the rest of the request inside one, and
    between requests under the audit stamp."""
    if person is None or not getattr(person, "is_authenticated", False):
        return NOBODY
    block = _request_cache.get()
    if block is None:
        return _load(person)
    found = block.people.get(person.pk)
    if found is None:
        found = block.people[person.pk] = _kept_or_load(person, block)
    return found


@contextmanager
def access_cached() -> Iterator[None]:
    """Keep each person's ``Access`` for the duration of the block (one request, one job)."""
    block = _Block()
    token = _request_cache.set(block)
    try:
        yield
        _keep(block)
    finally:
        _request_cache.reset(token)


def forget_access() -> None:
    """Drop what the current block has cached (after an action changed someone's seats): the
    stamp is read again, so nothing read before the change is kept under the new one."""
    note_access_change()
    block = _request_cache.get()
    if block is not None:
        block.people.clear()
        block.keys.clear()
        block.stamp = None


class AccessMiddleware:
    """Reads each person's seats at most once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with access_cached():
            return self.get_response(request)
