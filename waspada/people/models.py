"""People who use Waspada: forum members, analysts, leaders and administrators."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Person(AbstractUser):
    """A login account. Forum roles live on memberships (forums app), not here.

    ``is_kesbangpol_admin`` marks the Kesbangpol secretariat staff who administer forums,
    people and settings for the installation.
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

    class Meta:
        verbose_name = _("orang")
        verbose_name_plural = _("orang")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username
