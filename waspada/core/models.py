"""The state of periodic background jobs, so that every worker agrees on when each runs next."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    """One periodic job (e.g. the deadline sweep): when it runs next and how it went last.

    A scheduler claims a due job with a conditional UPDATE of ``next_run_at`` (only one worker
    wins), then queues it. A failure pushes ``next_run_at`` out with exponential backoff instead
    of running again at once; success resets ``failures``.
    """

    name = models.CharField(_("nama"), max_length=100, primary_key=True)
    next_run_at = models.DateTimeField(_("berikutnya"))
    last_started_at = models.DateTimeField(_("terakhir mulai"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("terakhir selesai"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    failures = models.PositiveIntegerField(_("gagal beruntun"), default=0)

    class Meta:
        verbose_name = _("pekerjaan berkala")
        verbose_name_plural = _("pekerjaan berkala")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """Each running worker process writes its heartbeat here (``waspada check`` reads it)."""

    worker_id = models.CharField(max_length=100, primary_key=True)
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("detak pekerja")
        verbose_name_plural = _("detak pekerja")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"
