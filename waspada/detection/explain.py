"""One sentence a regent understands, for every signal: written in Indonesian when the signal is
stored (``Signal.explanation``) and said again in another reader's language from the signal's own
numbers (``signal_sentence``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from waspada.regions.models import Level, Region
from waspada.reports.taxonomy import Isu

if TYPE_CHECKING:
    from waspada.detection.models import Signal

# How each isu reads inside a sentence ("Laporan sengketa lahan antarwarga di …").
ISU_PHRASE: dict[str, Promise] = {
    "sara_etnis": gettext_lazy("gesekan SARA/antaretnis"),
    "agama": gettext_lazy("ketegangan agama dan rumah ibadah"),
    "agraria_korporasi": gettext_lazy("sengketa lahan warga dengan perusahaan"),
    "agraria_warga": gettext_lazy("sengketa lahan antarwarga"),
    "batas_wilayah": gettext_lazy("sengketa batas wilayah"),
    "politik_pemilu": gettext_lazy("politik dan pemilu"),
    "ormas_kelompok": gettext_lazy("ormas dan kelompok"),
    "radikalisme": gettext_lazy("radikalisme"),
    "orang_asing": gettext_lazy("orang asing"),
    "narkoba": gettext_lazy("narkoba"),
    "kriminalitas": gettext_lazy("kriminalitas"),
    "ekonomi_buruh": gettext_lazy("ekonomi dan buruh"),
    "infrastruktur_logistik": gettext_lazy("gangguan infrastruktur dan logistik"),
    "bencana": gettext_lazy("bencana"),
    "lingkungan": gettext_lazy("lingkungan"),
    "hoaks": gettext_lazy("hoaks dan provokasi"),
    "pemerintahan_desa": gettext_lazy("sengketa pemerintahan desa"),
    "lainnya": gettext_lazy("lainnya"),
}


def isu_phrase(isu: str) -> str:
    phrase = ISU_PHRASE.get(isu)
    return str(phrase) if phrase is not None else str(Isu(isu).label).lower()


def place(region: Region) -> str:
    """ "Kec. Long Ikis", "Desa Lombok", "Kab. Paser": the short forms officials write."""
    if region.level == Level.KECAMATAN:
        return f"Kec. {region.name}"
    if region.level == Level.KABUPATEN:
        return region.name if region.name.lower().startswith(("kab", "kota")) else f"Kab. {region.name}"
    return region.label


def number(value: float) -> str:
    if abs(value - round(value)) < 0.05:
        return str(round(value))
    written = f"{value:.1f}"
    # A decimal comma in Indonesian (and when no language is active), a point in English.
    return written if (get_language() or "id").startswith("en") else written.replace(".", ",")


def usual(value: float) -> str:
    """The usual count in words a regent reads at a glance: whole numbers, "kurang dari 1"."""
    if value >= 1:
        return str(round(value))
    if value > 0:
        return _("kurang dari 1")
    return "0"


def how_often(recurrence_days: float | None) -> str:
    """'sekali dalam 4 tahun' from a recurrence interval in days."""
    if recurrence_days is None:
        return ""
    if recurrence_days >= 365 * 100:
        return _("lebih jarang dari sekali dalam 100 tahun")
    if recurrence_days >= 365:
        return _("sekali dalam %(n)s tahun") % {"n": number(round(recurrence_days / 365.25))}
    if recurrence_days >= 60:
        return _("sekali dalam %(n)s bulan") % {"n": number(round(recurrence_days / 30.44))}
    if recurrence_days >= 14:
        return _("sekali dalam %(n)s minggu") % {"n": number(round(recurrence_days / 7))}
    return _("sekali dalam %(n)s hari") % {"n": number(round(recurrence_days))}


def _chance(recurrence_days: float | None, threshold: float) -> str:
    often = how_often(recurrence_days)
    if often:
        return _("kejadian sebesar ini secara kebetulan diperkirakan %(often)s.") % {"often": often}
    return _("di atas ambang %(threshold)s.") % {"threshold": number(threshold)}


def weekly_sentence(
    *,
    region: Region,
    isu: str,
    detector: str,
    observed: float,
    expected: float,
    threshold: float,
    recurrence_days: float | None,
    weeks: int = 1,
    reports: int | None = None,
) -> str:
    """``reports`` is given for a signal on the severity-weighted series: the sentence then says
    it is a weight and how many reports make it up."""
    if reports is not None:
        return _(
            "Bobot keparahan laporan %(isu)s di %(place)s minggu ini %(observed)s (%(reports)s laporan), "
            "biasanya %(expected)s; %(chance)s"
        ) % {
            "isu": isu_phrase(isu),
            "place": place(region),
            "observed": number(observed),
            "reports": reports,
            "expected": usual(expected),
            "chance": _chance(None, threshold),
        }
    subject = _("Laporan %(isu)s di %(place)s") % {"isu": isu_phrase(isu), "place": place(region)}
    if detector == "change_level":
        when = _("empat minggu terakhir")
    elif weeks > 1:
        when = _("%(n)s minggu terakhir") % {"n": weeks}
    else:
        when = _("minggu ini")
    return _("%(subject)s %(when)s %(observed)s, biasanya %(expected)s; %(chance)s") % {
        "subject": subject,
        "when": when,
        "observed": number(observed),
        "expected": usual(expected),
        "chance": _chance(recurrence_days, threshold),
    }


def cluster_sentence(
    *,
    centre: Region,
    isu: str,
    villages: int,
    radius_km: float,
    days: int,
    observed: float,
    expected: float,
    recurrence_days: float,
) -> str:
    if villages > 1:
        where = _("%(n)s desa dalam radius %(km)s km dari %(centre)s") % {
            "n": villages,
            "km": number(radius_km),
            "centre": centre.label,
        }
    else:
        where = centre.label
    return _(
        "Laporan %(isu)s di %(where)s dalam %(days)s hari terakhir %(observed)s, biasanya %(expected)s; "
        "pengelompokan sebesar ini secara kebetulan diperkirakan %(often)s."
    ) % {
        "isu": isu_phrase(isu),
        "where": where,
        "days": days,
        "observed": number(observed),
        "expected": usual(expected),
        "often": how_often(recurrence_days),
    }


def death_sentence(*, region: Region, isu: str, day: date, dead: int, reports: int, verified: int) -> str:
    """The sentence of a signal raised by the death rule (``deaths.py``): what the reports say,
    whether they are verified yet, and the rule itself, so nobody reads it as a statistic."""
    state = ngettext("%(n)s laporan", "%(n)s laporan", reports) % {"n": reports}
    if verified == 0:
        state += ", " + _("belum diverifikasi")
    elif verified == reports:
        state += ", " + _("sudah diverifikasi")
    else:
        state += ", " + _("%(n)s sudah diverifikasi") % {"n": verified}
    return _(
        "Laporan %(isu)s di %(place)s pada %(day)s menyebut %(dead)s orang meninggal (%(state)s). "
        "Aturan: setiap laporan dengan korban meninggal langsung menjadi sinyal, tanpa menunggu "
        "hitungan mingguan (seperti ACLED, yang mencatat setiap kejadian dengan korban jiwa)."
    ) % {
        "isu": isu_phrase(isu),
        "place": place(region),
        "day": date_format(day, "j F Y"),
        "dead": dead,
        "state": state,
    }


def _speaks_indonesian() -> bool:
    return (get_language() or "id").startswith("id")


def signal_sentence(signal: Signal) -> str:
    """The signal's sentence in the active language: the stored Indonesian one as written, else
    said again from the signal's numbers; the stored one where a number it needs was not kept."""
    if _speaks_indonesian():
        return signal.explanation
    details = signal.details or {}
    if signal.detector == "kematian":
        if not all(isinstance(details.get(k), int) for k in ("dead", "reports", "verified")):
            return signal.explanation
        return death_sentence(
            region=signal.region,
            isu=signal.isu,
            day=signal.period_start,
            dead=int(details["dead"]),
            reports=int(details["reports"]),
            verified=int(details["verified"]),
        )
    if signal.detector == "scan":
        villages = details.get("villages")
        radius = details.get("radius_km")
        if not isinstance(villages, list) or radius is None or signal.recurrence_days is None:
            return signal.explanation
        return cluster_sentence(
            centre=signal.region,
            isu=signal.isu,
            villages=len(villages),
            radius_km=float(radius),
            days=(signal.period_end - signal.period_start).days + 1,
            observed=signal.observed,
            expected=signal.expected,
            recurrence_days=signal.recurrence_days,
        )
    weighted = signal.series == "berbobot"
    if weighted and details.get("reports") is None:
        return signal.explanation
    return weekly_sentence(
        region=signal.region,
        isu=signal.isu,
        detector=signal.detector,
        observed=signal.observed,
        expected=signal.expected,
        threshold=signal.threshold,
        recurrence_days=signal.recurrence_days,
        weeks=int(details.get("weeks") or 1),
        reports=int(details["reports"]) if weighted else None,
    )
