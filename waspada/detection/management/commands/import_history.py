from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waspada.detection.history import HistoryError, import_history
from waspada.people.models import Person


class Command(BaseCommand):
    help = (
        "Impor riwayat kejadian terverifikasi dari CSV (tanggal, kode_wilayah, isu, tingkat, jumlah "
        "opsional) ke deret deteksi; semua baris diperiksa dulu, tidak ada yang disimpan bila satu salah."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="berkas CSV (UTF-8, pemisah koma atau titik koma)")
        parser.add_argument("--oleh", help="nama pengguna administrator yang mengimpor (untuk jejak audit)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"berkas {path} tidak ada")
        actor = None
        if options["oleh"]:
            actor = Person.objects.filter(username=options["oleh"], is_active=True).first()
            if actor is None:
                raise CommandError(f"--oleh: pengguna {options['oleh']!r} tidak dikenal atau tidak aktif")
        try:
            result = import_history(path.read_bytes(), actor=actor, source=path.name)
        except HistoryError as exc:
            raise CommandError("berkas ditolak, tidak ada yang disimpan:\n" + "\n".join(exc.errors)) from exc
        self.stdout.write(
            f"{result.rows} kejadian ({result.keys} baris hari × wilayah × isu × tingkat) dari "
            f"{result.first_day} sampai {result.last_day}: {result.created} baru, {result.updated} diubah, "
            f"{result.keys - result.created - result.updated} sudah ada"
        )
