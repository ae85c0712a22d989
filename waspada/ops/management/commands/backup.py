"""`waspada backup`: one archive with the database, the uploaded files and a manifest."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waspada.ops.backup import (
    BACKUP_KEY_ENV,
    BackupError,
    backup_key_file,
    configured_backup_key,
    create_backup,
)


def _silent(message: str) -> None:
    pass


class Command(BaseCommand):
    help = (
        "Mencadangkan basis data dan berkas unggahan ke satu arsip tar.gz (tanpa kunci enkripsi) / "
        "back up the database and uploads into one tar.gz archive (never the encryption key)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            default=".",
            help="Berkas arsip, atau folder (diakhiri /) untuk arsip bernama tanggal; bawaan: folder ini.",
        )

    def handle(self, *args: Any, output: str, **options: Any) -> None:
        verbose = int(options.get("verbosity", 1)) >= 2
        target = Path(output)
        if output.endswith(("/", os.sep)):
            target.mkdir(parents=True, exist_ok=True)  # "/var/backups/waspada/": a folder
        try:
            result = create_backup(target, log=self.stdout.write if verbose else _silent)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        rows = sum(table["rows"] for table in manifest["tables"])
        self.stdout.write(self.style.SUCCESS(_("Cadangan tersimpan: %(path)s") % {"path": result.path}))
        self.stdout.write(
            _("%(rows)s baris dari %(tables)s tabel, %(files)s berkas unggahan (%(bytes)s byte).")
            % {
                "rows": rows,
                "tables": len(manifest["tables"]),
                "files": manifest["media"]["files"],
                "bytes": manifest["media"]["bytes"],
            }
        )
        audit = manifest["audit"]
        if audit["head_id"] is not None:
            self.stdout.write(
                _("Jejak audit: %(entries)s entri, hash kepala #%(id)s %(hash)s")
                % {"entries": audit["entries"], "id": audit["head_id"], "hash": audit["head_hash"]}
            )
        if not audit["ok"]:
            self.stderr.write(
                _("PERINGATAN: jejak audit tidak utuh saat dicadangkan (waspada audit verify).")
            )
        self.stdout.write(_("SHA-256 arsip: %(sha)s") % {"sha": result.sha256})
        self.stdout.write(
            _(
                "Kunci enkripsi (WASPADA_ENCRYPTION_KEY) TIDAK ada di arsip: simpan terpisah, "
                "tanpa kunci itu identitas informan tidak dapat dipulihkan."
            )
        )
        where = BACKUP_KEY_ENV if configured_backup_key() else str(backup_key_file())
        self.stdout.write(
            _(
                "Manifest ditandatangani (HMAC-SHA256) dengan kunci cadangan %(where)s, sidik %(id)s. "
                "Kunci itu TIDAK ada di arsip: simpan salinannya pada operator, terpisah dari arsip; "
                "pemulihan menolak arsip tanpa kunci itu."
            )
            % {"where": where, "id": result.key_id}
        )
