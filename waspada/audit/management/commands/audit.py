"""`waspada audit verify` and `waspada audit tail`: check and read the audit trail."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.audit.canonical import canonical_json
from waspada.audit.models import AuditEntry
from waspada.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Memeriksa dan menampilkan jejak audit / check and show the audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser(
            "verify",
            help="Hitung ulang setiap hash dan periksa rantai; keluar dengan status 1 bila ada masalah.",
        )
        verify.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="ID:HASH",
            help="Hash kepala yang dicatat sebelumnya di luar basis data; entri itu harus masih utuh.",
        )
        tail = sub.add_parser("tail", help="Tampilkan entri terakhir.")
        tail.add_argument("-n", "--count", type=int, default=20, help="Jumlah entri (bawaan 20).")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "verify":
            self.verify(_parse_anchors(options["anchor"]))
        elif subcommand == "tail":
            self.tail(max(1, int(options["count"])))

    def verify(self, anchors: dict[int, str]) -> None:
        """Exit 0 with the head hash to note down, or list every problem and exit 1."""
        result = verify_chain(anchors=anchors)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(
                _("Jejak audit TIDAK utuh: %(count)s masalah ditemukan dalam %(checked)s entri.")
                % {"count": len(result.problems), "checked": result.checked},
                returncode=1,
            )
        message = _("Jejak audit utuh: %(checked)s entri diperiksa") % {"checked": result.checked}
        self.stdout.write(self.style.SUCCESS(message))
        self._write_head(result.head_id, result.head_hash)

    def tail(self, count: int) -> None:
        entries = list(AuditEntry.objects.order_by("-id")[:count])
        for entry in reversed(entries):
            when = timezone.localtime(entry.occurred_at).strftime("%Y-%m-%d %H:%M:%S %Z")
            who = entry.actor_label or _("sistem")
            target = f"{entry.object_type}:{entry.object_id}" if entry.object_type else "-"
            self.stdout.write(f"#{entry.pk}  {when}  {entry.channel:<6}  {who}  {entry.action}  {target}")
            if entry.changes:
                self.stdout.write(f"    {canonical_json(entry.changes)}")
        if not entries:
            self.stdout.write(_("Jejak audit masih kosong."))
            return
        self._write_head(entries[0].pk, entries[0].entry_hash)

    def _write_head(self, head_id: int | None, head_hash: str | None) -> None:
        if head_id is None:
            return
        # Operators copy this line into their daily log or send it off-site: a head hash kept
        # outside the database is what exposes a trail rewritten from start to end.
        self.stdout.write(_("Hash kepala: #%(id)s %(hash)s") % {"id": head_id, "hash": head_hash})


def _parse_anchors(values: list[str]) -> dict[int, str]:
    """``["17:3f5c…"]`` → ``{17: "3f5c…"}``; a malformed value stops the command."""
    anchors: dict[int, str] = {}
    for value in values:
        entry_id, _sep, entry_hash = value.partition(":")
        entry_id = entry_id.strip().lstrip("#")
        if not entry_id.isdigit() or len(entry_hash.strip()) != 64:
            raise CommandError(_("Format --anchor salah: %(value)s (harus ID:HASH)") % {"value": value})
        anchors[int(entry_id)] = entry_hash.strip().lower()
    return anchors
