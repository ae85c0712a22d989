"""Every change to forums and memberships goes through these functions.

Admin pages, views, the API and commands all call them, so each rule lives in one place.
Each action validates, then writes inside one transaction. ``by`` is the person acting, or
None when the system itself acts (the demo, default forums for a new regency).

Each action records its entry in the audit trail (``waspada.audit``) inside the same
transaction as the change, so that a change that rolls back leaves no entry. Callers are
responsible for permission checks (the admin checks Django permissions; views check the
person's role).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.audit.actions import diff, record, snapshot
from waspada.forums.access import forget_access
from waspada.forums.models import Forum, Membership, Role
from waspada.regions.models import Region

if TYPE_CHECKING:
    from waspada.people.models import Person


FORUM_FIELDS = ["code", "name", "kind", "level", "jurisdiction", "remit", "is_active"]


def forum_code(kind: str, jurisdiction: Region) -> str:
    """The conventional code of a forum: ``TKD-6401``, ``FKDM-640106``, ``FKDM-6401062006``."""
    return f"{kind}-{jurisdiction.compact_code}"


def create_forum(
    *,
    name: str,
    kind: str,
    level: str,
    jurisdiction: Region,
    remit: str = "",
    code: str | None = None,
    by: Person | None,
) -> Forum:
    """Create a forum after checking its code, kind, level and jurisdiction.

    ``code`` defaults to ``<KIND>-<compact region code>``. Raises ValidationError (in
    Indonesian) when the code is taken or the jurisdiction is not of the forum's level.
    """
    forum = Forum(
        code=code or forum_code(kind, jurisdiction),
        name=name.strip(),
        kind=kind,
        level=level,
        jurisdiction=jurisdiction,
        remit=remit.strip(),
        is_active=True,
    )
    with transaction.atomic():
        forum.full_clean()
        forum.save()
        record(action="forum.created", actor=by, obj=forum, changes=snapshot(forum, FORUM_FIELDS))
    forget_access()  # the forum lists read earlier in this request are stale now
    return forum


def update_forum(
    *,
    forum: Forum,
    by: Person | None,
    name: str | None = None,
    remit: str | None = None,
    code: str | None = None,
    kind: str | None = None,
    level: str | None = None,
    jurisdiction: Region | None = None,
) -> Forum:
    """Rename a forum or change its remit, code, kind, level or jurisdiction.

    None leaves a field as it is (none of these fields may be empty). The forum is
    re-validated as a whole, so moving it to a region of another level fails unless the
    level changes with it. Retiring has its own action, ``retire_forum``.
    """
    with transaction.atomic():
        forum = Forum.objects.select_for_update().get(pk=forum.pk)
        before = snapshot(forum, FORUM_FIELDS)
        if name is not None:
            forum.name = name.strip()
        if remit is not None:
            forum.remit = remit.strip()
        if code is not None:
            forum.code = code
        if kind is not None:
            forum.kind = kind
        if level is not None:
            forum.level = level
        if jurisdiction is not None:
            forum.jurisdiction = jurisdiction
        forum.full_clean()
        forum.save()
        changes = diff(before, snapshot(forum, FORUM_FIELDS))
        if changes:
            record(action="forum.changed", actor=by, obj=forum, changes=changes)
    forget_access()  # the forum lists read earlier in this request are stale now
    return forum


def retire_forum(*, forum: Forum, by: Person | None) -> Forum:
    """Retire a forum: it stops receiving members and its seats stop counting as current.

    Nothing is deleted: memberships keep their dates and reports keep pointing at the forum,
    because the history of who knew what must survive. Retiring a retired forum changes
    nothing.
    """
    with transaction.atomic():
        forum = Forum.objects.select_for_update().get(pk=forum.pk)
        if not forum.is_active:
            return forum
        forum.is_active = False
        forum.save(update_fields=["is_active"])
        record(action="forum.retired", actor=by, obj=forum)
    forget_access()  # the TKD areas read earlier in this request are stale now
    return forum


def check_new_membership(*, person: Person, forum: Forum, role: str) -> None:
    """Raise ValidationError if ``person`` may not take a ``role`` seat in ``forum`` now.

    Public so that forms (the admin's) can show the same message next to the field before
    saving; ``add_membership`` calls it again inside its transaction.
    """
    if role not in Role.values:
        raise ValidationError({"role": _("Peran tidak dikenal: %(role)s.") % {"role": role}})
    if not forum.is_active:
        raise ValidationError(
            {"forum": _("Forum %(forum)s sudah tidak aktif dan tidak menerima anggota.") % {"forum": forum}}
        )
    if not person.is_active:
        raise ValidationError({"person": _("Akun %(person)s tidak aktif.") % {"person": person}})
    forum.clean()  # a forum whose jurisdiction does not match its level takes no members
    if Membership.objects.filter(person_id=person.pk, forum_id=forum.pk, ended_at__isnull=True).exists():
        raise ValidationError(
            {
                "person": _("%(person)s sudah menjadi anggota aktif %(forum)s.")
                % {"person": person, "forum": forum}
            }
        )


def add_membership(*, person: Person, forum: Forum, role: str, by: Person | None) -> Membership:
    """Give ``person`` a seat with ``role`` in ``forum``.

    A person may sit in several forums but holds at most one current seat per forum (to
    change the role, use ``change_role``). The database's unique constraint backs the check
    up when two administrators add the same person at the same moment.
    """
    with transaction.atomic():
        check_new_membership(person=person, forum=forum, role=role)
        membership = Membership(person=person, forum=forum, role=role)
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError as exc:
            raise ValidationError(
                {
                    "person": _("%(person)s sudah menjadi anggota aktif %(forum)s.")
                    % {"person": person, "forum": forum}
                }
            ) from exc
        record(
            action="membership.added",
            actor=by,
            obj=membership,
            changes={"person": person.username, "forum": forum.code, "role": role},
        )
    forget_access()  # the seats read earlier in this request are stale now
    return membership


def end_membership(
    *, membership: Membership, by: Person | None, ended_at: datetime | None = None
) -> Membership:
    """End a seat (resignation, end of term). The row stays as history; the seat is free again."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",)).select_related("forum").get(pk=membership.pk)
        )
        if membership.ended_at is not None:
            raise ValidationError(_("Keanggotaan ini sudah berakhir."))
        when = ended_at or timezone.now()
        if when < membership.started_at:
            raise ValidationError({"ended_at": _("Tanggal berakhir tidak boleh sebelum tanggal mulai.")})
        membership.ended_at = when
        membership.save(update_fields=["ended_at"])
        record(
            action="membership.ended",
            actor=by,
            obj=membership,
            changes={"forum": membership.forum.code, "ended_at": when.isoformat()},
        )
    forget_access()  # the seats read earlier in this request are stale now
    return membership


def change_role(*, membership: Membership, role: str, by: Person | None) -> Membership:
    """Change the role of a current seat, e.g. an anggota elected ketua. Same role: no change."""
    if role not in Role.values:
        raise ValidationError({"role": _("Peran tidak dikenal: %(role)s.") % {"role": role}})
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",)).select_related("forum").get(pk=membership.pk)
        )
        if membership.ended_at is not None:
            raise ValidationError(_("Peran keanggotaan yang sudah berakhir tidak dapat diubah."))
        if membership.role == role:
            return membership
        old_role = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record(action="membership.changed", actor=by, obj=membership, changes={"role": [old_role, role]})
    forget_access()  # the seats read earlier in this request are stale now
    return membership
