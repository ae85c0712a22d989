"""`waspada restore FILE`: bring a fresh installation to the state of a backup archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from waspada.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Memulihkan arsip `waspada backup` ke instalasi baru yang sudah dimigrasi / "
        "restore a `waspada backup` archive into a fresh, migrated installation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="Arsip .tar.gz dari `waspada backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Timpa basis data yang sudah berisi data (semua data di dalamnya diganti isi arsip).",
        )
        parser.add_argument(
            "--allow-undecryptable",
            action="store_true",
            help="Pulihkan walau data terenkripsi (informan) tak terbuka dengan kunci ini (kunci hilang).",
        )
        parser.add_argument(
            "--key-file",
            default=None,
            help=(
                "Berkas kunci cadangan yang menandatangani arsip (bawaan: WASPADA_BACKUP_KEY, lalu "
                "backup_key di folder data) / the backup key file that signed the archive."
            ),
        )

    def handle(
        self,
        *args: Any,
        archive: str,
        force: bool,
        allow_undecryptable: bool,
        key_file: str | None = None,
        **options: Any,
    ) -> None:
        try:
            result = restore_backup(
                Path(archive),
                force=force,
                allow_undecryptable=allow_undecryptable,
                key_file=Path(key_file) if key_file else None,
                log=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Pemulihan selesai: %(rows)s baris di %(tables)s tabel, %(files)s berkas unggahan.")
                % {"rows": sum(result.rows.values()), "tables": len(result.rows), "files": result.media_files}
            )
        )
        if result.undecryptable:
            self.stderr.write(
                _("PERINGATAN: %(count)s data terenkripsi tidak dapat dibuka dengan kunci enkripsi ini.")
                % {"count": result.undecryptable}
            )
        recorded_ok = result.manifest.get("audit", {}).get("ok", True)
        if recorded_ok:
            self.stdout.write(
                _("Jejak audit utuh: %(checked)s entri diperiksa") % {"checked": result.audit_entries}
            )
        else:
            self.stderr.write(
                _(
                    "PERINGATAN: jejak audit sudah tidak utuh sebelum dicadangkan; "
                    "jalankan `waspada audit verify`."
                )
            )
        if result.audit_head_id is not None:
            self.stdout.write(
                _("Hash kepala: #%(id)s %(hash)s")
                % {"id": result.audit_head_id, "hash": result.audit_head_hash}
            )
