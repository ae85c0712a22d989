"""The starting lexicon: words that signal each isu, and words that raise urgency.

Each isu's words become one short training document for the classifiers, beside the written
training texts of ``data/train.jsonl``, so a new installation is useful on day one. Analysts'
verified and corrected reports (``waspada triage train``) then outweigh them.
"""

from __future__ import annotations

ISU_WORDS: dict[str, str] = {
    "sara_etnis": ("suku etnis antaretnis pendatang warga lokal adat paguyuban serang balas dendam sweeping"),
    "agama": ("agama rumah ibadah masjid gereja pura vihara jemaat kebaktian pengajian ceramah umat fkub"),
    "agraria_korporasi": (
        "perusahaan sawit plasma hgu tambang batubara hauling lahan ganti rugi tali asih portal"
    ),
    "agraria_warga": (
        "sengketa tanah lahan kebun batas kebun patok sertifikat warisan penyerobotan antarwarga"
    ),
    "batas_wilayah": (
        "batas desa tapal batas patok batas penegasan batas wilayah perbatasan peta desa gapura"
    ),
    "politik_pemilu": (
        "pemilu pilkada pileg kpu bawaslu tps kampanye caleg paslon politik uang suara baliho"
    ),
    "ormas_kelompok": ("ormas lsm geng motor kelompok pemuda preman uang keamanan jatah proyek parkir posko"),
    "radikalisme": ("radikal jihad khilafah thogut teror napiter kafir anti pancasila kajian tertutup"),
    "orang_asing": ("asing tka wna bule imigrasi visa paspor warga negara asing kapal asing pekerja asing"),
    "narkoba": (
        "narkoba narkotika sabu shabu ganja ekstasi pil koplo obat terlarang bandar kurir ngelem bnk"
    ),
    "kriminalitas": ("pencurian maling begal curi pembunuhan judi keroyok rampok tusuk ternak"),
    "ekonomi_buruh": ("buruh phk upah gaji mogok harga mahal pedagang petani pekerja lokal serikat"),
    "infrastruktur_logistik": (
        "jalan rusak amblas jembatan putus bbm solar spbu listrik padam pln air pdam logistik"
    ),
    "bencana": ("banjir longsor kebakaran karhutla puting beliung gempa mengungsi pengungsi bpbd terisolir"),
    "lingkungan": ("limbah tercemar pencemaran ikan mati lubang tambang merkuri pembalakan sampah dlh"),
    "hoaks": ("hoaks hoax kabar bohong berita palsu pesan berantai provokasi video lama editan akun palsu"),
    "pemerintahan_desa": (
        "kepala desa kades dana desa blt bpd pilkades perangkat desa kantor desa musrenbang aset desa"
    ),
    "none": (
        "rapat undangan jadwal terima kasih selamat mohon izin link zoom password tes siap lancar "
        "meriah tertib kondusif festival lomba turnamen pelatihan sosialisasi posyandu panen"
    ),
}

# Words that signal each ATHG class, from the four kinds of Permendagri 2/2018 (docs/domain.md):
# ancaman, a deliberate threat to people's safety (violence threatened, planned or armed);
# gangguan, a disturbance of order that has already happened (damage, theft, riot, pollution);
# hambatan, something obstructing services, supply or government (cut roads, shortages, delays);
# tantangan, a problem that asks for a response but disturbs nothing yet (complaints, demands).
ATHG_WORDS: dict[str, str] = {
    "ancaman": (
        "ancam serang serbu bentrok senjata sajam parang mandau teror jihad balas mencekam ultimatum "
        "usir paksa intimidasi tawuran siap perang angkat senjata bom rakitan menyerang membalas"
    ),
    "gangguan": (
        "dirusak merusak rusak dibakar dicuri pencurian hilang luka ricuh keributan dibobol korban "
        "diamankan mengamuk dibubarkan dicabut beredar tercemar merendam mati ditebang dilempari"
    ),
    "hambatan": (
        "terhambat tertahan putus amblas antre antrean padam terisolir menumpuk tertunda molor "
        "mangkrak macet terhenti berhenti kosong langka tutup longsor tersendat dirumahkan"
    ),
    "tantangan": (
        "protes tuntut tuntutan keluhan mengeluh sengketa musyawarah sepakat minta meminta resah "
        "mempertanyakan keberatan khawatir rencana audiensi dialog mediasi aspirasi naik dipantau"
    ),
}

# Words that signal each alert level (awas: violence happening or imminent).
LEVEL_WORDS: dict[str, str] = {
    "awas": "tewas meninggal pembunuhan korban jiwa mencekam tertimbun saling serang mengungsi",
    "siaga": "ratusan massa bentrok bakar sajam senjata parang memanas sweeping terprovokasi",
    "waspada": "resah protes ancam rencana demo dirusak hilang marak meningkat",
    "normal": "musyawarah keluhan mengeluh sosialisasi dijadwalkan pantau belum ada mediasi",
}

# Words that make a report more urgent than its class alone suggests.
URGENT_WORDS = (
    "sedang",
    "masih",
    "sekarang",
    "segera",
    "malam ini",
    "hari ini",
    "mencekam",
    "bentrok",
    "serang",
    "luka",
    "tewas",
    "meninggal",
    "korban",
    "mengungsi",
    "bakar",
    "sajam",
    "senjata",
    "parang",
)

# The gatra an isu touches first (docs/domain.md: a report touches one or more of the eight).
ISU_GATRA: dict[str, list[str]] = {
    "sara_etnis": ["sosial_budaya", "demografi"],
    "agama": ["ideologi", "sosial_budaya"],
    "agraria_korporasi": ["sumber_kekayaan_alam", "ekonomi"],
    "agraria_warga": ["geografi", "sosial_budaya"],
    "batas_wilayah": ["geografi", "politik"],
    "politik_pemilu": ["politik"],
    "ormas_kelompok": ["pertahanan_keamanan", "sosial_budaya"],
    "radikalisme": ["ideologi", "pertahanan_keamanan"],
    "orang_asing": ["pertahanan_keamanan", "demografi"],
    "narkoba": ["pertahanan_keamanan", "sosial_budaya"],
    "kriminalitas": ["pertahanan_keamanan"],
    "ekonomi_buruh": ["ekonomi"],
    "infrastruktur_logistik": ["ekonomi", "geografi"],
    "bencana": ["geografi", "sosial_budaya"],
    "lingkungan": ["sumber_kekayaan_alam", "geografi"],
    "hoaks": ["sosial_budaya", "politik"],
    "pemerintahan_desa": ["politik", "sosial_budaya"],
    "lainnya": ["sosial_budaya"],
}

# The ATHG class most reports of an isu take; a prior added to the ATHG classifier's confidence.
ISU_ATHG: dict[str, str] = {
    "sara_etnis": "ancaman",
    "agama": "gangguan",
    "agraria_korporasi": "tantangan",
    "agraria_warga": "gangguan",
    "batas_wilayah": "tantangan",
    "politik_pemilu": "gangguan",
    "ormas_kelompok": "gangguan",
    "radikalisme": "ancaman",
    "orang_asing": "tantangan",
    "narkoba": "gangguan",
    "kriminalitas": "gangguan",
    "ekonomi_buruh": "tantangan",
    "infrastruktur_logistik": "hambatan",
    "bencana": "gangguan",
    "lingkungan": "gangguan",
    "hoaks": "gangguan",
    "pemerintahan_desa": "tantangan",
    "lainnya": "informasi",
}
ISU_ATHG_WEIGHT = 0.3  # chosen by 4-fold cross-validation on train.jsonl (0.0-0.6 tried)
