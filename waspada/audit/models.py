"""The audit trail: an append-only, hash-chained record of every change that matters.

Each ``AuditEntry`` carries the hash of the entry before it, and its own hash covers all of
its fields including that link, so editing or removing an entry breaks the chain where it
happened (``waspada audit verify``). ``AuditHead`` remembers the newest entry, so removing
entries from the end is caught too.

Entries are written only through :func:`waspada.audit.actions.record`. Here the model and
its queryset refuse updates and deletes, and a migration adds database triggers that refuse
them as well; those guards stop mistakes, the chain catches someone who goes around them.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waspada.audit.canonical import canonical_json, jsonable, sha256_hex, utc_iso


class AppendOnlyError(Exception):
    """Somebody tried to change or delete an audit entry, which is never allowed."""


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    CLI = "cli", _("Baris perintah")
    CHAT = "chat", _("Obrolan")
    SYSTEM = "system", _("Sistem")


def _refuse(what: str) -> NoReturn:
    raise AppendOnlyError(f"audit entries are append-only: {what} refused")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Reads as usual; every bulk write except through ``record()`` is refused."""

    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("update()")

    def delete(self) -> NoReturn:
        _refuse("delete()")

    def _raw_delete(self, using: Any) -> NoReturn:
        _refuse("delete()")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        _refuse("bulk_update()")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        # Bulk inserts skip save(), and with it the hash check: entries are chained one by one.
        _refuse("bulk_create()")

    def for_object(self, obj: models.Model) -> AuditEntryQuerySet:
        """The history of one object, oldest first."""
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("id")


class AuditEntry(models.Model):
    """One recorded event: who did what to which object, when, from where, and what changed.

    ``actor`` is PROTECTed: a person who appears in the trail cannot be deleted (deactivate
    the account instead), because setting the link to NULL would rewrite a chained entry.
    ``actor_label`` keeps the name as it was at the time, so the trail reads correctly even
    after the person's name changes.
    """

    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(_("waktu"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("nama pelaku saat itu"), max_length=300, blank=True)
    action = models.CharField(_("tindakan"), max_length=64, db_index=True)
    object_type = models.CharField(_("jenis objek"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    object_repr = models.CharField(_("objek"), max_length=200, blank=True)
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    source_ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    user_agent = models.CharField(_("peramban"), max_length=255, blank=True)
    channel = models.CharField(_("saluran"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    prev_hash = models.CharField(_("hash sebelumnya"), max_length=64, unique=True)
    entry_hash = models.CharField(_("hash entri"), max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("entri audit")
        verbose_name_plural = _("entri audit")
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_entry_object_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert once, never update; and only with a hash that matches the content.

        Preconditions: ``id``, ``prev_hash`` and ``entry_hash`` are set (``record()`` does it).
        """
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            _refuse("save() of an existing entry")
        if self.pk is None or self.entry_hash != self.compute_hash():
            raise AppendOnlyError("audit entries are written by waspada.audit.actions.record() only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("delete()")

    def hash_payload(self) -> dict[str, Any]:
        """Every field, in plain JSON types: what the entry hash is computed over.

        ``prev_hash`` is included, which is what chains the entries; so is ``id``, so that
        renumbering entries is caught as well.
        """
        return {
            "id": self.pk,
            "occurred_at": utc_iso(self.occurred_at),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changes": jsonable(self.changes),
            "source_ip": self.source_ip or None,
            "user_agent": self.user_agent,
            "channel": str(self.channel),
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        return sha256_hex(canonical_json(self.hash_payload()))


class AuditHead(models.Model):
    """The newest entry's id and hash, updated in the same transaction as each append.

    The chain alone cannot tell that its last entries were removed: what is left is still a
    valid chain. The head remembers where the chain ended, so ``verify`` can notice. It is
    one row (id 1). Copying its hash outside the database (``waspada audit verify`` prints
    it) also protects against someone who rewrites the whole chain and the head together.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    entry_id = models.BigIntegerField(_("entri terakhir"))
    entry_hash = models.CharField(_("hash entri terakhir"), max_length=64)
    updated_at = models.DateTimeField(_("diperbarui"))

    class Meta:
        verbose_name = _("kepala jejak audit")
        verbose_name_plural = _("kepala jejak audit")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_is_a_single_row")]

    def __str__(self) -> str:
        return f"#{self.entry_id} {self.entry_hash}"
