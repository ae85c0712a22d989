"""`waspada rebuild_rollups [--check]`: recount the reports rollup from the reports, in one
transaction (reports/rollups.py). ``--check`` writes nothing: it lists the buckets whose count
differs from a direct count and exits 1 when there is any, for the IT officer or a monitor.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waspada.reports.rollups import differences, rebuild

SHOWN = 20  # differing buckets printed by --check; the rest are counted


class Command(BaseCommand):
    help = "Menghitung ulang rekap laporan dari laporan / recount the reports rollup from the reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Hanya periksa: tampilkan selisih tanpa menulis; keluar 1 bila ada selisih.",
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        if not check:
            written = _("Rekap laporan dihitung ulang: {n} baris.").format(n=rebuild())
            self.stdout.write(self.style.SUCCESS(written))
            return
        found = differences()
        if not found:
            self.stdout.write(self.style.SUCCESS(_("Rekap laporan sama dengan hitungan langsung.")))
            return
        shown = sorted(found.items(), key=lambda item: tuple(map(str, item[0])))[:SHOWN]
        for bucket, (kept, direct) in shown:
            self.stdout.write(
                _("{bucket}: rekap {kept}, hitungan langsung {direct}").format(
                    bucket=" ".join(map(str, bucket)), kept=kept, direct=direct
                )
            )
        raise CommandError(
            _("Rekap laporan berbeda di {n} baris; jalankan waspada rebuild_rollups.").format(n=len(found)),
            returncode=1,
        )
