"""Count series of verified reports and the signals the detectors raise on them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from waspada.reports.taxonomy import AlertLevel, Isu

if TYPE_CHECKING:
    from waspada.people.models import Person


class Period(models.TextChoices):
    HARI = "hari", _("Hari")
    MINGGU = "minggu", _("Minggu")


class CountBucket(models.Model):
    """Verified reports of one isu in one region (desa, kecamatan or kabupaten, including the
    regions inside it) in one day or one week (Monday to Sunday, WITA), by ``occurred_at``.

    ``weighted`` counts each report by its severity weight (``series.report_weight``): its alert
    level's (normal 1, waspada 2, siaga 4, awas 8) plus 3 per death, 0.5 per injury and 1 per
    100 people displaced, where the report knows them.
    Built incrementally by ``series.refresh_series``; a bucket without reports has no row.
    """

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    isu = models.CharField(max_length=32, choices=Isu.choices)
    period = models.CharField(max_length=6, choices=Period.choices)
    start = models.DateField()
    count = models.PositiveIntegerField(default=0)
    weighted = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "isu", "period", "start"], name="detection_bucket_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.isu} {self.period} {self.start}: {self.count}"


class SeriesCursor(models.Model):
    """How far the series have read the audit trail (one row)."""

    name = models.CharField(max_length=32, unique=True, default="reports")
    last_audit_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_audit_id}"


class SeriesKind(models.TextChoices):
    """Which series a detector ran on: plain report counts or severity-weighted counts."""

    JUMLAH = "jumlah", _("Jumlah laporan")
    BERBOBOT = "berbobot", _("Jumlah berbobot keparahan")


class SignalStatus(models.TextChoices):
    BARU = "baru", _("Baru")
    DIKONFIRMASI = "dikonfirmasi", _("Dikonfirmasi")
    DIABAIKAN = "diabaikan", _("Diabaikan")


class Detector(models.TextChoices):
    SURGE = "surge", _("Lonjakan mingguan (aturan ACLED)")
    CHANGE_LEVEL = "change_level", _("Tingkat perubahan 4 minggu vs 52 minggu (ACLED)")
    EARS_C1 = "ears_c1", _("EARS C1")
    EARS_C2 = "ears_c2", _("EARS C2")
    EARS_C3 = "ears_c3", _("EARS C3")
    FARRINGTON = "farrington", _("Farrington fleksibel (Noufaily 2013)")
    FARRINGTON2W = "farrington2w", _("Farrington fleksibel, jumlah dua minggu")
    NB_CUSUM = "nb_cusum", _("CUSUM binomial negatif (kenaikan bertahan)")
    SCAN = "scan", _("Pindai ruang-waktu Kulldorff (klaster desa)")
    KEMATIAN = "kematian", _("Laporan dengan korban meninggal (aturan ACLED)")
    BORROWED = "borrowed", _("Kekuatan pinjaman (Bayes empiris, wilayah sebanding)")


# Each detector in plain words, for the people who read signals (the list's glossary and the
# detail page's table): what it compares, not how.
DETECTOR_GLOSS: dict[str, Any] = {
    Detector.SURGE: _("Minggu ini jauh lebih banyak laporan daripada rata-rata empat minggu sebelumnya."),
    Detector.CHANGE_LEVEL: _("Empat minggu terakhir jauh di atas rata-rata mingguan setahun sebelumnya."),
    Detector.EARS_C1: _(
        "Minggu ini jauh di atas tujuh minggu sebelumnya: pembanding pendek yang cepat bereaksi."
    ),
    Detector.EARS_C2: _(
        "Seperti C1, tetapi pembandingnya berhenti dua minggu sebelumnya, agar kenaikan yang sedang "
        "berjalan tidak ikut menaikkan pembandingnya sendiri."
    ),
    Detector.EARS_C3: _("Kelebihan menurut C2 yang bertahan tiga minggu berturut-turut."),
    Detector.FARRINGTON: _(
        "Dibandingkan dengan minggu-minggu yang sama pada tahun-tahun sebelumnya, dengan musim dan "
        "tren diperhitungkan; butuh riwayat lebih dari setahun."
    ),
    Detector.FARRINGTON2W: _(
        "Seperti Farrington, atas jumlah dua minggu: menangkap kenaikan yang terbagi dua minggu."
    ),
    Detector.NB_CUSUM: _(
        "Menjumlahkan kelebihan kecil dari minggu ke minggu: kenaikan pelan yang terus-menerus."
    ),
    Detector.SCAN: _(
        "Mencari sekelompok desa yang berdekatan yang bersama-sama mendapat lebih banyak laporan "
        "daripada biasanya dalam hari-hari terakhir."
    ),
    Detector.KEMATIAN: _(
        "Setiap laporan yang menyebut korban meninggal menjadi sinyal, berapa pun jumlah laporannya."
    ),
    Detector.BORROWED: _(
        "Untuk wilayah yang riwayatnya pendek atau jarang berlaporan: dibandingkan dengan "
        "kecamatan lain di kabupaten yang sama."
    ),
}


class SignalQuerySet(models.QuerySet["Signal"]):
    def restrict(self, person: Person, action: str = "view") -> SignalQuerySet:
        """Rule 10 of ``reports/visibility.py``: the TKD's senior roles see the signals of regions
        in their area (view) and review those their TKD decides for (triage)."""
        from waspada.reports.visibility import restricted, signal_condition

        queryset: SignalQuerySet = restricted(self, signal_condition(person, action))
        return queryset

    def visible_to(self, person: Person) -> SignalQuerySet:
        return self.restrict(person, "view")

    def events(self) -> SignalQuerySet:
        """One row per event: the signals no other signal has joined to (``Signal.event``)."""
        return self.filter(event__isnull=True)

    def open(self) -> SignalQuerySet:
        """The events waiting for review (a detection that joined an event is counted in it)."""
        return self.events().filter(status=SignalStatus.BARU)

    def by_priority(self) -> SignalQuerySet:
        """Gravest first: the alert level of its reports, then the excess over the expected
        value, then the longest return period, then the newest."""
        return self.order_by(
            "-level_rank",
            models.F("excess").desc(nulls_last=True),
            models.F("return_days").desc(nulls_last=True),
            "-period_end",
            "-id",
        )


class Signal(models.Model):
    """One detection: a region × isu × period whose count a detector judged unusual.

    Detections of one event form one signal (``grouping.py``): the first one is the event
    (``event`` empty) and every detector that agrees later, on the same series and weeks or on
    the kecamatan's kabupaten or a village scan cluster inside it, joins it (``event`` set, its
    ``members``). Lists, counts, notifications and reviews are per event; reviewing the event
    reviews its members. ``level_rank``, ``excess`` and ``return_days`` are the event's priority
    (``grouping.priority``), kept by the detection run.
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    isu = models.CharField(_("isu"), max_length=32, choices=Isu.choices)
    period = models.CharField(_("periode"), max_length=6, choices=Period.choices, default=Period.MINGGU)
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    detector = models.CharField(_("detektor"), max_length=16, choices=Detector.choices)
    series = models.CharField(_("deret"), max_length=8, choices=SeriesKind.choices, default=SeriesKind.JUMLAH)
    observed = models.FloatField(_("teramati"))
    expected = models.FloatField(_("biasanya"))
    threshold = models.FloatField(_("ambang"))
    p_value = models.FloatField(_("nilai p"), null=True, blank=True)
    recurrence_days = models.FloatField(_("interval kejadian ulang (hari)"), null=True, blank=True)
    details = models.JSONField(_("rincian"), default=dict, blank=True)
    explanation = models.TextField(_("penjelasan"))
    reports = models.ManyToManyField("reports.Report", verbose_name=_("laporan"), related_name="signals")
    status = models.CharField(
        _("status"), max_length=14, choices=SignalStatus.choices, default=SignalStatus.BARU
    )
    review_reason = models.TextField(_("catatan tinjauan"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    event = models.ForeignKey(
        "self",
        verbose_name=_("kejadian"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="members",
    )
    level_rank = models.PositiveSmallIntegerField(_("tingkat tertinggi laporannya"), default=0)
    excess = models.FloatField(_("kelebihan dari biasanya"), null=True, blank=True)
    return_days = models.FloatField(_("periode ulang (hari)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        verbose_name = _("sinyal")
        verbose_name_plural = _("sinyal")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "isu", "period", "period_start", "detector", "series"],
                name="detection_signal_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_detector_display()} {self.region_id} {self.isu} {self.period_end}"

    @property
    def explanation_text(self) -> str:
        """The sentence in the reader's language (``explain.signal_sentence``)."""
        from waspada.detection.explain import signal_sentence

        return signal_sentence(self)

    def detections(self) -> list[Signal]:
        """The event and every detection that joined it, the headline's preference first."""
        from waspada.detection.grouping import by_preference

        return by_preference([self, *self.members.all()], self.region_id)

    def detector_tags(self) -> tuple[list[str], list[str]]:
        """The detectors that agree (each named once, the headline's first) and the other
        regions whose series agree (the kabupaten around a kecamatan, a cluster's village)."""
        tags: list[str] = []
        regions: list[str] = []
        for d in self.detections():
            label = str(d.get_detector_display())
            if d.series == SeriesKind.BERBOBOT:
                label = f"{label} ({d.get_series_display()})"
            if label not in tags:
                tags.append(label)
            if d.region_id != self.region_id and d.region.label not in regions:
                regions.append(d.region.label)
        return tags, regions

    @property
    def gloss(self) -> str:
        """This detection's detector in plain words (``DETECTOR_GLOSS``)."""
        return str(DETECTOR_GLOSS.get(self.detector, ""))

    @property
    def headline(self) -> Signal:
        """The detection whose observed and expected values the event shows (``grouping.py``)."""
        cached: Signal | None = getattr(self, "_headline", None)
        if cached is None:
            cached = self.detections()[0] if self.pk else self
            self._headline = cached
        return cached


class HistoryCount(models.Model):
    """Past verified incidents imported from a CSV (``waspada import_history``): how many of one
    isu at one alert level happened in one region on one day, before the installation.

    Not reports (they have no text, reporter or verification trail here), but counted in the
    series like verified reports of that day, region and level (``series.recompute``), so a new
    installation starts with its history. One row per region, isu, day and level: importing the
    same file again rewrites the same rows (stored once); a later file's row for the same key
    replaces its count."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+"
    )
    isu = models.CharField(_("isu"), max_length=32, choices=Isu.choices)
    day = models.DateField(_("tanggal"))
    alert_level = models.CharField(_("tingkat kewaspadaan"), max_length=10, choices=AlertLevel.choices)
    count = models.PositiveIntegerField(_("jumlah"), default=1)
    source = models.CharField(_("berkas sumber"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("diimpor"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "isu", "day", "alert_level"], name="detection_history_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.isu} {self.day} {self.alert_level}: {self.count}"
