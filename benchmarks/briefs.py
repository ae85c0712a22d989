"""Briefs speed: the monthly situation report for Kabupaten Paser over 10,000 reports.

Builds a fresh database (a temporary PostgreSQL database beside the one ``BENCH_DATABASE_URL`` or
``DATABASE_URL`` names, dropped at the end; or a temporary SQLite file without either), loads
Paser's regions (the bundled code list) and its kecamatan and village boundaries from
``waspada/regions/data/paser/``, the default forums and the personas, then generates ``--reports``
synthetic reports spread over Paser's villages and the last 120 days: a tenth verified into
incidents, each incident disposed to one or two forums (some acknowledged, some closed, some
overdue), classifications 85 % biasa, 10 % terbatas, 5 % rahasia.

Phase ``pdf`` (skip with ``--skip-pdf``): renders the monthly situation report of the last
complete month ``--rounds`` times in the Lapsit's form for the Kesbangpol analyst (who sees every
report; with the analysts' annex) and for the FKUB member (figures counted through the approver's
view, titles only what the member may open), timing the queries (``gather``) and the drawing
(``render``) apart.
The target (issue 7) is under 10 s for the monthly report with 10,000 reports.

Phase ``exports`` (``--with-exports``): the issue's second figure, a one-million-row CSV export
with peak memory under 200 MB, needs a database of a million reports, not Paser's 10,000, so it
runs ``benchmarks/exports.py --reports 1000000`` in a process of its own after the PDF phase and
adds its figures (``csv_*``, ``base_*``) to the same last line.

Usage: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/waspada_bench \
       python benchmarks/briefs.py --reports 10000
Prints the load and CPU time beside each wall time; ends with one line of key=value figures.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from common import fresh_database  # benchmarks/common.py

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ISUS = [
    "agraria_korporasi",
    "agraria_korporasi",
    "agraria_warga",
    "batas_wilayah",
    "sara_etnis",
    "agama",
    "narkoba",
    "kriminalitas",
    "infrastruktur_logistik",
    "bencana",
    "hoaks",
    "ekonomi_buruh",
]
LEVELS = ["normal"] * 5 + ["waspada"] * 3 + ["siaga"] * 2 + ["awas"]
CLASSIFICATIONS = ["biasa"] * 17 + ["terbatas"] * 2 + ["rahasia"]
WORDS = "warga jalan hauling perusahaan sawit tambang desa bentrok tuntutan lahan polisi camat banjir".split()


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}/{five:.2f}/{fifteen:.2f}"


def setup() -> dict[str, str]:
    """Migrate, load Paser's regions and boundaries, forums and personas."""
    from django.core.management import call_command

    from waspada.forums.defaults import ensure_default_forums
    from waspada.regions.importers import PASER_BOUNDARIES_DIR, import_boundaries, load_bundled_regions
    from waspada.regions.models import Region
    from waspada.response.defaults import ensure_defaults
    from waspada.testing.personas import ensure_all_personas

    call_command("migrate", interactive=False, verbosity=0)
    load_bundled_regions("64.01")
    for name in ("paser_kecamatan.geojson", "paser_desa_kelurahan.geojson"):
        import_boundaries(PASER_BOUNDARIES_DIR / name)  # packaged with Waspada
    regency = Region.objects.get(code="64.01")
    ensure_default_forums(regency=regency)
    ensure_defaults()
    ensure_all_personas(regency=regency)
    return {}


def generate(count: int, seed: int = 7) -> dict[str, str]:
    """Insert ``count`` Paser reports, their incidents and dispositions with bulk inserts."""
    from django.db import connection
    from django.utils import timezone

    from waspada.forums.models import Forum
    from waspada.people.models import Person
    from waspada.regions.models import Level, Region
    from waspada.reports.models import Incident, Report
    from waspada.response.models import Disposition

    rng = random.Random(seed)
    villages = list(
        Region.objects.filter(level=Level.DESA, code__startswith="64.01.").values_list("code", flat=True)
    )
    reporter = Person.objects.get(username="reporter.lombok")
    analyst = Person.objects.get(username="analis.kesbangpol")
    fkdm = Forum.objects.get(code="FKDM-6401")
    forums = list(Forum.objects.filter(jurisdiction_id="64.01").exclude(kind="FKDM"))
    now = timezone.now()
    started = time.perf_counter()
    reports: list[Report] = []
    for number in range(1, count + 1):
        reported = now - timedelta(seconds=rng.randint(0, 120 * 86400))
        words = " ".join(rng.choice(WORDS) for _ in range(12))
        reports.append(
            Report(
                public_id=uuid.UUID(int=rng.getrandbits(128)),
                reference=f"BENCH-{number:08d}",
                reporter=reporter,
                reporter_forum=fkdm,
                athg=rng.choice(["ancaman", "gangguan", "hambatan", "tantangan"]),
                isu=rng.choice(ISUS),
                alert_level=rng.choice(LEVELS),
                classification=rng.choice(CLASSIFICATIONS),
                title=f"Laporan sintetis {number}: {words[:60]}",
                what=words,
                region_id=rng.choice(villages),
                occurred_at=reported - timedelta(hours=2),
                reported_at=reported,
                status="baru" if rng.random() < 0.9 else "ditolak",
            )
        )
    Report.objects.bulk_create(reports, batch_size=2000)
    chosen = [r for r in Report.objects.filter(status="baru").order_by("pk") if rng.random() < 0.1]
    incidents = [
        Incident(
            reference=f"INS-BENCH-{r.pk}",
            title=f"Insiden {r.title}",
            region_id=r.region_id,
            isu=r.isu,
            alert_level=r.alert_level,
            classification=r.classification,
            occurred_at=r.occurred_at,
            created_by=analyst,
        )
        for r in chosen
    ]
    Incident.objects.bulk_create(incidents, batch_size=2000)
    by_reference = dict(Incident.objects.values_list("reference", "pk"))
    dispositions = []
    shares = []
    through = Report.shared_with.through
    for r in chosen:
        Report.objects.filter(pk=r.pk).update(
            status="terverifikasi",
            incident_id=by_reference[f"INS-BENCH-{r.pk}"],
            verified_by=analyst,
            verified_at=r.reported_at,
        )
        for forum in rng.sample(forums, rng.choice((1, 2))):
            shares.append(through(report_id=r.pk, forum_id=forum.pk))  # routing shares what it disposes
            created = r.reported_at + timedelta(hours=1)
            due = created + timedelta(days=rng.choice((1, 3, 5)))
            state = rng.choice(("menunggu", "diterima", "ditangani", "selesai", "selesai"))
            dispositions.append(
                Disposition(
                    report_id=r.pk,
                    forum=forum,
                    kind="tindakan",
                    status=state,
                    created_at=created,
                    created_by=analyst,
                    due_at=due,
                    acknowledged_at=None
                    if state == "menunggu"
                    else created + timedelta(hours=rng.randint(1, 30)),
                    closed_at=due - timedelta(hours=rng.randint(1, 20)) if state == "selesai" else None,
                    outcome="tertangani" if state == "selesai" else "",
                )
            )
    Disposition.objects.bulk_create(dispositions, batch_size=2000)
    through.objects.bulk_create(shares, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "generate_s": f"{time.perf_counter() - started:.1f}",
        "incidents": str(len(incidents)),
        "dispositions": str(len(dispositions)),
    }


def phase_pdf(rounds: int) -> dict[str, str]:
    """Time the monthly situation report for two readers; the analyst's median is the headline."""
    from django.utils import timezone

    from waspada.briefs.periods import BriefKind, due_period
    from waspada.briefs.render import render_situation
    from waspada.briefs.situation import gather
    from waspada.people.models import Person

    period = due_period(BriefKind.BULANAN, timezone.now(), 7)
    figures: dict[str, str] = {"period": f"{period.start}..{period.end}"}
    # The Lapsit as sent: the analyst's copy with its annex; the FKUB member's counted through the
    # approver's view (the ketua of the TKD), naming only what the member may open.
    approver = Person.objects.get(username="ketua.tkd")
    for key, username in (("analyst", "analis.kesbangpol"), ("fkub", "anggota.fkub")):
        person = Person.objects.get(username=username)
        counted_by = approver if key == "fkub" else None
        walls, cpus, gathers, renders = [], [], [], []
        size = 0
        total = 0
        for _ in range(rounds):
            wall, cpu = time.perf_counter(), time.process_time()
            data = gather(person, period, counted_by=counted_by)
            middle = time.perf_counter()
            content = render_situation(data, annex=key == "analyst")
            end = time.perf_counter()
            walls.append(end - wall)
            cpus.append(time.process_time() - cpu)
            gathers.append(middle - wall)
            renders.append(end - middle)
            size, total = len(content), data.total
        pages = len(re.findall(rb"/Type /Page\b(?!s)", content))
        print(
            f"{key:8} monthly {period.start}..{period.end}: {total} reports in the period, {size} bytes, "
            f"{pages} pages; wall median {statistics.median(walls):.2f} s (max {max(walls):.2f}), "
            f"cpu {statistics.median(cpus):.2f} s, gather {statistics.median(gathers):.2f} s, "
            f"render {statistics.median(renders):.2f} s; load {load()}",
            flush=True,
        )
        prefix = "monthly_pdf" if key == "analyst" else f"monthly_pdf_{key}"
        figures[f"{prefix}_s"] = f"{statistics.median(walls):.2f}"
        figures[f"{prefix}_cpu_s"] = f"{statistics.median(cpus):.2f}"
        figures[f"{prefix}_gather_s"] = f"{statistics.median(gathers):.2f}"
        figures[f"{prefix}_render_s"] = f"{statistics.median(renders):.2f}"
        figures[f"{prefix}_reports"] = str(total)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-pdf", action="store_true", help="leave out the monthly PDF phase")
    parser.add_argument(
        "--with-exports",
        action="store_true",
        help="then the one-million-row CSV export (benchmarks/exports.py)",
    )
    args = parser.parse_args()
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    figures: dict[str, Any] = {"reports": str(args.reports)}
    with fresh_database("briefs") as kind:
        figures["database"] = kind
        os.environ["DJANGO_SETTINGS_MODULE"] = "waspada.settings"
        import django

        django.setup()
        print(f"load before: {load()}", flush=True)
        started = time.perf_counter()
        figures.update(setup())
        figures["setup_s"] = f"{time.perf_counter() - started:.1f}"
        figures.update(generate(args.reports))
        print(
            f"{kind}: {args.reports} reports, {figures['incidents']} incidents, {figures['dispositions']} "
            f"dispositions generated in {figures['generate_s']} s; load {load()}",
            flush=True,
        )
        if not args.skip_pdf:
            figures.update(phase_pdf(args.rounds))
        figures["load"] = load()
    if args.with_exports:
        figures.update(phase_exports())
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


def phase_exports() -> dict[str, str]:
    """benchmarks/exports.py over a million reports; its key=value figures, prefixed as it prints them."""
    import subprocess

    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "exports.py"), "--reports", "1000000"],
        capture_output=True,
        text=True,
        check=True,
    )
    print(done.stdout, end="", flush=True)
    last = done.stdout.strip().splitlines()[-1]
    return {
        key: value
        for key, _, value in (pair.partition("=") for pair in last.split())
        if key.startswith(("csv_", "base_"))
    }


if __name__ == "__main__":
    main()
