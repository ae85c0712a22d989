"""Who drafts and who approves a regency's Lapsit (docs/briefs.md, "Lapsit").

- ``may_draft(person, regency)``: the senior roles (ketua, sekretaris, analis, pimpinan) of the
  regency's deciding TKD write analisa, prakiraan and saran tindak while the Lapsit is a draft,
  and see the draft (marked KONSEP).
- ``may_approve(person, regency)``: the head of Kesbangpol approves it. Waspada takes him to be
  the **ketua** of the regency's deciding TKD (the TKD is chaired by the head of Kesbangpol in the
  regents' decrees, and the ketua seat is what the installation knows): a seat of that role, in
  the TKD that decides the regency, and nothing else: not the analyst, not a superuser, not the
  ketua of another regency's or of the province's TKD.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from waspada.forums.access import access_of
from waspada.forums.models import Forum, Membership, Role

if TYPE_CHECKING:
    from waspada.people.models import Person
    from waspada.regions.models import Region

APPROVER_ROLE = Role.KETUA


def may_draft(person: Person, regency: Region) -> bool:
    access = access_of(person)
    return access.active and access.decides(regency.code)


def may_approve(person: Person, regency: Region) -> bool:
    access = access_of(person)
    if not access.active:
        return False
    ketua = dataclasses.replace(
        access,
        superuser=False,
        _memo={},
        seats=tuple(seat for seat in access.tkd_seats(senior=True) if seat.role == APPROVER_ROLE),
    )
    return ketua.decides(regency.code)


def approvers(regency: Region) -> list[Person]:
    """The people who may approve ``regency``'s Lapsit now (``may_approve``): the ketua seats of
    its deciding TKD, each checked with the same right the approval checks; told when a draft
    waits for them."""
    from waspada.people.models import Person

    forums = [forum.pk for forum in Forum.objects.deciding_tkds(regency.code)]
    seats = Membership.objects.current().filter(
        forum_id__in=forums, role=APPROVER_ROLE, person__is_active=True
    )
    people = Person.objects.filter(pk__in=seats.values("person_id")).order_by("pk")
    return [person for person in people if may_approve(person, regency)]
