from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.detection.detect import run_detection
from waspada.detection.series import rebuild_series
from waspada.regions.models import Region


class Command(BaseCommand):
    help = "Jalankan deteksi dini: perbarui deret hitungan, jalankan detektor, simpan sinyal baru."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tanggal", help="hari yang dinilai (YYYY-MM-DD, WITA); bawaan: hari ini")
        parser.add_argument("--wilayah", help="kode kabupaten/kecamatan, mis. 64.01; bawaan: semua")
        parser.add_argument("--bangun-ulang", action="store_true", help="hitung ulang semua deret dari awal")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["tanggal"]:
            try:
                today = date.fromisoformat(options["tanggal"])
            except ValueError as exc:
                raise CommandError(f"--tanggal: bukan tanggal YYYY-MM-DD ({options['tanggal']!r})") from exc
        within = None
        if options["wilayah"]:
            within = Region.objects.filter(code=options["wilayah"]).first()
            if within is None:
                raise CommandError(f"--wilayah: kode wilayah {options['wilayah']!r} tidak dikenal")
        if options["bangun_ulang"]:
            self.stdout.write(f"deret dibangun ulang: {rebuild_series()} ember")
        result = run_detection(today, within)
        self.stdout.write(
            f"{result.series} deret dinilai, {result.created} sinyal baru, {result.updated} diperbarui, "
            f"{result.clusters} klaster"
        )
