"""From when each detector can alarm, and why not yet: what ``/deteksi/`` tells a new installation.

Every kecamatan and kabupaten series is observed from ``series.observed_from()`` (the
installation's first day, or the earliest imported history): its **known weeks** are the weeks
from that day's week to the current one. Each weekly detector needs a number of known weeks
before it can judge a week (the figures below are the detectors' own minimums, as
``engine.weekly_alarms`` applies them); the death rule and the scan need none. Borrowed strength
needs ``engine.BORROWED_MIN_WEEKS`` reference weeks before the current one, and something to
borrow: a report of the isu in the kabupaten (or the province's watched kabupaten) in those
weeks. Because known zeros start every series at the same week, readiness is the same for
every region × isu, except for borrowed strength, which also depends on the isu's history in
the region's group: ``borrowing_isus`` lists the isu it can judge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waspada.detection import engine
from waspada.detection.models import HistoryCount
from waspada.detection.series import observed_from, week_start
from waspada.reports.models import Report, ReportStatus
from waspada.reports.taxonomy import Isu

# Known weeks (the current week included) each detector needs before it can alarm.
NEEDS: tuple[tuple[str, int, object], ...] = (
    ("kematian", 0, gettext_lazy("satu laporan yang menyebut korban meninggal (terverifikasi atau belum)")),
    ("scan", 0, gettext_lazy("3 laporan satu isu di satu kabupaten dalam 14 hari, dengan titik desa")),
    (
        "borrowed",
        engine.BORROWED_MIN_WEEKS + 1,
        gettext_lazy(
            "%(weeks)s minggu teramati sebelum minggu ini dan laporan isu yang sama di wilayah sebanding "
            "(kecamatan lain sekabupaten)"
        ),
    ),
    ("ears_c1", 15, gettext_lazy("15 minggu teramati")),
    ("ears_c2", 15, gettext_lazy("15 minggu teramati")),
    ("ears_c3", 15, gettext_lazy("15 minggu teramati")),
    ("surge", 15, gettext_lazy("15 minggu teramati dan rata-rata 4 minggu sebelumnya ≥ 1 laporan")),
    ("change_level", 56, gettext_lazy("56 minggu teramati (4 minggu terakhir dibanding 52 sebelumnya)")),
    ("nb_cusum", 57, gettext_lazy("57 minggu teramati (52 minggu rata-rata, 4 minggu jeda)")),
    (
        "farrington",
        engine.FARRINGTON_KNOWN_WEEKS,
        gettext_lazy("79 minggu teramati (52 minggu acuan yang berakhir 27 minggu lalu)"),
    ),
    ("farrington2w", engine.FARRINGTON_KNOWN_WEEKS, gettext_lazy("79 minggu teramati, seperti Farrington")),
)


@dataclass(frozen=True)
class DetectorReadiness:
    detector: str
    label: str
    needs_weeks: int
    needs: str
    ready_from: date | None  # the Monday of the first week it can alarm; None: nothing observed yet
    ready: bool


@dataclass(frozen=True)
class Readiness:
    today: date
    observed_from: date | None
    known_weeks: int
    detectors: list[DetectorReadiness]
    borrowing_isus: list[str]  # isu labels borrowed strength can judge this week

    @property
    def full_from(self) -> date | None:
        """The first day every detector can alarm."""
        days = [d.ready_from for d in self.detectors]
        return None if None in days else max(d for d in days if d is not None)

    @property
    def complete(self) -> bool:
        return all(d.ready for d in self.detectors)

    @property
    def ready_now(self) -> list[DetectorReadiness]:
        return [d for d in self.detectors if d.ready]

    def sentence(self) -> str:
        """One sentence for the top of ``/deteksi/``."""
        if self.complete:
            return _(
                "Semua detektor dapat memberi sinyal: deret teramati sejak %(start)s (%(weeks)s minggu)."
            ) % {
                "start": _day(self.observed_from),
                "weeks": self.known_weeks,
            }
        now = ", ".join(d.label for d in self.ready_now)
        if self.observed_from is None:
            return _(
                "Belum ada yang teramati: deteksi statistik mulai setelah instalasi dipakai atau riwayat "
                "diimpor; sampai saat itu hanya aturan kematian dan pindai ruang-waktu yang dapat memberi "
                "sinyal."
            )
        return _(
            "Deteksi statistik penuh mulai %(full)s (deret teramati sejak %(start)s, baru %(weeks)s minggu); "
            "sampai saat itu yang dapat memberi sinyal: %(now)s."
        ) % {
            "full": _day(self.full_from),
            "start": _day(self.observed_from),
            "weeks": self.known_weeks,
            "now": now,
        }


def _day(day: date | None) -> str:
    from django.utils.formats import date_format

    return date_format(day, "j M Y") if day else "—"


def _label(detector: str) -> str:
    from waspada.detection.models import Detector

    return str(Detector(detector).label)


def readiness(today: date | None = None) -> Readiness:
    """Readiness of every detector for the week containing ``today`` (WITA)."""
    today = today or timezone.localdate()
    current = week_start(today)
    start = observed_from()
    first = week_start(start) if start is not None else None
    known = (current - first).days // 7 + 1 if first is not None and first <= current else 0
    detectors: list[DetectorReadiness] = []
    for name, weeks, needs in NEEDS:
        if weeks == 0:
            ready_from: date | None = first or current
        else:
            ready_from = first + timedelta(weeks=weeks - 1) if first is not None else None
        detectors.append(
            DetectorReadiness(
                detector=name,
                label=_label(name),
                needs_weeks=weeks,
                needs=str(needs) % {"weeks": engine.BORROWED_MIN_WEEKS},
                ready_from=ready_from,
                ready=weeks == 0 or known >= weeks,
            )
        )
    return Readiness(today, start, known, detectors, borrowing_isus(current, known))


def borrowing_isus(current: date, known: int) -> list[str]:
    """The isu that borrowed strength can judge this week: with a verified report (or imported
    history) in its reference weeks (``engine.borrowed_reference_weeks``). Read from the reports
    and the history, not the buckets, which the next run brings up to date first."""
    weeks = engine.borrowed_reference_weeks(known)
    if weeks == 0:
        return []
    first = current - timedelta(weeks=weeks)
    tz = timezone.get_current_timezone()
    found = set(
        Report.objects.filter(
            status=ReportStatus.TERVERIFIKASI,
            occurred_at__gte=datetime.combine(first, time.min, tzinfo=tz),
            occurred_at__lt=datetime.combine(current, time.min, tzinfo=tz),
        )
        .values_list("isu", flat=True)
        .distinct()
    )
    found |= set(
        HistoryCount.objects.filter(day__gte=first, day__lt=current).values_list("isu", flat=True).distinct()
    )
    return [str(label) for value, label in Isu.choices if value in found]
