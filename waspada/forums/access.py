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

``access_of(person)`` loads a person's seats with one query (and the installation's TKD areas
with another). Inside a request (``AccessMiddleware``) the result is kept for the rest of the
request, so a page that asks ten questions reads the seats once; outside a request (actions
called from the worker, the CLI, tests) every call reads afresh, so a seat just added counts.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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
    # The areas of every active TKD of the installation (to find the deciding TKD of a region).
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

    def _inner_tkd_areas(self, area: str) -> list[str]:
        return sorted(other for other in self.tkd_areas if other != area and code_within(other, area))

    def decides(self, region_code: str, *, senior: bool = True) -> bool:
        """Whether one of this person's TKD seats (senior ones by default) is the deciding TKD
        of ``region_code``."""
        if not self.active:
            return False
        if self.superuser:
            return True
        for seat in self.tkd_seats(senior=senior):
            if code_within(region_code, seat.area) and not any(
                code_within(region_code, inner) for inner in self._inner_tkd_areas(seat.area)
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
            for inner in self._inner_tkd_areas(seat.area):
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

_request_cache: contextvars.ContextVar[dict[int, Access] | None] = contextvars.ContextVar(
    "waspada_access_cache", default=None
)


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
    if any(seat.kind == TKD for seat in seats):
        areas = frozenset(
            Forum.objects.filter(kind=ForumKind.TKD, is_active=True).values_list("jurisdiction_id", flat=True)
        )
    return Access(
        person_id=person.pk,
        active=True,
        superuser=bool(person.is_superuser),
        informant_handler=bool(getattr(person, "is_informant_handler", False)),
        seats=seats,
        tkd_areas=areas,
    )


def access_of(person: Any) -> Access:
    """The person's seats and rights base; kept for the rest of the request inside one."""
    if person is None or not getattr(person, "is_authenticated", False):
        return NOBODY
    cache = _request_cache.get()
    if cache is None:
        return _load(person)
    found = cache.get(person.pk)
    if found is None:
        found = cache[person.pk] = _load(person)
    return found


@contextmanager
def access_cached() -> Iterator[None]:
    """Keep each person's ``Access`` for the duration of the block (one request, one job)."""
    token = _request_cache.set({})
    try:
        yield
    finally:
        _request_cache.reset(token)


def forget_access() -> None:
    """Drop what the current block has cached (after an action changed someone's seats)."""
    cache = _request_cache.get()
    if cache is not None:
        cache.clear()


class AccessMiddleware:
    """Reads each person's seats at most once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with access_cached():
            return self.get_response(request)
