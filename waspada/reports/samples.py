"""Sample reports for the demo: a plausible fortnight in Kabupaten Paser.

Each sample is filed through ``submit_report`` by the persona who would file it, under a
fixed idempotency key, and some are verified into incidents by the Kesbangpol analyst, so the
demo shows every state. Running it again adds nothing: a sample whose key is already used
is skipped. The places are real Paser villages; the events are invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from waspada.people.models import Person
from waspada.reports.actions import ReportInput, submit_report, verify_report
from waspada.reports.models import IdempotencyRecord


@dataclass(frozen=True)
class Sample:
    key: str
    persona: str
    days_ago: float
    region_code: str
    title: str
    what: str
    athg: str
    isu: str
    alert_level: str
    gatra: tuple[str, ...]
    who: str = ""
    cause: str = ""
    latest_condition: str = ""
    interim_handling: str = ""
    people_affected: int = 0
    casualties_dead: int | None = None  # None: not known
    casualties_injured: int | None = None
    casualties_displaced: int | None = None
    classification: str = "biasa"
    informant_name: str = ""
    informant_contact: str = ""
    verify: bool = False


SAMPLES: tuple[Sample, ...] = (
    Sample(
        key="demo-01",
        persona="desa_reporter",
        days_ago=12,
        region_code="64.01.06.2006",
        title="Warga menghadang truk angkutan batu bara di jalan desa",
        what="Sekitar 40 warga Desa Lombok menutup jalan hauling dan menghadang truk perusahaan tambang.",
        athg="gangguan",
        isu="agraria_korporasi",
        alert_level="waspada",
        gatra=("ekonomi", "sumber_kekayaan_alam"),
        who="Warga desa dan perusahaan tambang batu bara",
        cause="Ganti rugi lahan belum dibayar sejak tahun lalu",
        latest_condition="Jalan dibuka kembali sore hari setelah mediasi",
        interim_handling="Kepala desa dan Bhabinkamtibmas menemui warga",
        people_affected=40,
        verify=True,
    ),
    Sample(
        key="demo-02",
        persona="kecamatan_fkdm_chair",
        days_ago=11,
        region_code="64.01.06.2006",
        title="Rencana aksi lanjutan warga terkait ganti rugi lahan",
        what="Beredar ajakan di grup WhatsApp warga untuk menutup jalan hauling lagi pekan depan.",
        athg="ancaman",
        isu="agraria_korporasi",
        alert_level="siaga",
        gatra=("ekonomi", "sosial_budaya"),
        who="Kelompok warga Desa Lombok",
        cause="Belum ada jadwal pembayaran dari perusahaan",
        latest_condition="Situasi tenang, warga menunggu jawaban perusahaan",
        classification="terbatas",
        informant_name="Tokoh pemuda desa",
        informant_contact="0812-5555-0101",
    ),
    Sample(
        key="demo-03",
        persona="fkub_officer",
        days_ago=9,
        region_code="64.01.04",
        title="Penolakan pembangunan rumah ibadah di Tanah Grogot",
        what="Sekelompok warga memasang spanduk penolakan di lokasi rencana pembangunan rumah ibadah.",
        athg="tantangan",
        isu="agama",
        alert_level="waspada",
        gatra=("ideologi", "sosial_budaya"),
        who="Panitia pembangunan dan sekelompok warga",
        cause="Perbedaan pendapat tentang persyaratan izin",
        interim_handling="FKUB mengundang kedua pihak untuk dialog",
        verify=True,
    ),
    Sample(
        key="demo-04",
        persona="bnk_officer",
        days_ago=8,
        region_code="64.01.05.2002",
        title="Dugaan peredaran sabu di sekitar pelabuhan rakyat",
        what="Warga melaporkan transaksi mencurigakan pada malam hari di sekitar dermaga.",
        athg="ancaman",
        isu="narkoba",
        alert_level="waspada",
        gatra=("sosial_budaya", "pertahanan_keamanan"),
        classification="rahasia",
        informant_name="Nelayan setempat",
        informant_contact="0813-4444-0202",
    ),
    Sample(
        key="demo-05",
        persona="desa_reporter",
        days_ago=6,
        region_code="64.01.06.2005",
        title="Sengketa batas kebun antarwarga Semuntai",
        what="Dua keluarga bersitegang soal patok batas kebun sawit; sempat terjadi adu mulut.",
        athg="hambatan",
        isu="agraria_warga",
        alert_level="normal",
        gatra=("sumber_kekayaan_alam",),
        interim_handling="Kepala dusun memediasi",
    ),
    Sample(
        key="demo-06",
        persona="kesbangpol_analyst",
        days_ago=4,
        region_code="64.01.03.2001",
        title="Kabar bohong tentang penculikan anak beredar di media sosial",
        what="Pesan berantai tentang penculikan anak di Lempesu beredar; polsek memastikan tidak benar.",
        athg="gangguan",
        isu="hoaks",
        alert_level="waspada",
        gatra=("sosial_budaya",),
        latest_condition="Klarifikasi polsek sudah disebarkan",
        verify=True,
    ),
    Sample(
        key="demo-07",
        persona="kecamatan_fkdm_chair",
        days_ago=2,
        region_code="64.01.06.2013",
        title="Pekerja asing tanpa dokumen di lokasi perkebunan",
        what="Warga melihat sekitar sepuluh pekerja asing yang belum dilaporkan ke desa.",
        athg="tantangan",
        isu="orang_asing",
        alert_level="waspada",
        gatra=("ekonomi", "pertahanan_keamanan"),
    ),
    Sample(
        key="demo-08",
        persona="desa_reporter",
        days_ago=0.5,
        region_code="64.01.06.2006",
        title="Warga kembali berkumpul di jalan hauling",
        what="Puluhan warga berkumpul di jalan hauling; sebagian membawa kayu untuk menutup jalan.",
        athg="gangguan",
        isu="agraria_korporasi",
        alert_level="siaga",
        gatra=("ekonomi", "sumber_kekayaan_alam"),
        who="Warga Desa Lombok",
        cause="Tenggat pembayaran ganti rugi terlewati",
        latest_condition="Massa masih berkumpul",
        people_affected=60,
    ),
    # Filed yesterday and not yet verified: the death rule makes it a signal at once
    # (detection/deaths.py), with or without a year of history.
    Sample(
        key="demo-09",
        persona="kecamatan_fkdm_chair",
        days_ago=1,
        region_code="64.01.06.2013",
        title="Perkelahian pemuda dua kampung, satu orang meninggal",
        what=(
            "Perkelahian pemuda dua kampung usai acara pesta panen; seorang pemuda meninggal karena luka "
            "tusuk dan dua lainnya dirawat di puskesmas. Keluarga korban berkumpul di balai desa."
        ),
        athg="gangguan",
        isu="kriminalitas",
        alert_level="siaga",
        gatra=("sosial_budaya", "pertahanan_keamanan"),
        who="Pemuda dua kampung yang bertetangga",
        latest_condition="Polsek berjaga di balai desa; keluarga korban menuntut pelaku ditangkap",
        casualties_dead=1,
        casualties_injured=2,
    ),
)


def ensure_sample_reports(
    people: dict[str, Person], samples: tuple[Sample, ...] = SAMPLES, verifier: str = "kesbangpol_analyst"
) -> int:
    """File the samples not yet filed; returns how many were added. ``people`` maps persona keys;
    ``verifier`` is the persona (a TKD analyst of the samples' regency) who verifies them."""
    analyst = people[verifier]
    added = 0
    for sample in samples:
        reporter = people[sample.persona]
        if IdempotencyRecord.objects.filter(person_id=reporter.pk, key=sample.key).exists():
            continue
        membership = reporter.current_memberships().first()
        result = submit_report(
            reporter=reporter,
            data=ReportInput(
                title=sample.title,
                what=sample.what,
                athg=sample.athg,
                isu=sample.isu,
                alert_level=sample.alert_level,
                region_code=sample.region_code,
                occurred_at=timezone.now() - timedelta(days=sample.days_ago),
                gatra=list(sample.gatra),
                who=sample.who,
                cause=sample.cause,
                latest_condition=sample.latest_condition,
                interim_handling=sample.interim_handling,
                people_affected=sample.people_affected,
                casualties_dead=sample.casualties_dead,
                casualties_injured=sample.casualties_injured,
                casualties_displaced=sample.casualties_displaced,
                classification=sample.classification,
                reporter_forum_code=membership.forum.code if membership else None,
                informant_name=sample.informant_name,
                informant_contact=sample.informant_contact,
            ),
            idempotency_key=sample.key,
            channel="web",
        )
        added += int(result.created)
        if sample.verify and result.created:
            verify_report(report=result.report, by=analyst)
    return added
