"""Response: routing rules, deadlines, dispositions to forums, their follow-up and escalation.

A report that needs action gets one **disposition** per forum: "perlu tindakan" (the forum must
act) or "tembusan" (for information). A disposition has its own status, deadline and timeline
(``FollowUp``). When its deadline passes, the sweep escalates it one step up the ladder (desa
forum → kecamatan → TKD → FKPD) by creating a disposition for the next forum; the
``Escalation`` row, unique per disposition, makes sure that happens once.
Writes go through ``waspada.response.actions``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waspada.forums.models import ForumKind
from waspada.lib.files import safe_filename
from waspada.reports.taxonomy import AlertLevel, Isu

if TYPE_CHECKING:
    from waspada.people.models import Person


class DeadlineUnit(models.TextChoices):
    JAM = "jam", _("jam")
    HARI_KERJA = "hari_kerja", _("hari kerja")


class DeadlinePolicy(models.Model):
    """How long a forum has, by alert level: to acknowledge, then to close."""

    alert_level = models.CharField(
        _("tingkat kewaspadaan"), max_length=10, choices=AlertLevel.choices, unique=True
    )
    acknowledge_amount = models.PositiveIntegerField(_("batas waktu diterima"))
    acknowledge_unit = models.CharField(_("satuan"), max_length=12, choices=DeadlineUnit.choices)
    close_amount = models.PositiveIntegerField(_("batas waktu selesai"))
    close_unit = models.CharField(_("satuan"), max_length=12, choices=DeadlineUnit.choices)

    class Meta:
        verbose_name = _("batas waktu per tingkat")
        verbose_name_plural = _("batas waktu per tingkat")

    def __str__(self) -> str:
        unit = self.get_acknowledge_unit_display()
        return f"{self.get_alert_level_display()}: {self.acknowledge_amount} {unit}"


class DayOff(models.Model):
    """A regional day off (cuti bersama daerah, hari jadi kabupaten…) that Kesbangpol adds.

    ``region`` is the regency or province whose clocks it stops (and those of every place in
    it); none means the whole installation. One row per date and region.
    """

    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level__in": [1, 2]},
        help_text=_("Kabupaten/kota atau provinsi yang libur; kosong berarti seluruh instalasi."),
    )

    class Meta:
        verbose_name = _("hari libur daerah")
        verbose_name_plural = _("hari libur daerah")
        ordering = ["date", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(region__isnull=True),
                name="dayoff_one_installation_wide_per_date",
                violation_error_message=_("Hari libur seluruh instalasi pada tanggal ini sudah ada."),
            ),
            models.UniqueConstraint(
                fields=["date", "region"],
                name="dayoff_one_per_date_and_region",
                violation_error_message=_("Hari libur wilayah ini pada tanggal ini sudah ada."),
            ),
        ]

    def __str__(self) -> str:
        where = f" ({self.region_id})" if self.region_id else ""
        return f"{self.date:%d-%m-%Y} {self.name}{where}"


class RegionScope(models.TextChoices):
    SEMUA = "semua", _("Semua tingkat")
    KECAMATAN = "kecamatan", _("Lokasi kecamatan")
    DESA = "desa", _("Lokasi desa/kelurahan")


def forum_kind_names(kinds: list[str]) -> str:
    """The names of forum kinds, as a person reads them ("Tim Terpadu …", not ``TIMDU_PKS``)."""
    names = dict(ForumKind.choices)
    return ", ".join(str(names.get(kind, kind)) for kind in kinds)


class RoutingRule(models.Model):
    """Isu (and optionally a minimum alert level and the location's level) → forums.

    Every matching active rule contributes: the forums of ``act_kinds`` get "perlu tindakan",
    those of ``info_kinds`` "tembusan" (a forum never gets both: action wins). The forum of a
    kind is the one whose jurisdiction most closely contains the report's location.
    """

    isu = models.CharField(
        _("isu"), max_length=32, choices=Isu.choices, blank=True, help_text=_("Kosong: semua isu.")
    )
    min_alert_level = models.CharField(
        _("mulai tingkat"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.NORMAL
    )
    region_scope = models.CharField(
        _("tingkat lokasi"), max_length=10, choices=RegionScope.choices, default=RegionScope.SEMUA
    )
    act_kinds = models.JSONField(_("forum perlu tindakan"), default=list, blank=True)
    info_kinds = models.JSONField(_("forum tembusan"), default=list, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("aturan disposisi")
        verbose_name_plural = _("aturan disposisi")
        ordering = ["isu", "min_alert_level", "id"]

    def __str__(self) -> str:
        return f"{self.get_isu_display()} → {forum_kind_names(self.act_kinds)}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        known = set(ForumKind.values)
        for field in ("act_kinds", "info_kinds"):
            value = getattr(self, field)
            if not isinstance(value, list) or any(kind not in known for kind in value):
                raise ValidationError(
                    {
                        field: _('Isi dengan daftar jenis forum, mis. ["FKUB", "TIMDU_PKS"]; dikenal: %(k)s')
                        % {"k": ", ".join(sorted(known))}
                    }
                )


class DispositionKind(models.TextChoices):
    TINDAKAN = "tindakan", _("Perlu tindakan")
    TEMBUSAN = "tembusan", _("Tembusan")


class DispositionStatus(models.TextChoices):
    MENUNGGU = "menunggu", _("Menunggu")
    DITERIMA = "diterima", _("Diterima")
    DITANGANI = "ditangani", _("Ditangani")
    SELESAI = "selesai", _("Selesai")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")
    DITARIK = "ditarik", _("Ditarik")


OPEN_STATUSES = (DispositionStatus.MENUNGGU, DispositionStatus.DITERIMA, DispositionStatus.DITANGANI)


class Outcome(models.TextChoices):
    TERTANGANI = "tertangani", _("Tertangani")
    DIALIHKAN = "dialihkan", _("Dialihkan")
    BERULANG = "berulang", _("Berulang")
    TIDAK_TERBUKTI = "tidak_terbukti", _("Tidak terbukti")


def late_q(now: datetime) -> Q:
    """The one meaning of "late" (terlambat), as a filter; ``Disposition.is_late`` says the same.

    An open "perlu tindakan" disposition is late when it has been escalated for lateness (it
    stays late for its forum until closed, returned or withdrawn, even if its clock is paused
    afterwards), or when its clock runs and its deadline has passed. Home, inbox, dashboard,
    metrics, briefs and the API all count with this; ``overdue()`` is the narrower "due for the
    escalation sweep".
    """
    return Q(status__in=OPEN_STATUSES, kind=DispositionKind.TINDAKAN) & (
        Q(escalation__isnull=False) | Q(paused_at__isnull=True, due_at__lt=now)
    )


class DispositionQuerySet(models.QuerySet["Disposition"]):
    def open(self) -> DispositionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def late(self, now: datetime | None = None) -> DispositionQuerySet:
        """Late dispositions (see ``late_q``): escalated ones included."""
        return self.filter(late_q(now or timezone.now()))

    def overdue(self, now: object = None) -> DispositionQuerySet:
        """Due for the escalation sweep: late, clock running, and not yet escalated."""
        return self.open().filter(
            kind=DispositionKind.TINDAKAN,
            paused_at__isnull=True,
            due_at__lt=now or timezone.now(),
            escalation__isnull=True,
        )

    def restrict(self, person: Person, action: str = "view") -> DispositionQuerySet:
        """The dispositions on which ``person`` holds ``action`` (view, act, triage): rule 9 of
        ``reports/visibility.py``."""
        from waspada.reports.visibility import disposition_condition, restricted

        queryset: DispositionQuerySet = restricted(self, disposition_condition(person, action))
        return queryset

    def visible_to(self, person: Person) -> DispositionQuerySet:
        """Members see their forums' dispositions; the TKDs see those of their areas."""
        return self.restrict(person, "view")


class Disposition(models.Model):
    report = models.ForeignKey(
        "reports.Report", verbose_name=_("laporan"), on_delete=models.PROTECT, related_name="dispositions"
    )
    forum = models.ForeignKey(
        "forums.Forum", verbose_name=_("forum"), on_delete=models.PROTECT, related_name="dispositions"
    )
    kind = models.CharField(_("sifat"), max_length=10, choices=DispositionKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=DispositionStatus.choices, default=DispositionStatus.MENUNGGU
    )
    reason = models.CharField(_("alasan disposisi"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(_("batas waktu"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("diterima"), null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=16, choices=Outcome.choices, blank=True)
    lessons = models.TextField(_("pelajaran"), blank=True)
    paused_at = models.DateTimeField(_("dijeda sejak"), null=True, blank=True)
    pause_reason = models.CharField(_("alasan jeda"), max_length=500, blank=True)
    paused_seconds = models.PositiveIntegerField(_("total waktu jeda (detik)"), default=0)
    escalated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="escalated_to"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditugaskan kepada"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_dispositions",
    )
    assigned_at = models.DateTimeField(_("ditugaskan pada"), null=True, blank=True)

    objects = DispositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("disposisi")
        verbose_name_plural = _("disposisi")
        ordering = ["due_at", "id"]
        constraints = [
            # One live disposition per report and forum; a withdrawn one may be replaced.
            models.UniqueConstraint(
                fields=["report", "forum"],
                condition=~Q(status="ditarik"),
                name="one_live_disposition_per_report_and_forum",
            )
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.forum_id} ({self.kind})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_late_at(self, now: datetime) -> bool:
        """``late_q`` for one row (select_related("escalation") spares a query)."""
        if not self.is_open or self.kind != DispositionKind.TINDAKAN:
            return False
        if hasattr(self, "escalation"):
            return True
        return self.paused_at is None and self.due_at is not None and self.due_at < now

    @property
    def is_late(self) -> bool:
        return self.is_late_at(timezone.now())

    # The older name, kept for templates and callers: the same single meaning.
    is_overdue = is_late

    def paused_duration(self) -> timedelta:
        running = timezone.now() - self.paused_at if self.paused_at else timedelta(0)
        return timedelta(seconds=self.paused_seconds) + running


class FollowUpKind(models.TextChoices):
    DIBUAT = "dibuat", _("Disposisi dibuat")
    DITERIMA = "diterima", _("Diterima")
    TINDAKAN = "tindakan", _("Tindakan")
    JEDA = "jeda", _("Jam dijeda")
    LANJUT = "lanjut", _("Jam berjalan lagi")
    SELESAI = "selesai", _("Ditutup")
    DIBUKA = "dibuka", _("Dibuka kembali")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")
    DIALIHKAN = "dialihkan", _("Dialihkan")
    DITARIK = "ditarik", _("Ditarik")
    ESKALASI = "eskalasi", _("Dieskalasi")
    DITUGASKAN = "ditugaskan", _("Ditugaskan")


class FollowUp(models.Model):
    """One entry of a disposition's timeline (tindak lanjut), with optional proof attachments."""

    disposition = models.ForeignKey(Disposition, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("jenis"), max_length=14, choices=FollowUpKind.choices)
    text = models.TextField(_("uraian"), blank=True)
    # A text the system wrote ("Disposisi otomatis menurut aturan.") is kept as its key and
    # parameters and rendered in the reader's language (response/texts.py); ``text`` keeps the
    # Indonesian rendering for rows from before and for readers of the raw table.
    message = models.CharField(_("kunci teks sistem"), max_length=40, blank=True)
    params = models.JSONField(_("parameter teks sistem"), default=dict, blank=True)
    shared_with_reporter = models.BooleanField(
        _("bagikan ke pelapor"),
        default=False,
        help_text=_("Pelapor melihat tindakan ini di lini masa laporannya."),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("waktu"), default=timezone.now)

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%d-%m-%Y %H:%M}"

    @property
    def display_text(self) -> str:
        """The entry's text in the active language (a system text), or as the person wrote it."""
        from waspada.response.texts import render

        return render(self.message, self.params, fallback=self.text)


def proof_path(instance: FollowUpProof, filename: str) -> str:
    return f"bukti/{instance.follow_up.disposition_id}/{instance.sha256[:16]}{instance.extension}"


class FollowUpProof(models.Model):
    """A photo or PDF proving a follow-up action, checked by content and stripped of metadata."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="proofs")
    file = models.FileField(upload_to=proof_path)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("bukti tindak lanjut")
        verbose_name_plural = _("bukti tindak lanjut")

    def __str__(self) -> str:
        return self.original_name or self.file.name

    def get_absolute_url(self) -> str:
        """The app's route that checks who asks (response/files.py); never a /media/ address."""
        return reverse("response:proof", args=[self.follow_up.disposition_id, self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def download_name(self) -> str:
        return safe_filename(self.original_name, self.extension, f"bukti-{self.pk}")

    def get_thumbnail_url(self) -> str:
        return reverse("response:proof-thumbnail", args=[self.follow_up.disposition_id, self.pk])


class Escalation(models.Model):
    """The one escalation of an overdue disposition to the next forum up the ladder."""

    disposition = models.OneToOneField(Disposition, on_delete=models.PROTECT, related_name="escalation")
    to_disposition = models.OneToOneField(
        Disposition, null=True, blank=True, on_delete=models.PROTECT, related_name="escalated_in"
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("eskalasi")
        verbose_name_plural = _("eskalasi")

    def __str__(self) -> str:
        return f"{self.disposition_id} → {self.to_disposition_id}"
