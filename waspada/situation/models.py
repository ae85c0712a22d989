"""A region's status set by hand (Kesbangpol's override) and a person's saved searches.

The computed status has no table: it is worked out from the incidents each time (status.py), so
it can never drift from the reports behind it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waspada.reports.taxonomy import AlertLevel


class StatusOverrideQuerySet(models.QuerySet["StatusOverride"]):
    def in_force(self, now: object = None) -> StatusOverrideQuerySet:
        """Overrides not lifted and not yet expired."""
        return self.filter(lifted_at__isnull=True, expires_at__gt=now or timezone.now())

    def restrict(self, person: object, action: str = "override") -> StatusOverrideQuerySet:
        """The overrides ``person`` may set or lift: those of regions their TKD decides for (rule
        6 of ``reports/visibility.py``). Who sees an override is who sees the region's picture."""
        from waspada.forums.access import access_of
        from waspada.reports.visibility import OVERRIDE

        if action != OVERRIDE:
            raise ValueError(f"StatusOverride has no right called {action!r}")
        access = access_of(person)
        if access.superuser and access.active:
            return self
        return self.filter(access.decides_q("region"))


class StatusOverride(models.Model):
    """Kesbangpol sets a region's status by hand, with a reason, until an expiry (then the rule again)."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=AlertLevel.choices)
    reason = models.TextField(_("alasan"))
    expires_at = models.DateTimeField(_("berlaku sampai"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("ditetapkan"), default=timezone.now)
    lifted_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lift_reason = models.TextField(_("alasan pencabutan"), blank=True)

    objects = StatusOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("penetapan status wilayah")
        verbose_name_plural = _("penetapan status wilayah")
        ordering = ["-set_at", "-id"]
        constraints = [
            # One live override per region: setting a new one lifts the old one first.
            models.UniqueConstraint(
                fields=["region"], condition=Q(lifted_at__isnull=True), name="one_live_override_per_region"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id}: {self.status} s.d. {self.expires_at:%Y-%m-%d %H:%M}"


class SavedSearch(models.Model):
    """A person's named filter of the report or incident list (the query string, re-validated on use)."""

    class Target(models.TextChoices):
        REPORTS = "laporan", _("Laporan")
        INCIDENTS = "insiden", _("Insiden")

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nama"), max_length=100)
    target = models.CharField(_("daftar"), max_length=10, choices=Target.choices, default=Target.REPORTS)
    query = models.CharField(_("saringan"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pencarian tersimpan")
        verbose_name_plural = _("pencarian tersimpan")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "target", "name"], name="one_saved_search_per_name")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.name}"


class DisplayTokenQuerySet(models.QuerySet["DisplayToken"]):
    def live(self) -> DisplayTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class DisplayToken(models.Model):
    """A command-room wall's token (``/situasi/layar/``): it opens the assessed picture of one
    region on a screen nobody logs in to, and nothing else (``situation/wall.py``).

    Only the SHA-256 digest is stored, as for personal API tokens; the token is shown once. Made
    and revoked by a Kesbangpol administrator of the region (or a superuser), each step audited,
    and its first use of each day audited too.
    """

    name = models.CharField(_("nama layar"), max_length=100)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("awal token"), max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_on = models.DateField(_("terakhir dipakai"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True, editable=False)

    objects = DisplayTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token layar")
        verbose_name_plural = _("token layar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"
