"""Every write of the situation app: a region's status set or lifted by hand, saved searches.

Each action validates, writes in one transaction and records its audit entry in that transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.audit.actions import record
from waspada.regions.models import Level, Region
from waspada.reports.taxonomy import AlertLevel
from waspada.reports.visibility import can_triage, may_decide_region
from waspada.situation.models import DisplayToken, SavedSearch, StatusOverride

if TYPE_CHECKING:
    from waspada.people.models import Person

MAX_OVERRIDE = timedelta(days=90)
MAX_UTC_OFFSET = timedelta(hours=14)
MAX_SAVED_SEARCHES = 50
DISPLAY_PREFIX = "wsl_"


def can_override_status(person: Person, region: Region | None = None) -> bool:
    """Kesbangpol's early-warning team (its senior roles) sets a region's status by hand: the
    deciding TKD of that region (rule 6 of reports/visibility.py). Without a region: whether the
    person holds such a seat anywhere (for menus; the action asks again with the region)."""
    if region is None:
        return can_triage(person)
    return may_decide_region(person, region.code)


def _require_override_right(person: Person, region: Region) -> None:
    if not can_override_status(person, region):
        raise PermissionError(
            _("Hanya analis dan pimpinan Tim Kewaspadaan Dini wilayah ini yang dapat menetapkan status.")
        )


def set_status_override(
    *,
    region: Region,
    status: str,
    reason: str,
    expires_at: datetime | None,
    by: Person,
    request: HttpRequest | None = None,
) -> StatusOverride:
    """Set a kecamatan's or desa's status by hand until ``expires_at`` (at most 90 days ahead).

    A live override of the same region is lifted first, in the same transaction.
    """
    _require_override_right(by, region)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if region.level not in (Level.KECAMATAN, Level.DESA):
        errors["region"] = [_("Status hanya ditetapkan untuk kecamatan atau desa/kelurahan.")]
    if status not in AlertLevel.values:
        errors["status"] = [_("Pilihan tidak dikenal: %(value)s.") % {"value": status}]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Alasan wajib diisi.")]
    elif len(reason) > 1000:
        errors["reason"] = [_("Alasan paling panjang 1000 karakter.")]
    offset = expires_at.utcoffset() if expires_at is not None else None
    if expires_at is None:
        errors["expires_at"] = [_("Batas berlaku wajib diisi.")]
    elif offset is None or abs(offset) > MAX_UTC_OFFSET or expires_at.year < 1900 or expires_at.year > 9000:
        # a time without a zone, a zone PostgreSQL refuses (over 15:59) or a typing mistake
        errors["expires_at"] = [_("Batas berlaku tidak valid.")]
    elif expires_at <= now:
        errors["expires_at"] = [_("Batas berlaku harus di masa depan.")]
    elif expires_at - now > MAX_OVERRIDE:
        errors["expires_at"] = [_("Batas berlaku paling lama 90 hari dari sekarang.")]
    if errors:
        raise ValidationError(errors)
    assert expires_at is not None
    with transaction.atomic():
        previous = (
            StatusOverride.objects.select_for_update().filter(region=region, lifted_at__isnull=True).first()
        )
        if previous is not None:
            previous.lifted_at = now
            previous.lifted_by = by
            previous.lift_reason = _("Diganti penetapan baru.")
            previous.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        override = StatusOverride.objects.create(
            region=region, status=status, reason=reason, expires_at=expires_at, set_by=by, set_at=now
        )
        record(
            action="region_status.set",
            actor=by,
            obj=override,
            changes={
                "region": region.code,
                "status": status,
                "reason": reason,
                "expires_at": expires_at,
                "replaced": previous.pk if previous is not None else None,
            },
            request=request,
        )
    return override


def lift_status_override(
    *, override: StatusOverride, reason: str, by: Person, request: HttpRequest | None = None
) -> StatusOverride:
    """End a status set by hand before its expiry; the rule decides again."""
    _require_override_right(by, override.region)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Alasan wajib diisi.")]})
    with transaction.atomic():
        override = StatusOverride.objects.select_for_update().get(pk=override.pk)
        if override.lifted_at is not None:
            raise ValidationError({"override": [_("Penetapan ini sudah dicabut.")]})
        override.lifted_at = timezone.now()
        override.lifted_by = by
        override.lift_reason = reason
        override.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        record(
            action="region_status.lifted",
            actor=by,
            obj=override,
            changes={"region": override.region_id, "status": override.status, "reason": reason},
            request=request,
        )
    return override


def save_search(
    *, person: Person, name: str, target: str, query: str, request: HttpRequest | None = None
) -> SavedSearch:
    """Keep a named filter of a list; the same name again replaces its filter."""
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Nama pencarian wajib diisi.")]
    elif len(name) > 100:
        errors["name"] = [_("Nama pencarian paling panjang 100 karakter.")]
    if target not in SavedSearch.Target.values:
        errors["target"] = [_("Pilihan tidak dikenal: %(value)s.") % {"value": target}]
    if len(query) > 1000:
        errors["query"] = [_("Saringan terlalu panjang (paling banyak 1000 karakter).")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = SavedSearch.objects.filter(person=person, target=target, name=name).first()
        if existing is None and SavedSearch.objects.filter(person=person).count() >= MAX_SAVED_SEARCHES:
            raise ValidationError(
                {
                    "name": [
                        _("Paling banyak %(n)d pencarian tersimpan; hapus satu dulu.")
                        % {"n": MAX_SAVED_SEARCHES}
                    ]
                }
            )
        if existing is None:
            saved = SavedSearch.objects.create(person=person, name=name, target=target, query=query)
        else:
            existing.query = query
            existing.save(update_fields=["query"])
            saved = existing
        record(
            action="saved_search.saved",
            actor=person,
            obj=saved,
            changes={"name": name, "target": target, "query": query},
            request=request,
        )
    return saved


def delete_search(*, search: SavedSearch, person: Person, request: HttpRequest | None = None) -> None:
    if search.person_id != person.pk:
        raise PermissionError(_("Pencarian ini milik orang lain."))
    with transaction.atomic():
        record(
            action="saved_search.deleted",
            actor=person,
            obj=search,
            changes={"name": search.name},
            request=request,
        )
        search.delete()


# -- display tokens of the command-room wall (``situation/wall.py``) ---------------------------

WALL_LEVELS = (Level.PROVINSI, Level.KABUPATEN)


def manages_display_tokens(person: Person, region_code: str | None = None) -> bool:
    """Who makes and revokes the wall's display tokens of ``region_code``: a superuser, any; a
    Kesbangpol administrator, those of the regency or province their own TKD decides for (as the
    days off). Without a region: whether the person may make any (for menus)."""
    from waspada.forums.access import access_of

    access = access_of(person)
    if not access.active:
        return False
    if access.superuser:
        return True
    if not getattr(person, "is_kesbangpol_admin", False):
        return False
    if region_code is None:
        return bool(access.tkd_seats(senior=False))
    return access.decides(region_code, senior=False)


def create_display_token(
    *, region: Region | None, name: str, by: Person, request: HttpRequest | None = None
) -> tuple[DisplayToken, str]:
    """Make a wall's token for ``region``; returns the stored row and the token, shown only once."""
    import secrets

    from waspada.people.tokens import digest_of

    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Nama layar wajib diisi, mis. 'Ruang rapat Kesbangpol'.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Nama layar paling panjang 100 karakter.")})
    if region is None or region.level not in WALL_LEVELS:
        raise ValidationError({"region": _("Wilayah layar harus sebuah kabupaten/kota atau provinsi.")})
    if not manages_display_tokens(by, region.code):
        raise PermissionError(_("Anda hanya dapat membuat token layar untuk wilayah yang Anda kelola."))
    raw = DISPLAY_PREFIX + secrets.token_urlsafe(30)
    with transaction.atomic():
        token = DisplayToken.objects.create(
            name=name, region=region, digest=digest_of(raw), hint=raw[:8], created_by=by
        )
        record(
            action="display_token.created",
            actor=by,
            obj=token,
            changes={"name": name, "region": region.code},
            request=request,
        )
    return token, raw


def revoke_display_token(
    *, token: DisplayToken, by: Person, request: HttpRequest | None = None
) -> DisplayToken:
    with transaction.atomic():
        token = DisplayToken.objects.select_for_update().get(pk=token.pk)
        if not manages_display_tokens(by, token.region_id):
            raise PermissionError(_("Anda hanya dapat mencabut token layar wilayah yang Anda kelola."))
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(
                action="display_token.revoked",
                actor=by,
                obj=token,
                changes={"name": token.name, "region": token.region_id},
                request=request,
            )
    return token


def note_display_token_use(*, token: DisplayToken, request: HttpRequest | None = None) -> None:
    """The first use of each day is audited (not every poll: a wall asks every few seconds)."""
    today = timezone.localdate()
    if token.last_used_on == today:
        return
    with transaction.atomic():
        updated = (
            DisplayToken.objects.filter(pk=token.pk).exclude(last_used_on=today).update(last_used_on=today)
        )
        if updated:
            record(
                action="display_token.used",
                actor=None,
                obj=token,
                changes={"name": token.name, "region": token.region_id, "day": today.isoformat()},
                request=request,
            )
    token.last_used_on = today
