"""People who use Waspada: forum members, analysts, leaders and administrators.

Writes go through ``waspada.people.actions``; a person's forums and roles live on
memberships (``waspada.forums``), and the helpers below read them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from waspada.forums.models import ForumQuerySet, MembershipQuerySet
    from waspada.regions.models import RegionQuerySet

# The Django group that carries the Kesbangpol administrators' permissions in the admin.
KESBANGPOL_ADMIN_GROUP = "Admin Kesbangpol"


class Person(AbstractUser):
    """A login account. Forum roles live on memberships (forums app), not here.

    ``is_kesbangpol_admin`` marks the Kesbangpol secretariat staff who administer forums,
    people and settings for the installation. It implies ``is_staff`` (admin access) and
    membership of the "Admin Kesbangpol" group; ``set_kesbangpol_admin`` keeps the three
    in step.
    """

    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    phone = models.CharField(_("nomor telepon"), max_length=32, blank=True)
    position = models.CharField(_("jabatan"), max_length=150, blank=True)
    home_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("wilayah domisili"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_kesbangpol_admin = models.BooleanField(
        _("admin Kesbangpol"),
        default=False,
        help_text=_("Mengelola forum, anggota, dan pengaturan untuk seluruh instalasi."),
    )

    language = models.CharField(
        _("bahasa"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("Bahasa e-mail dan pesan obrolan; kosong: bahasa bawaan situs."),
    )

    is_informant_handler = models.BooleanField(
        _("pengelola informan"),
        default=False,
        help_text=_(
            "Boleh membuka identitas informan yang dirahasiakan; setiap pembukaan tercatat di jejak audit."
        ),
    )

    class Meta:
        verbose_name = _("orang")
        verbose_name_plural = _("orang")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def current_memberships(self) -> MembershipQuerySet:
        """Seats not ended, in forums not retired, with their forum and its region loaded."""
        from waspada.forums.models import Membership

        return Membership.objects.current().of(self).select_related("forum", "forum__jurisdiction")

    def current_forums(self) -> ForumQuerySet:
        """Active forums in which this person currently sits."""
        from waspada.forums.models import Forum

        return Forum.objects.active().with_member(self)

    def is_member_of(self, kind: str, level: str | None = None) -> bool:
        """Whether the person currently sits in a forum of ``kind`` (e.g. ``ForumKind.TKD``),
        optionally only at ``level`` (e.g. ``ForumLevel.KECAMATAN``)."""
        memberships = self.current_memberships().filter(forum__kind=kind)
        if level is not None:
            memberships = memberships.filter(forum__level=level)
        return memberships.exists()

    def regions_of_responsibility(self) -> RegionQuerySet:
        """The jurisdictions of the forums the person currently sits in (no descendants:
        use ``Region.objects.within(region)`` on each for the whole area)."""
        from waspada.regions.models import Region

        return Region.objects.filter(
            forums__memberships__person_id=self.pk,
            forums__memberships__ended_at__isnull=True,
            forums__is_active=True,
        ).distinct()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API token (``Authorization: Bearer wsp_…``).

    Only the SHA-256 digest of the token is stored: the token itself is shown once, when it
    is made (``waspada.people.tokens.create_token``), and cannot be recovered afterwards. A
    token acts as its person, with exactly their permissions; revoking it is immediate.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("pemilik"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nama token"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("awal token"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"
