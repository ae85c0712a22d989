"""Reports (laporan), the incidents they are verified into, attachments and informants."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, router, transaction
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from waspada.lib.files import safe_filename
from waspada.reports.taxonomy import (
    ALERT_RANK,
    AlertLevel,
    Athg,
    Classification,
    InfoCredibility,
    Isu,
    Jenis,
    SourceReliability,
)

if TYPE_CHECKING:
    from waspada.people.models import Person


class ReportStatus(models.TextChoices):
    BARU = "baru", _("Baru")
    TERVERIFIKASI = "terverifikasi", _("Terverifikasi")
    DITOLAK = "ditolak", _("Ditolak")
    DIGABUNG = "digabung", _("Digabung")


class ReferenceSequence(models.Model):
    """The last number handed out per prefix, region and year (``SKD-6401-2026``).

    Numbers come from this row, incremented inside the creating transaction, and the reference
    column is unique: two reports can never share a number, even from two servers.
    """

    prefix = models.CharField(max_length=32, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last_number}"


class ReportQuerySet(models.QuerySet["Report"]):
    def restrict(self, person: Person, action: str = "view", *, within: str | None = None) -> ReportQuerySet:
        """The reports on which ``person`` holds ``action`` (view, triage, reveal): rules in
        ``reports/visibility.py``. ``within`` is a region code this queryset is already filtered
        to (a list's region filter); the check is then written for that region alone."""
        from waspada.reports.visibility import VIEW, report_condition, reports_visible_to, restricted

        if action == VIEW:
            return reports_visible_to(self, person, within)
        queryset: ReportQuerySet = restricted(
            reports_visible_to(self, person), report_condition(person, action)
        )
        return queryset

    def visible_to(self, person: Person, *, within: str | None = None) -> ReportQuerySet:
        return self.restrict(person, "view", within=within)

    # The writes below keep ``ReportRollup`` in the writer's transaction (reports/rollups.py).
    # ``bulk_update`` needs nothing of its own: Django writes each batch through ``update``.

    def update(self, **kwargs: Any) -> int:
        if not _touches_rollup(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self._write_db(), savepoint=False):
            updated = 0
            for rows in self._locked_chunks():
                updated += self._moving(rows, lambda rows: models.QuerySet.update(rows, **kwargs))
            return updated

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Report]:
        if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
            raise TypeError(
                "Report.objects.bulk_create: conflicts would leave the rollup unsure what was written"
            )
        from waspada.reports.rollups import count_created

        using = self._write_db()
        with transaction.atomic(using=using, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            count_created(created, using=using)
        return created

    def delete(self) -> tuple[int, dict[str, int]]:
        from waspada.reports.rollups import move_rows

        with transaction.atomic(using=self._write_db(), savepoint=False):
            total = 0
            per_model: dict[str, int] = {}
            for rows in self._locked_chunks():
                move_rows(rows, -1)
                deleted, by_model = models.QuerySet.delete(rows)
                total += deleted
                for label, n in by_model.items():
                    per_model[label] = per_model.get(label, 0) + n
            return total, per_model

    def _locked_chunks(self) -> Any:
        """This queryset's rows, locked and listed, as querysets of at most ``CHUNK`` keys."""
        from waspada.reports.rollups import chunks

        using = self._write_db()
        ids = list(self.using(using).order_by().select_for_update(of=("self",)).values_list("pk", flat=True))
        for chunk in chunks(ids):
            yield self.model.objects.using(using).filter(pk__in=chunk)

    def _write_db(self) -> str:
        """The database this queryset writes to (``self.db`` names the one it would read)."""
        explicit: str | None = getattr(self, "_db", None)  # set by .using()
        return explicit or router.db_for_write(self.model, **getattr(self, "_hints", {}))

    @staticmethod
    def _moving(rows: ReportQuerySet, write: Any) -> int:
        """-1 for ``rows``' buckets (locked), ``write(rows)``, +1 for their new buckets."""
        from waspada.reports.rollups import move_rows

        move_rows(rows, -1)
        written = int(write(rows))
        move_rows(rows, +1)
        return written


def _touches_rollup(fields: Any) -> bool:
    """Whether a write of ``fields`` (names or attribute names) can move a report's bucket."""
    from waspada.reports.rollups import KEY_FIELDS

    return bool(_attnames(fields) & set(KEY_FIELDS))


def _attnames(fields: Any) -> set[str]:
    """``region`` and ``region_id`` both name the column ``region_id``."""
    return {getattr(Report._meta.get_field(name), "attname", name) for name in fields}


def casualties_text(dead: int | None, injured: int | None, displaced: int | None, affected: int) -> str:
    """``Report.casualties_text`` from the four numbers (None: not known)."""
    unknown = gettext("belum diketahui")
    parts = [
        gettext("%(n)s meninggal") % {"n": dead}
        if dead is not None
        else gettext("meninggal %(u)s") % {"u": unknown},
        gettext("%(n)s luka") % {"n": injured}
        if injured is not None
        else gettext("luka %(u)s") % {"u": unknown},
        gettext("%(n)s mengungsi") % {"n": displaced}
        if displaced is not None
        else gettext("mengungsi %(u)s") % {"u": unknown},
    ]
    return gettext("%(casualties)s; %(n)s warga terdampak") % {"casualties": ", ".join(parts), "n": affected}


class Report(models.Model):
    """One laporan: the 5W1H narrative and its classification, as submitted by a forum member."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("nomor laporan"), max_length=40, unique=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelapor"), on_delete=models.PROTECT, related_name="reports"
    )
    reporter_forum = models.ForeignKey(
        "forums.Forum",
        verbose_name=_("dilaporkan melalui forum"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_reports",
    )
    channel = models.CharField(_("saluran"), max_length=12, default="web")

    jenis = models.CharField(
        _("jenis laporan"), max_length=12, choices=Jenis.choices, default=Jenis.INSIDENTIL
    )
    athg = models.CharField(_("kelas ATHG"), max_length=12, choices=Athg.choices)
    gatra = models.JSONField(_("gatra"), default=list)
    isu = models.CharField(_("isu"), max_length=32, choices=Isu.choices)
    alert_level = models.CharField(_("tingkat kewaspadaan"), max_length=10, choices=AlertLevel.choices)

    title = models.CharField(_("judul singkat"), max_length=200)
    what = models.TextField(_("apa yang terjadi"))
    who = models.TextField(_("siapa yang terlibat"), blank=True)
    cause = models.TextField(_("penyebab"), blank=True)
    where_detail = models.TextField(_("keterangan tempat"), blank=True)
    latest_condition = models.TextField(_("kondisi terakhir"), blank=True)
    interim_handling = models.TextField(_("penanganan sementara"), blank=True)

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("lokasi (desa/kecamatan)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("waktu kejadian"))
    reported_at = models.DateTimeField(_("waktu dilaporkan"))
    received_at = models.DateTimeField(_("waktu diterima server"), auto_now_add=True)

    source_description = models.CharField(_("sumber informasi"), max_length=300, blank=True)
    source_reliability = models.CharField(
        _("keandalan sumber"), max_length=1, choices=SourceReliability.choices, default=SourceReliability.F
    )
    info_credibility = models.CharField(
        _("kredibilitas informasi"), max_length=1, choices=InfoCredibility.choices, default=InfoCredibility.C6
    )
    # Casualties where known: empty (None) is "not yet known", never zero (docs/detection.md,
    # "Severity"). A report with a death is a signal of its own (detection/deaths.py).
    casualties_dead = models.PositiveIntegerField(_("korban meninggal"), null=True, blank=True)
    casualties_injured = models.PositiveIntegerField(_("korban luka"), null=True, blank=True)
    casualties_displaced = models.PositiveIntegerField(_("warga mengungsi"), null=True, blank=True)
    people_affected = models.PositiveIntegerField(_("warga terdampak"), default=0)
    classification = models.CharField(
        _("klasifikasi"), max_length=10, choices=Classification.choices, default=Classification.BIASA
    )

    status = models.CharField(
        _("status"), max_length=14, choices=ReportStatus.choices, default=ReportStatus.BARU
    )
    status_reason = models.TextField(_("alasan status"), blank=True)
    incident = models.ForeignKey(
        "Incident",
        verbose_name=_("insiden"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    shared_with = models.ManyToManyField(
        "forums.Forum", verbose_name=_("dibagikan ke forum"), blank=True, related_name="shared_reports"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    # The verification clock (reports/verification.py): set when the report arrives, recomputed
    # when its level is corrected; the ketua of the TKD is told once when it passes unverified.
    verify_due_at = models.DateTimeField(_("batas verifikasi"), null=True, blank=True)
    verify_escalated_at = models.DateTimeField(
        _("keterlambatan verifikasi dilaporkan"), null=True, blank=True
    )
    # The title's and narrative's words with their stems and joined pairs (reports/search.py),
    # written by save() in the row's own transaction; searched through a GIN index (0006).
    search_terms = models.TextField(editable=False, blank=True, default="")

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-reported_at"]),
            models.Index(fields=["isu", "-occurred_at"]),
            models.Index(fields=["region", "-occurred_at"]),
            models.Index(fields=["status", "verify_due_at"], name="report_verification_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saves, and moves the rollup's counts in the same transaction (reports/rollups.py)."""
        from waspada.reports import rollups

        _keep_search_terms(self, kwargs, self.title, self.what)
        fields = kwargs.get("update_fields")
        if fields is not None and not _touches_rollup(fields):
            super().save(*args, **kwargs)
            return
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            # A new row with no key yet has nothing stored to take away: no read (intake's path).
            fresh = self._state.adding and self.pk is None
            stored = None if fresh else rollups.stored_bucket(type(self), self.pk, using=using)
            super().save(*args, **kwargs)
            written = self._written_bucket(stored, fields, using)
            if stored != written:
                rollups.move({**({stored: -1} if stored else {}), written: +1}, using=using)

    def _written_bucket(self, stored: tuple[Any, ...] | None, fields: Any, using: str) -> tuple[Any, ...]:
        from django.db.models.expressions import Combinable

        from waspada.reports import rollups

        values = {name: getattr(self, name) for name in rollups.KEY_FIELDS}
        computed = any(isinstance(value, Combinable) for value in values.values())
        if computed or not isinstance(values["reported_at"], datetime):
            # an F() the database computed, or a time given as text: read what was stored
            found = rollups.stored_bucket(type(self), self.pk, using=using)
            assert found is not None
            return found
        written = rollups.bucket_of(values)
        if stored is None or fields is None:
            return written
        kept = _attnames(fields)
        # Fields left out of ``update_fields`` keep their stored values.
        day = written[0] if "reported_at" in kept else stored[0]
        return (
            day,
            *(
                new if name in kept else old
                for name, new, old in zip(rollups.KEY_FIELDS[1:], written[1:], stored[1:], strict=True)
            ),
        )

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        from waspada.reports import rollups

        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using, savepoint=False):
            stored = rollups.stored_bucket(type(self), self.pk, using=using)
            deleted = super().delete(*args, **kwargs)
            if stored is not None:
                rollups.move({stored: -1}, using=using)
        return deleted

    @property
    def alert_rank(self) -> int:
        return ALERT_RANK[self.alert_level]

    @property
    def casualties_text(self) -> str:
        """The casualties as a line says them: "2 meninggal, 5 luka, mengungsi belum diketahui;
        40 warga terdampak". An unknown count is said to be unknown, never written as 0."""
        return casualties_text(
            self.casualties_dead, self.casualties_injured, self.casualties_displaced, self.people_affected
        )


class ReportRollup(models.Model):
    """How many reports per local day x region x isu x alert level x status x classification,
    kept in the transaction of every change that moves a count (reports/rollups.py: the
    invariant and why it holds). ``region`` is the report's own region code (a village, or the
    level the report holds); an area's count sums the codes under its code."""

    day = models.DateField()
    region = models.CharField(max_length=13)
    isu = models.CharField(max_length=32, choices=Isu.choices)
    alert_level = models.CharField(max_length=10, choices=AlertLevel.choices)
    status = models.CharField(max_length=14, choices=ReportStatus.choices)
    classification = models.CharField(max_length=10, choices=Classification.choices)
    n = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("rekap laporan")
        verbose_name_plural = _("rekap laporan")
        constraints = [
            # the conflict target of every move; its first column serves the reads by period
            models.UniqueConstraint(
                fields=["day", "region", "isu", "alert_level", "status", "classification"],
                name="reports_rollup_one_row_per_bucket",
            )
        ]
        indexes = [
            # an area's rows by code prefix (LIKE '64.01.%' on PostgreSQL whatever the collation)
            models.Index(
                fields=["region", "day"],
                name="reports_rollup_region_day",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self) -> str:
        key = f"{self.day} {self.region} {self.isu} {self.alert_level} {self.status} {self.classification}"
        return f"{key}: {self.n}"


def _keep_search_terms(row: Any, kwargs: dict[str, Any], *texts: str) -> None:
    """Write ``search_terms`` from the row's texts when they are saved (reports/search.py)."""
    from waspada.reports.search import terms

    fields = kwargs.get("update_fields")
    if fields is not None:
        if not {"title", "what"} & set(fields):
            return
        kwargs["update_fields"] = [*fields, "search_terms"]
    row.search_terms = terms(*texts)


class IncidentQuerySet(models.QuerySet["Incident"]):
    def restrict(
        self, person: Person, action: str = "view", *, within: str | None = None
    ) -> IncidentQuerySet:
        """The incidents on which ``person`` holds ``action`` (view, triage). ``within``: only the
        incidents located in that region (the filter is applied here), with the check written
        for that region alone (``incidents_visible_to``)."""
        from waspada.reports.visibility import VIEW, incident_condition, incidents_visible_to, restricted

        visible = incidents_visible_to(self, person, within)
        if action == VIEW:
            return visible
        queryset: IncidentQuerySet = restricted(visible, incident_condition(person, action))
        return queryset

    def visible_to(self, person: Person, *, within: str | None = None) -> IncidentQuerySet:
        return self.restrict(person, "view", within=within)


class Incident(models.Model):
    """One real event, to which many reports from many forums may belong."""

    reference = models.CharField(_("nomor insiden"), max_length=40, unique=True)
    title = models.CharField(_("judul"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("lokasi"), on_delete=models.PROTECT, related_name="+"
    )
    isu = models.CharField(_("isu"), max_length=32, choices=Isu.choices)
    alert_level = models.CharField(_("tingkat kewaspadaan"), max_length=10, choices=AlertLevel.choices)
    alert_level_override = models.BooleanField(_("tingkat ditetapkan analis"), default=False)
    alert_level_reason = models.TextField(_("alasan penetapan tingkat"), blank=True)
    classification = models.CharField(
        _("klasifikasi"), max_length=10, choices=Classification.choices, default=Classification.BIASA
    )
    occurred_at = models.DateTimeField(_("waktu kejadian"))
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("digabung ke"),
    )
    # Marked by the regency's deciding TKD (reports/actions.py: mark_needs_province): when the
    # regency's Forkopimda step is late, the escalation goes on up to the province's TKD.
    needs_province = models.BooleanField(_("perlu provinsi"), default=False)
    needs_province_reason = models.TextField(_("alasan perlu provinsi"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    search_terms = models.TextField(editable=False, blank=True, default="")

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("insiden")
        verbose_name_plural = _("insiden")
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        _keep_search_terms(self, kwargs, self.title)
        super().save(*args, **kwargs)


class IncidentShareQuerySet(models.QuerySet["IncidentShare"]):
    def active(self) -> IncidentShareQuerySet:
        return self.filter(revoked_at__isnull=True)


class IncidentShare(models.Model):
    """An incident the deciding TKD shared with the TKD of another regency (``reports/sharing.py``).

    One row per incident and forum: revoking keeps the row (``revoked_at``) and sharing again
    reopens it, so the audit trail and this row tell one story. The receiving TKD's members see
    the incident's summary only while the share is active (``reports/visibility.py``, rule 6).
    """

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="shares")
    forum = models.ForeignKey(
        "forums.Forum", verbose_name=_("TKD penerima"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("alasan berbagi"))
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(_("dibagikan"))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    objects = IncidentShareQuerySet.as_manager()

    class Meta:
        verbose_name = _("berbagi insiden")
        verbose_name_plural = _("berbagi insiden")
        ordering = ["shared_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "forum"], name="reports_incidentshare_unique_forum")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.forum_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never comes from the uploader: no path tricks, no guessable names.
    return f"lampiran/{instance.report.received_at:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    """A photo or PDF, checked by content and stripped of metadata before it is stored."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")

    def __str__(self) -> str:
        return f"{self.report_id}/{self.pk} {self.content_type}"

    def get_absolute_url(self) -> str:
        """The app's route that checks who asks (reports/files.py); never a /media/ address."""
        return reverse("reports:attachment", args=[self.report.reference, self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def download_name(self) -> str:
        return safe_filename(self.original_name, self.extension, f"lampiran-{self.pk}")

    def get_thumbnail_url(self) -> str:
        return reverse("reports:attachment-thumbnail", args=[self.report.reference, self.pk])


class Informant(models.Model):
    """Who gave the information. Name and contact are encrypted at rest (lib/crypto.py)."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="informant")
    name_encrypted = models.TextField()
    contact_encrypted = models.TextField(blank=True)
    is_secret = models.BooleanField(_("identitas dirahasiakan"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"informan laporan {self.report_id}"  # never the identity itself


class IdempotencyRecord(models.Model):
    """The first answer to a submission, kept so that a retried submission returns it again."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    report = models.ForeignKey(Report, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="one_result_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.key}"
