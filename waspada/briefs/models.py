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
    # Set for a copy of an approved and released Lapsit (docs/briefs.md, "Lapsit").
    lapsit = models.ForeignKey(
        "briefs.Lapsit",
        verbose_name=_("lapsit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    # A drafter's working copy of a draft Lapsit, marked KONSEP on every page; never a recipient's.
    konsep = models.BooleanField(_("konsep"), default=False)

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


LAPSIT_TEXT_MAX = 4000


class LapsitStatus(models.TextChoices):
    KONSEP = "konsep", _("Konsep")
    DISETUJUI = "disetujui", _("Disetujui")
    DIRILIS = "dirilis", _("Dirilis")


class Lapsit(models.Model):
    """The official Laporan Situasi of one regency and period (docs/briefs.md, "Lapsit"): drafted
    by the application and the TKD's analyst (analisa, prakiraan, saran tindak), approved by the
    head of Kesbangpol (the ketua of the regency's TKD), then released: only then does any
    recipient get a copy (``Brief.lapsit``). The nomor is given at approval from
    ``WASPADA_LAPSIT_NOMOR``; ``sequence`` counts per year. Writes go through ``briefs.actions``."""

    regency = models.ForeignKey(
        "regions.Region", verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=BriefKind.choices)
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    status = models.CharField(
        _("status"), max_length=10, choices=LapsitStatus.choices, default=LapsitStatus.KONSEP
    )
    analisa = models.TextField(_("analisa"), max_length=LAPSIT_TEXT_MAX, blank=True)
    prakiraan = models.TextField(_("prakiraan"), max_length=LAPSIT_TEXT_MAX, blank=True)
    saran = models.TextField(_("saran tindak"), max_length=LAPSIT_TEXT_MAX, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("terakhir diubah"), null=True, blank=True)
    year = models.PositiveIntegerField(_("tahun nomor"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("nomor urut"), null=True, blank=True)
    nomor = models.CharField(_("nomor"), max_length=100, blank=True)
    # The analyst asked the head of Kesbangpol to approve it ("Ajukan"); cleared when returned.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diajukan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("waktu diajukan"), null=True, blank=True)
    # The head's note when he sent the draft back to the analyst ("Kembalikan"), the latest one.
    returned_at = models.DateTimeField(_("waktu dikembalikan"), null=True, blank=True)
    return_note = models.TextField(_("catatan pengembalian"), max_length=LAPSIT_TEXT_MAX, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disetujui oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("waktu disetujui"), null=True, blank=True)
    released_at = models.DateTimeField(_("waktu dirilis"), null=True, blank=True)
    # Forum members who asked for a copy while it was a draft: they get theirs at release.
    waiting = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("menunggu salinan"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("lapsit")
        verbose_name_plural = _("lapsit")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["regency", "kind", "period_start", "period_end"],
                name="one_lapsit_per_regency_and_period",
            ),
            models.UniqueConstraint(fields=["regency", "year", "sequence"], name="one_lapsit_per_number"),
        ]

    def __str__(self) -> str:
        return f"Lapsit {self.regency_id} {self.kind} {self.period_start}..{self.period_end}"

    @property
    def period(self) -> Period:
        return Period(self.kind, self.period_start, self.period_end)

    @property
    def is_draft(self) -> bool:
        return self.status == LapsitStatus.KONSEP

    @property
    def state_label(self) -> str:
        """Its status as the lists show it: a draft says whether it waits for the head of
        Kesbangpol (submitted) or came back to its analyst (returned), not just "Konsep"."""
        if self.is_draft and self.submitted_at:
            return str(_("Diajukan — menunggu persetujuan"))
        if self.is_draft and self.returned_at:
            return str(_("Dikembalikan"))
        return str(self.get_status_display())
