"""The demo of a province installation: ``waspada demo --regency 64.01 --regency 64.09``.

Called by the ``demo`` command with a few lines, after the first regency (Paser) is set up as in
the stock demo: loads the other regencies' region codes, creates their default forums and the
province's (``forums.province``), gives the neighbouring regency's and the province's personas an
account (``testing.personas.OTHER_JURISDICTION_PERSONAS``), and files a handful of Penajam Paser
Utara reports, verified by PPU's own analyst, so the province's roll-up (``/situasi/provinsi/``)
shows more than one regency. Idempotent, like the rest of the demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from waspada.forums.province import ensure_installation_forums
from waspada.people.models import Person
from waspada.regions.importers import RegionImportError, load_bundled_regions
from waspada.regions.models import Level, Region
from waspada.reports.samples import Sample, ensure_sample_reports
from waspada.testing.personas import (
    NEIGHBOUR_REGENCY_CODE,
    OTHER_JURISDICTION_PERSONAS,
    create_other_jurisdiction_demo_personas,
)

# Invented events in real Penajam Paser Utara villages (codes from the bundled Kemendagri list).
NEIGHBOUR_SAMPLES: tuple[Sample, ...] = (
    Sample(
        key="demo-ppu-01",
        persona="ppu_reporter",
        days_ago=3,
        region_code="64.09.04.1005",
        title="Warga Sepaku menolak pemasangan patok lahan proyek",
        what="Puluhan warga Kelurahan Sepaku mencabut patok batas lahan yang dipasang kontraktor.",
        athg="gangguan",
        isu="agraria_korporasi",
        alert_level="siaga",
        gatra=("ekonomi", "sumber_kekayaan_alam"),
        who="Warga kelurahan dan kontraktor proyek",
        cause="Warga belum menerima kepastian ganti rugi",
        people_affected=70,
        verify=True,
    ),
    Sample(
        key="demo-ppu-02",
        persona="ppu_reporter",
        days_ago=6,
        region_code="64.09.03.2001",
        title="Sengketa batas kebun antarwarga di Babulu Darat",
        what="Dua kelompok warga berselisih soal batas kebun sawit; kepala desa menengahi.",
        athg="hambatan",
        isu="agraria_warga",
        alert_level="waspada",
        gatra=("sumber_kekayaan_alam",),
        verify=True,
    ),
    Sample(
        key="demo-ppu-03",
        persona="ppu_reporter",
        days_ago=10,
        region_code="64.09.01.2020",
        title="Dugaan peredaran sabu di sekitar pelabuhan penyeberangan",
        what="Warga melihat transaksi mencurigakan pada malam hari di dekat dermaga.",
        athg="ancaman",
        isu="narkoba",
        alert_level="waspada",
        gatra=("sosial_budaya",),
        verify=True,
    ),
    Sample(
        key="demo-ppu-04",
        persona="ppu_reporter",
        days_ago=1,
        region_code="64.09.02.1003",
        title="Selebaran provokatif menjelang musyawarah desa",
        what="Selebaran tanpa nama beredar di warung-warung Kelurahan Waru.",
        athg="tantangan",
        isu="hoaks",
        alert_level="normal",
        gatra=("politik",),
    ),
)


@dataclass
class ProvinceDemo:
    regencies: list[Region]
    forums: int = 0
    people: list[tuple[Person, str]] = field(default_factory=list)
    reports_added: int = 0


def ensure_province_demo(*, first: Region, others: list[str], password: str) -> ProvinceDemo:
    """The other regencies (``others``: kabupaten codes) beside ``first``, and their province.

    Preconditions: ``first`` is loaded with its forums and the stock demo personas.
    """
    for code in others:
        try:
            load_bundled_regions(code)
        except RegionImportError as exc:
            raise LookupError(code) from exc
    regencies = [first, *Region.objects.filter(code__in=others, level=Level.KABUPATEN).order_by("code")]
    missing = set(others) - {r.code for r in regencies}
    if missing:
        raise LookupError(", ".join(sorted(missing)))
    forums = ensure_installation_forums(regencies=regencies)
    people = create_other_jurisdiction_demo_personas(regency=first, password=password)
    keys = {persona.username: persona.key for persona in OTHER_JURISDICTION_PERSONAS}
    by_key = {keys[person.username]: person for person, _description in people}
    added = 0
    if NEIGHBOUR_REGENCY_CODE in others and {"ppu_reporter", "ppu_analyst"} <= set(by_key):
        added = ensure_sample_reports(by_key, NEIGHBOUR_SAMPLES, verifier="ppu_analyst")
    return ProvinceDemo(regencies=regencies, forums=forums.total, people=people, reports_added=added)
