"""What the analysts taught the triage: each suggestion set against the value kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Correction(models.Model):
    """A text, the suggestions shown for it, and the values a person kept (training data).

    ``final`` holds the kept isu, athg, level and region; ``changed`` lists the fields that differ
    from the suggestion. ``waspada triage train`` learns from every row.
    """

    report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField(_("teks"))
    suggested = models.JSONField(_("saran"), default=dict)
    final = models.JSONField(_("nilai akhir"), default=dict)
    changed = models.JSONField(_("bidang yang diubah"), default=list)
    source = models.CharField(_("asal"), max_length=20, default="form")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("koreksi triase")
        verbose_name_plural = _("koreksi triase")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {', '.join(self.changed) or '-'}"
