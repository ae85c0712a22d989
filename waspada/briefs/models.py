"""Stored situation reports: one row and one PDF file per recipient's copy.

A brief is rendered for one person through the scoped querysets, so each copy holds only what its
recipient may see; the file lives under ``MEDIA_ROOT/ringkasan/`` (in the data folder, carried by
``waspada backup``, never served by nginx) and its SHA-256 is kept here.
Writes go through ``waspada.briefs.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from waspada.briefs.periods import BriefKind, Period


class Brief(models.Model):
    kind = models.CharField(_("jenis"), max_length=12, choices=BriefKind.choices)
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penerima"), on_delete=models.PROTECT, related_name="briefs"
    )
    scheduled = models.BooleanField(_("terjadwal"), default=False)
    # Set for a province Lapsit drafted from the regencies' releases (docs/briefs.md).
    province = models.ForeignKey(
        "regions.Region",
        verbose_name=_("provinsi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    file = models.CharField(_("berkas"), max_length=200)  # relative to MEDIA_ROOT/ringkasan/
    size = models.PositiveIntegerField(_("ukuran"))
    checksum = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("laporan situasi")
        verbose_name_plural = _("laporan situasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The schedule makes one copy per recipient and period, however often it runs.
            models.UniqueConstraint(
                fields=["kind", "period_start", "recipient"],
                condition=Q(scheduled=True),
                name="one_scheduled_brief_per_period_and_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_start}..{self.period_end} → {self.recipient_id}"

    @property
    def period(self) -> Period:
        return Period(self.kind, self.period_start, self.period_end)


ASSESSMENT_MAX = 2000


class Release(models.Model):
    """A regency's Lapsit of one period released (rilis) to the province by a senior of its
    deciding TKD: the written assessment and the structured content as it stood at release time
    (counts, dispositions, notable incidents; nothing rahasia). One per (regency, kind, period
    start); a "Rilis ulang" replaces it, audited."""

    regency = models.ForeignKey(
        "regions.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=BriefKind.choices)
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dirilis oleh"), on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(_("waktu rilis"))
    assessment = models.TextField(_("penilaian / analisis"), max_length=ASSESSMENT_MAX)
    content = models.JSONField(_("isi"), default=dict)
    times_released = models.PositiveIntegerField(_("kali dirilis"), default=1)

    class Meta:
        verbose_name = _("rilis laporan situasi")
        verbose_name_plural = _("rilis laporan situasi")
        ordering = ["-released_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["regency", "kind", "period_start"], name="one_release_per_regency_and_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.regency_id} {self.kind} {self.period_start}..{self.period_end}"

    @property
    def period(self) -> Period:
        return Period(self.kind, self.period_start, self.period_end)
