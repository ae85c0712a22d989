"""Each isu of the taxonomy under one of the five social gatra (panca gatra) a Lapsit sets out
its facts by: written once, here, and read by the Lapsit (``render.render_situation``) and its
test. The astagatra's three natural gatra (geografi, demografi, sumber kekayaan alam) are not
sections of a Lapsit: a land dispute is reported under ekonomi, a disaster under hankam.
"""

from __future__ import annotations

from waspada.reports.taxonomy import Gatra, Isu

LAPSIT_GATRA: tuple[str, ...] = (
    Gatra.IDEOLOGI,
    Gatra.POLITIK,
    Gatra.EKONOMI,
    Gatra.SOSIAL_BUDAYA,
    Gatra.PERTAHANAN_KEAMANAN,
)

ISU_GATRA: dict[str, str] = {
    Isu.RADIKALISME: Gatra.IDEOLOGI,
    Isu.ORMAS_KELOMPOK: Gatra.IDEOLOGI,
    Isu.POLITIK_PEMILU: Gatra.POLITIK,
    Isu.PEMERINTAHAN_DESA: Gatra.POLITIK,
    Isu.BATAS_WILAYAH: Gatra.POLITIK,
    Isu.AGRARIA_KORPORASI: Gatra.EKONOMI,
    Isu.AGRARIA_WARGA: Gatra.EKONOMI,
    Isu.EKONOMI_BURUH: Gatra.EKONOMI,
    Isu.INFRASTRUKTUR_LOGISTIK: Gatra.EKONOMI,
    Isu.SARA_ETNIS: Gatra.SOSIAL_BUDAYA,
    Isu.AGAMA: Gatra.SOSIAL_BUDAYA,
    Isu.HOAKS: Gatra.SOSIAL_BUDAYA,
    Isu.LINGKUNGAN: Gatra.SOSIAL_BUDAYA,
    Isu.NARKOBA: Gatra.PERTAHANAN_KEAMANAN,
    Isu.KRIMINALITAS: Gatra.PERTAHANAN_KEAMANAN,
    Isu.ORANG_ASING: Gatra.PERTAHANAN_KEAMANAN,
    Isu.BENCANA: Gatra.PERTAHANAN_KEAMANAN,
    Isu.LAINNYA: Gatra.SOSIAL_BUDAYA,
}


def gatra_of(isu: str) -> str:
    return ISU_GATRA.get(isu, Gatra.SOSIAL_BUDAYA)
