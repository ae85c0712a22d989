"""`waspada default_forums --regency 64.01 [--regency 64.09 …] [--tanpa-provinsi]`: the default
forums of each regency (its TKD, FKPD, FKDM per kecamatan…) and of their province (TKD, FKDM and
Forkopimda provinsi). Idempotent; the regions must be imported first (``import_regions --only``).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waspada.forums.province import ensure_installation_forums, regencies_from_codes


class Command(BaseCommand):
    help = "Membuat forum bawaan kabupaten/kota dan provinsinya / create the default forums of regencies."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--regency",
            action="append",
            required=True,
            metavar="KODE",
            help="Kode kabupaten/kota (64.01); boleh diulang.",
        )
        parser.add_argument(
            "--tanpa-provinsi", action="store_true", help="Jangan buat forum tingkat provinsi."
        )

    def handle(self, *args: Any, regency: list[str], tanpa_provinsi: bool = False, **options: Any) -> None:
        try:
            regencies = regencies_from_codes(regency)
        except LookupError as exc:
            raise CommandError(
                _(
                    "Kabupaten/kota {code} belum diimpor: jalankan dulu waspada import_regions --only {code}."
                ).format(code=exc.args[0])
            ) from exc
        result = ensure_installation_forums(regencies=regencies, with_province=not tanpa_provinsi)
        for code, forums in [*result.regencies.items(), *result.provinces.items()]:
            self.stdout.write(_("{code}: {n} forum").format(code=code, n=len(forums)))
        self.stdout.write(self.style.SUCCESS(_("Forum bawaan siap: {n}").format(n=result.total)))
