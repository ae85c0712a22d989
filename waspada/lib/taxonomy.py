"""The report taxonomy of ../shared/docs/domain.md: jenis, ATHG, gatra, isu, alert level, source grading.

The vocabulary every layer speaks (notify ranks events by alert level and classification, below
the reports app), so it lives in lib, with no models.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Jenis(models.TextChoices):
    INSIDENTIL = "insidentil", _("Insidentil")
    BERKALA = "berkala", _("Berkala")
    KHUSUS = "khusus", _("Khusus")


class Athg(models.TextChoices):
    ANCAMAN = "ancaman", _("Ancaman")
    TANTANGAN = "tantangan", _("Tantangan")
    HAMBATAN = "hambatan", _("Hambatan")
    GANGGUAN = "gangguan", _("Gangguan")
    INFORMASI = "informasi", _("Informasi")


class Gatra(models.TextChoices):
    GEOGRAFI = "geografi", _("Geografi")
    DEMOGRAFI = "demografi", _("Demografi")
    SUMBER_KEKAYAAN_ALAM = "sumber_kekayaan_alam", _("Sumber kekayaan alam")
    IDEOLOGI = "ideologi", _("Ideologi")
    POLITIK = "politik", _("Politik")
    EKONOMI = "ekonomi", _("Ekonomi")
    SOSIAL_BUDAYA = "sosial_budaya", _("Sosial budaya")
    PERTAHANAN_KEAMANAN = "pertahanan_keamanan", _("Pertahanan keamanan")


class Isu(models.TextChoices):
    SARA_ETNIS = "sara_etnis", _("SARA / antaretnis")
    AGAMA = "agama", _("Agama, rumah ibadah")
    AGRARIA_KORPORASI = "agraria_korporasi", _("Agraria: warga dan perusahaan")
    AGRARIA_WARGA = "agraria_warga", _("Agraria: antarwarga atau antardesa")
    BATAS_WILAYAH = "batas_wilayah", _("Batas wilayah")
    POLITIK_PEMILU = "politik_pemilu", _("Politik dan pemilu")
    ORMAS_KELOMPOK = "ormas_kelompok", _("Ormas dan kelompok")
    RADIKALISME = "radikalisme", _("Radikalisme")
    ORANG_ASING = "orang_asing", _("Orang asing")
    NARKOBA = "narkoba", _("Narkoba")
    KRIMINALITAS = "kriminalitas", _("Kriminalitas")
    EKONOMI_BURUH = "ekonomi_buruh", _("Ekonomi dan buruh")
    INFRASTRUKTUR_LOGISTIK = "infrastruktur_logistik", _("Infrastruktur dan logistik")
    BENCANA = "bencana", _("Bencana")
    LINGKUNGAN = "lingkungan", _("Lingkungan")
    HOAKS = "hoaks", _("Hoaks dan provokasi")
    PEMERINTAHAN_DESA = "pemerintahan_desa", _("Pemerintahan desa")
    LAINNYA = "lainnya", _("Lainnya")


class AlertLevel(models.TextChoices):
    """Tingkat kewaspadaan. Never "Status Keadaan Konflik": only the regent may declare that."""

    NORMAL = "normal", _("Normal")
    WASPADA = "waspada", _("Waspada")
    SIAGA = "siaga", _("Siaga")
    AWAS = "awas", _("Awas")


ALERT_RANK: dict[str, int] = {
    AlertLevel.NORMAL: 0,
    AlertLevel.WASPADA: 1,
    AlertLevel.SIAGA: 2,
    AlertLevel.AWAS: 3,
}


def highest_level(levels: list[str]) -> str:
    return max(levels, key=lambda level: ALERT_RANK[level], default=AlertLevel.NORMAL)


class SourceReliability(models.TextChoices):
    """Admiralty grading of the source."""

    A = "A", _("A — sepenuhnya andal")
    B = "B", _("B — biasanya andal")
    C = "C", _("C — cukup andal")
    D = "D", _("D — biasanya tidak andal")
    E = "E", _("E — tidak andal")
    F = "F", _("F — keandalan tidak dapat dinilai")


class InfoCredibility(models.TextChoices):
    """Admiralty grading of the information itself."""

    C1 = "1", _("1 — dikonfirmasi sumber lain")
    C2 = "2", _("2 — kemungkinan benar")
    C3 = "3", _("3 — mungkin benar")
    C4 = "4", _("4 — diragukan")
    C5 = "5", _("5 — tidak mungkin benar")
    C6 = "6", _("6 — kebenaran tidak dapat dinilai")


class Classification(models.TextChoices):
    BIASA = "biasa", _("Biasa")
    TERBATAS = "terbatas", _("Terbatas")
    RAHASIA = "rahasia", _("Rahasia")
