"""Synthetic reports for the situation benchmark: many, fast, and shaped like real ones.

- **Where**: every village of Indonesia can get reports, but they concentrate: each kabupaten/kota
  gets a weight drawn from a heavy-tailed (Pareto) distribution, so a few dozen regencies hold most
  reports and many hold almost none; ``paser_share`` of all reports are in Kabupaten Paser (the
  home region), again concentrated on some of its villages, and ``province_share`` more in the
  home province's other regencies (Kalimantan Timur's nine others), spread over them by the same
  heavy-tailed weights (0 by default: then the province gets only what its regencies' weights
  give it among the whole country's).
- **When**: ``history_days`` of history (default two years), denser towards today (use grows), with
  a few week-long bursts per regency.
- **What**: a title and a narrative of 25 to 60 words drawn from an Indonesian vocabulary: common
  function words by a Zipf law (as in any Indonesian text), words of the report's own isu, and
  place words. So a full-text search for "hauling warga" is selective the way it is on real
  narratives (a few percent of reports), not half of everything as with a 13-word vocabulary.
- **Order**: rows are inserted oldest first, as reports arrive, so the table's physical order
  follows time as in a real installation (a random order would make every period scan touch
  every page).
- **How**: PostgreSQL ``COPY`` (rows streamed, with the secondary indexes dropped during the load
  and built again after), then the reports rollup recounted in one ``INSERT … SELECT … GROUP BY``
  (``reports/rollups.py: rebuild``: ``COPY`` bypasses the model); SQLite falls back to
  ``bulk_create``, which counts its rows in the rollup itself.
"""

from __future__ import annotations

import random
import time
import uuid
from bisect import bisect
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

# Indonesian function and very common words, most frequent first (Zipf ranks).
COMMON = """yang dan di ke dari ini itu dengan untuk pada tidak akan ada juga oleh karena sudah dalam
telah saat masih bisa agar serta atau para tersebut kami mereka kemarin tadi pagi siang sore malam
hari sekitar pukul setelah sebelum namun hingga sampai lebih banyak beberapa sejumlah orang pihak
warga desa kampung dusun rt rw jalan lokasi kejadian informasi diketahui menurut sumber terjadi
kondisi sementara aman kondusif terkendali situasi berkembang lanjut dilaporkan laporan
""".split()

ISU_WORDS: dict[str, list[str]] = {
    "agraria_korporasi": """perusahaan lahan sawit plasma kebun hgu tambang batubara hauling jalan
        koridor truk debu ganti rugi tuntutan karyawan blokade portal sengketa patok konsesi hutan
        adat kompensasi csr demo unjuk rasa mediasi humas kontraktor alat berat ekskavator""".split(),
    "agraria_warga": """lahan batas sengketa tanah kebun sertifikat ahli waris patok saling klaim
        antardesa warisan garapan ladang pagar cekcok musyawarah kepala desa adat""".split(),
    "sara_etnis": """suku etnis pendatang penduduk asli adat kelompok pemuda bentrok perkelahian
        ejekan provokasi keributan pesta miras tokoh adat perdamaian""".split(),
    "agama": """rumah ibadah masjid gereja musala pura vihara izin pendirian penolakan jemaah
        pengajian khotbah ceramah tokoh agama fkub penodaan""".split(),
    "batas_wilayah": """batas wilayah tapal kabupaten kecamatan desa peta sengketa klaim tugu patok
        pemekaran administrasi""".split(),
    "politik_pemilu": """pilkades pilkada pemilu kampanye calon tim sukses baliho politik uang
        suara tps sengketa hasil pendukung massa""".split(),
    "ormas_kelompok": """ormas kelompok massa atribut sweeping pengerahan anggota bentrok posko
        iuran pungutan""".split(),
    "radikalisme": """kelompok paham ajaran kajian tertutup simpatisan propaganda media sosial
        perekrutan""".split(),
    "orang_asing": """tka pekerja asing visa izin tinggal imigrasi warga negara asing proyek smelter
        mess""".split(),
    "narkoba": """sabu narkoba pengedar pemakai penangkapan paket barang bukti bnn razia""".split(),
    "kriminalitas": """pencurian perampokan penganiayaan senjata tajam parang begal motor
        pembakaran rumah korban luka pelaku kabur polsek polisi""".split(),
    "ekonomi_buruh": """buruh upah phk pesangon mogok kerja serikat pekerja shift gaji tunggakan
        harga bbm antrean solar sembako""".split(),
    "infrastruktur_logistik": """jalan rusak jembatan putus longsor listrik padam air bersih
        distribusi bbm antrean truk logistik""".split(),
    "bencana": """banjir longsor kebakaran hutan lahan asap angin puting beliung rob gempa
        pengungsi posko bantuan logistik bpbd air surut""".split(),
    "hoaks": """hoaks berita bohong media sosial grup whatsapp pesan berantai video viral
        provokasi klarifikasi""".split(),
}
ISU_WEIGHTS = {
    "agraria_korporasi": 14,
    "agraria_warga": 10,
    "kriminalitas": 16,
    "narkoba": 9,
    "bencana": 12,
    "sara_etnis": 5,
    "agama": 4,
    "batas_wilayah": 4,
    "politik_pemilu": 6,
    "ormas_kelompok": 4,
    "radikalisme": 1,
    "orang_asing": 2,
    "ekonomi_buruh": 7,
    "infrastruktur_logistik": 6,
    "hoaks": 3,
}
LEVEL_WEIGHTS = {"normal": 55, "waspada": 30, "siaga": 12, "awas": 3}
CLASS_WEIGHTS = {"biasa": 90, "terbatas": 8, "rahasia": 2}
STATUS_WEIGHTS = {"baru": 40, "terverifikasi": 45, "ditolak": 15}  # in the last two weeks
OLD_STATUS_WEIGHTS = {"baru": 2, "terverifikasi": 78, "ditolak": 20}  # older: mostly handled
ATHG = ["ancaman", "gangguan", "hambatan", "tantangan"]


class Picker:
    """Weighted choice by bisecting cumulative weights: fast enough for tens of millions of draws."""

    def __init__(self, items: list[Any], weights: list[float]) -> None:
        self.items = items
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1] if self.cum else 0.0  # an empty picker is never asked

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cum, rng.random() * self.total)]


def zipf(items: list[Any], exponent: float = 1.0) -> Picker:
    return Picker(items, [1 / (rank + 1) ** exponent for rank in range(len(items))])


def narrative(rng: random.Random, common: Picker, topic: Picker, place: str) -> tuple[str, str]:
    length = rng.randint(25, 60)
    words = [common(rng) if rng.random() < 0.6 else topic(rng) for _ in range(length)]
    words.insert(rng.randint(0, length), place.lower())
    title = " ".join(topic(rng) for _ in range(rng.randint(3, 6))).capitalize() + " di " + place
    return title[:200], " ".join(words)


def rows(
    count: int,
    villages: list[tuple[str, str]],
    home_prefix: str,
    paser_share: float,
    now: datetime,
    reporter_id: int,
    history_days: int = 730,
    seed: int = 6,
    province_share: float = 0.0,
) -> Any:
    """Yield the varying columns of ``count`` reports, as dicts."""
    rng = random.Random(seed)
    by_regency: dict[str, list[tuple[str, str]]] = {}
    for code, name in villages:
        by_regency.setdefault(code[:5], []).append((code, name))
    home = [v for v in villages if v[0].startswith(home_prefix + ".")]
    regencies = sorted(r for r in by_regency if r != home_prefix)
    # heavy tail: a Pareto weight per regency, and inside each one per village
    regency_weights = [rng.paretovariate(1.1) for _ in regencies]
    regency_pick = Picker(regencies, regency_weights)
    village_weights = {code: rng.paretovariate(1.3) for code, _name in villages}
    village_pick: dict[str, Picker] = {}

    def village_in(regency: str) -> tuple[str, str]:
        if regency not in village_pick:
            inside = by_regency[regency]
            village_pick[regency] = Picker(inside, [village_weights[c] for c, _n in inside])
        return village_pick[regency](rng)

    home_pick = Picker(home, [village_weights[c] for c, _n in home])
    province_prefix = home_prefix.split(".")[0] + "."
    in_province = [r for r in regencies if r.startswith(province_prefix)]
    province_pick = Picker(in_province, [regency_weights[regencies.index(r)] for r in in_province])
    # bursts: some regencies get a week of extra reports at some moment of the history
    bursts = {r: rng.uniform(0, history_days) for r in rng.sample(regencies, min(40, len(regencies)))}
    common = zipf(COMMON, 1.0)
    topics = {isu: zipf(words, 0.8) for isu, words in ISU_WORDS.items()}
    isu_pick = Picker(list(ISU_WEIGHTS), list(ISU_WEIGHTS.values()))
    level_pick = Picker(list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values()))
    class_pick = Picker(list(CLASS_WEIGHTS), list(CLASS_WEIGHTS.values()))
    status_pick = Picker(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))
    old_status_pick = Picker(list(OLD_STATUS_WEIGHTS), list(OLD_STATUS_WEIGHTS.values()))
    # First where and when, then sorted oldest first: rows reach the table in the order reports
    # arrive in a real installation (ids and physical order follow time), then the rest of each row.
    places: list[tuple[float, str, str]] = []
    for _number in range(count):
        draw = rng.random()
        if draw < paser_share:
            code, name = home_pick(rng)
            regency = home_prefix
        elif draw < paser_share + province_share and in_province:
            regency = province_pick(rng)
            code, name = village_in(regency)
        else:
            regency = regency_pick(rng)
            code, name = village_in(regency)
        # denser towards today: age = history * u^1.2 puts ~7 % of a two-year history in the last 30 days
        age_days = history_days * rng.random() ** 1.2
        if regency in bursts and rng.random() < 0.3:
            age_days = max(0.0, bursts[regency] + rng.uniform(0, 7))
        places.append((age_days, code, name))
    places.sort(reverse=True)
    for number, (age_days, code, name) in enumerate(places, start=1):
        reported = now - timedelta(days=age_days)
        isu = isu_pick(rng)
        title, what = narrative(rng, common, topics[isu], name)
        from waspada.reports.search import terms

        yield {
            "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "reference": f"BENCH-{number:08d}",
            "reporter_id": reporter_id,
            "athg": ATHG[rng.randrange(4)],
            "isu": isu,
            "alert_level": level_pick(rng),
            "classification": class_pick(rng),
            "status": status_pick(rng) if age_days < 14 else old_status_pick(rng),
            "title": title,
            "what": what,
            "search_terms": terms(title, what),  # as Report.save() writes it (reports/search.py)
            "region_id": code,
            "occurred_at": reported - timedelta(hours=rng.randint(0, 48)),
            "reported_at": reported,
            "received_at": reported,
        }


def insert(
    count: int,
    home_prefix: str,
    paser_share: float,
    reporter_id: int,
    history_days: int,
    province_share: float = 0.0,
) -> float:
    """Insert ``count`` reports; returns seconds spent."""
    from django.db import connection
    from django.utils import timezone

    from waspada.regions.models import Region
    from waspada.reports.models import Report
    from waspada.reports.rollups import rebuild

    villages = list(Region.objects.filter(level=4).order_by("code").values_list("code", "name"))
    now = timezone.now()
    started = time.perf_counter()
    template = Report(reporter_id=reporter_id)
    fields = [f for f in Report._meta.concrete_fields if f.column != "id"]
    generated = rows(
        count,
        villages,
        home_prefix,
        paser_share,
        now,
        reporter_id,
        history_days,
        seed=6,
        province_share=province_share,
    )
    if connection.vendor != "postgresql":
        batch = []
        for values in generated:
            batch.append(Report(**{**{f.attname: getattr(template, f.attname) for f in fields}, **values}))
            if len(batch) == 5000:
                Report.objects.bulk_create(batch)
                batch = []
        Report.objects.bulk_create(batch)
        return time.perf_counter() - started
    table = Report._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexdef NOT LIKE %s",
            [table, "%UNIQUE%"],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        defaults = {}
        for f in fields:
            value = getattr(template, f.attname)
            defaults[f.column] = "[]" if f.get_internal_type() == "JSONField" else value
        columns = [f.column for f in fields]
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for values in generated:
                copy.write_row([values.get(c, defaults[c]) for c in columns])
        loaded = time.perf_counter() - started
        print(f"  copied {count} rows in {loaded:.1f} s; building {len(indexes)} indexes", flush=True)
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
    counting = time.perf_counter()
    buckets = rebuild()
    print(f"  rollup: {buckets} buckets in {time.perf_counter() - counting:.1f} s", flush=True)
    return time.perf_counter() - started
