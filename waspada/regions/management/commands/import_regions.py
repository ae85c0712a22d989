"""`waspada import_regions [DIR_OR_FILES...] [--only 64.01] [--bundled]`: load the region code list.

With no path (or ``--bundled``) the Kemendagri code list shipped with Waspada is used, so a new
installation needs no download. A bad file prints every problem found and exits with status 1,
leaving the database as it was.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waspada.regions.importers import RegionImportError, import_code_lists, load_bundled_regions


class Command(BaseCommand):
    help = (
        "Mengimpor daftar kode wilayah Kemendagri (provinsi, kabupaten/kota, kecamatan, desa/kelurahan) "
        "dari CSV / import the Kemendagri region code list from CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths",
            nargs="*",
            metavar="DIR_OR_FILES",
            help="Folder berisi provinces/regencies/districts/villages.csv[.gz], atau berkas CSV.",
        )
        parser.add_argument(
            "--only", default=None, metavar="KODE", help="Hanya wilayah ini, bawahannya dan induknya (64.01)."
        )
        parser.add_argument(
            "--bundled", action="store_true", help="Pakai daftar kode bawaan Waspada (idn-area-data)."
        )

    def handle(self, *args: Any, paths: list[str], only: str | None, bundled: bool, **options: Any) -> None:
        if bundled and paths:
            raise CommandError(_("Pilih salah satu: --bundled atau berkas/folder, bukan keduanya."))
        try:
            if paths:
                result = import_code_lists(paths[0] if len(paths) == 1 else paths, only=only)
            else:
                result = load_bundled_regions(only)
        except RegionImportError as exc:
            raise CommandError(
                _("Impor wilayah dibatalkan, basis data tidak diubah:\n{errors}").format(errors=exc)
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(_("Impor wilayah selesai: {summary}").format(summary=result.summary()))
        )
