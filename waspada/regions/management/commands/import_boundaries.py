"""`waspada import_boundaries FILE... [--only CODE]`: attach GeoJSON boundary polygons to regions.

The regions must already exist (``waspada import_regions``). Files are imported in the order
given, each all-or-nothing; the first bad file stops the command with status 1, naming every
problem found in it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waspada.regions.importers import RegionImportError, import_boundaries


class Command(BaseCommand):
    help = (
        "Mengimpor batas wilayah (GeoJSON FeatureCollection dengan properti kode) "
        "/ import region boundaries from GeoJSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="Berkas GeoJSON (.geojson, .json, .gz).")
        parser.add_argument(
            "--only", default=None, metavar="KODE", help="Hanya wilayah ini, bawahannya dan induknya (64.01)."
        )

    def handle(self, *args: Any, files: list[str], only: str | None, **options: Any) -> None:
        for path in files:
            try:
                result = import_boundaries(path, only=only)
            except RegionImportError as exc:
                raise CommandError(
                    _(
                        "Impor batas wilayah dari {file} dibatalkan, basis data tidak diubah:\n{errors}"
                    ).format(file=path, errors=exc)
                ) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    _("Batas wilayah dari {file}: {summary}").format(file=path, summary=result.summary())
                )
            )
