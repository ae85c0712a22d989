"""Every change to accounts goes through these functions.

The admin, commands and the demo call them, so rules such as "a Kesbangpol administrator
is staff and holds the Admin Kesbangpol permissions" live in one place. Each action
validates, then writes inside one transaction; ``by`` is the person acting, or None when the
system itself acts. Each action records its entry in the audit
trail (``waspada.audit``) inside its transaction. Never put a password in an audit entry.
"""

from __future__ import annotations

import enum
from typing import Final, Literal

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waspada.audit.actions import diff, record, snapshot
from waspada.people.models import KESBANGPOL_ADMIN_GROUP, Person
from waspada.people.tokens import revoke_all_tokens
from waspada.regions.models import Region

PERSON_FIELDS = [
    "username",
    "full_name",
    "email",
    "phone",
    "position",
    "home_region",
    "is_active",
    "is_informant_handler",
]


def set_language(*, person: Person, language: str) -> Person:
    """The language a person reads Waspada in, kept for what reaches them outside a page (e-mail,
    chat): set when they switch the site's language. Audited like every change to a person."""
    from django.conf import settings

    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": [_("Bahasa tidak dikenal.")]})
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.language == language:
            return person
        before = person.language
        person.language = language
        person.save(update_fields=["language"])
        record(action="person.updated", actor=person, obj=person, changes={"language": [before, language]})
    return person


class _Unchanged(enum.Enum):
    UNCHANGED = "unchanged"


# Marks an optional argument whose None is a real value (no home region) as "leave it alone".
UNCHANGED: Final = _Unchanged.UNCHANGED

# What an Admin Kesbangpol may do in the admin. No "delete": forums are retired, seats are
# ended and accounts are deactivated, so that history stays.
KESBANGPOL_ADMIN_PERMISSIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("forums", "forum", ("add", "change", "view")),
    ("forums", "membership", ("add", "change", "view")),
    ("people", "person", ("add", "change", "view")),
    ("regions", "region", ("view",)),
    ("response", "routingrule", ("add", "change", "view")),
    ("response", "deadlinepolicy", ("change", "view")),
    ("response", "dayoff", ("add", "change", "delete", "view")),
    ("response", "disposition", ("view",)),
    ("core", "periodicjob", ("view",)),
    # read only: a Lapsit changes through its flow (briefs.actions), never in the admin
    ("briefs", "lapsit", ("view",)),
)


def ensure_kesbangpol_admin_group() -> Group:
    """Create the "Admin Kesbangpol" group with its permissions, or bring it up to date.

    Idempotent. Permissions are fetched or created by content type and codename, the same
    way Django's own post-migrate step names them, so this also works right after the
    tables are created (it runs on post_migrate, see ``apps.py``) and in a fresh test
    database. Extra permissions an installation granted by hand are kept.
    """
    from django.apps import apps

    with transaction.atomic():
        group, _new = Group.objects.get_or_create(name=KESBANGPOL_ADMIN_GROUP)
        wanted: list[Permission] = []
        for app_label, model_name, verbs in KESBANGPOL_ADMIN_PERMISSIONS:
            model = apps.get_model(app_label, model_name)
            # Not get_for_model(): its cache can hold ids from before a flush (post_migrate
            # runs this right after one in transactional tests).
            content_type, _new_type = ContentType.objects.get_or_create(
                app_label=model._meta.app_label, model=model._meta.model_name
            )
            for verb in verbs:
                permission, _created = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{verb}_{model._meta.model_name}",
                    defaults={"name": f"Can {verb} {model._meta.verbose_name_raw}"},
                )
                wanted.append(permission)
        group.permissions.add(*wanted)
    return group


def check_email_is_free(email: str, *, exclude: Person | None = None) -> None:
    """One account per address, so that a password reset reaches exactly one account."""
    if not email:
        return
    others = Person.objects.filter(email__iexact=email)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError({"email": _("Alamat email ini sudah dipakai oleh akun lain.")})


def _apply_admin_flag(person: Person, value: bool) -> None:
    """Keep is_kesbangpol_admin, is_staff and the group in step (person must be saved)."""
    person.is_kesbangpol_admin = value
    # Only Kesbangpol administrators and superusers may enter the admin site.
    person.is_staff = value or person.is_superuser
    person.save(update_fields=["is_kesbangpol_admin", "is_staff"])
    group = ensure_kesbangpol_admin_group()
    if value:
        person.groups.add(group)
    else:
        person.groups.remove(group)


def create_person(
    *,
    username: str,
    full_name: str,
    email: str,
    password: str | None = None,
    password_hash: str | None = None,
    phone: str = "",
    position: str = "",
    is_kesbangpol_admin: bool = False,
    home_region: Region | None = None,
    by: Person | None = None,
) -> Person:
    """Create an account.

    ``password`` is checked against the installation's password rules (length, common
    passwords, similarity to the name) and stored hashed with Argon2. Without a password
    the account cannot log in until its owner sets one through "Lupa kata sandi".
    ``password_hash`` takes an already hashed password (``make_password``) instead, for
    importing accounts and for the shared test personas; never pass both.
    """
    if password is not None and password_hash is not None:
        raise ValueError("pass password or password_hash, not both")
    person = Person(
        username=username.strip(),
        full_name=full_name.strip(),
        email=Person.objects.normalize_email(email.strip()),
        phone=phone.strip(),
        position=position.strip(),
        home_region=home_region,
        is_active=True,
    )
    with transaction.atomic():
        person.set_unusable_password()  # a valid value for full_clean; replaced just below
        person.full_clean()
        check_email_is_free(person.email)
        if password is not None:
            validate_password(password, user=person)
            person.set_password(password)
        elif password_hash is not None:
            person.password = password_hash
        person.save()
        if is_kesbangpol_admin:
            _apply_admin_flag(person, True)
        record(action="person.created", actor=by, obj=person, changes=snapshot(person, PERSON_FIELDS))
    return person


def update_person(
    *,
    person: Person,
    by: Person | None,
    username: str | None = None,
    full_name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    position: str | None = None,
    home_region: Region | Literal[_Unchanged.UNCHANGED] | None = UNCHANGED,
    is_active: bool | None = None,
    is_informant_handler: bool | None = None,
) -> Person:
    """Change an account's details. None (or UNCHANGED for ``home_region``) leaves a field as it is.

    Deactivating (``is_active=False``) is how an account is closed: it can no longer log in
    or see anything, and its history stays. The admin flag has its own action,
    ``set_kesbangpol_admin``, and the password ``set_person_password``.

    Nobody grants themselves the informant-handler flag (it reveals who reported): another
    administrator does. The refusal is recorded (``person.self_grant_refused``).
    """
    if is_informant_handler and by is not None and by.pk == person.pk and not person.is_informant_handler:
        with transaction.atomic():
            record(
                action="person.self_grant_refused",
                actor=by,
                obj=person,
                changes={"is_informant_handler": True},
            )
        raise ValidationError(
            {
                "is_informant_handler": _(
                    "Anda tidak dapat menjadikan diri Anda sendiri pengelola informan. "
                    "Minta admin Kesbangpol lain untuk memberikannya."
                )
            }
        )
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        before = snapshot(person, PERSON_FIELDS)
        if username is not None:
            person.username = username.strip()
        if full_name is not None:
            person.full_name = full_name.strip()
        if email is not None:
            person.email = Person.objects.normalize_email(email.strip())
        if phone is not None:
            person.phone = phone.strip()
        if position is not None:
            person.position = position.strip()
        if home_region is not UNCHANGED:
            person.home_region = home_region
        if is_active is not None:
            person.is_active = is_active
        if is_informant_handler is not None:
            person.is_informant_handler = is_informant_handler
        person.full_clean()
        check_email_is_free(person.email, exclude=person)
        person.save()
        changes = diff(before, snapshot(person, PERSON_FIELDS))
        if changes:
            record(action="person.changed", actor=by, obj=person, changes=changes)
    return person


def set_person_password(*, person: Person, password: str, by: Person | None) -> Person:
    """Set a new password after checking it against the password rules."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        validate_password(password, user=person)
        person.set_password(password)
        person.save(update_fields=["password"])
        record(action="person.password_set", actor=by, obj=person)
        revoke_all_tokens(person=person, by=by, reason="password_set")
    return person


def set_kesbangpol_admin(*, person: Person, value: bool, by: Person | None) -> Person:
    """Grant or revoke Kesbangpol administration.

    Granting makes the person staff (admin site access) and adds them to the "Admin
    Kesbangpol" group; revoking undoes both, unless the person is a superuser, who stays
    staff. A person cannot revoke their own flag, so that the last administrator cannot
    lock everyone out by a slip of the mouse.
    """
    if not value and by is not None and by.pk == person.pk:
        raise ValidationError(_("Anda tidak dapat mencabut hak admin Kesbangpol Anda sendiri."))
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.is_kesbangpol_admin == value and person.is_staff == (value or person.is_superuser):
            return person
        old = person.is_kesbangpol_admin
        _apply_admin_flag(person, value)
        record(
            action="person.kesbangpol_admin_changed",
            actor=by,
            obj=person,
            changes={"is_kesbangpol_admin": [old, value]},
        )
    return person
