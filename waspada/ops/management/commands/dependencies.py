"""`waspada dependencies [--lock BERKAS]`: each locked package, locked against installed version.

One line per package of the lock: name, version in the lock, version installed here, and
``sama`` / ``berbeda`` / ``tidak terpasang``. Exit status 1 when any package differs or is
missing, 0 when the installation is exactly the lock. The default lock is the runtime lock the
package carries (requirements/lock.txt); ``--lock requirements/lock-dev.txt`` checks a test or
CI environment against the dev lock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waspada.ops.dependencies import DIFFERENT, MISSING, PACKAGED_LOCK, SAME, LockError, compare

_LABELS = {
    SAME: gettext_lazy("sama"),
    DIFFERENT: gettext_lazy("berbeda"),
    MISSING: gettext_lazy("tidak terpasang"),
}


class Command(BaseCommand):
    help = (
        "Membandingkan versi paket yang terpasang dengan berkas kunci (sama/berbeda/tidak terpasang); "
        "keluar dengan status 1 bila ada yang tidak sama / list installed versions against the lock "
        "file; exit status 1 when any differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lock",
            default=str(PACKAGED_LOCK),
            help="Berkas kunci pip (nama==versi dengan --hash); bawaan: kunci produksi yang dibawa paket "
            "/ the pip lock file; default: the runtime lock shipped in the package.",
        )

    def handle(self, *args: Any, lock: str, **options: Any) -> None:
        path = Path(lock)
        try:
            rows = compare(path)
        except LockError as exc:
            raise CommandError(str(exc)) from exc
        width = max(len(row.name) for row in rows)
        locked_width = max(len(_("terkunci")), *(len(row.locked) for row in rows))
        installed_width = max(len(_("terpasang")), *(len(row.installed or "-") for row in rows))
        self.stdout.write(
            f"{_('paket'):<{width}}  {_('terkunci'):<{locked_width}}  "
            f"{_('terpasang'):<{installed_width}}  {_('status')}"
        )
        for row in rows:
            line = (
                f"{row.name:<{width}}  {row.locked:<{locked_width}}  "
                f"{row.installed or '-':<{installed_width}}  {_LABELS[row.status]}"
            )
            self.stdout.write(line if row.status == SAME else self.style.ERROR(line))
        counts = {status: sum(1 for row in rows if row.status == status) for status in _LABELS}
        summary = _("%(same)d sama, %(different)d berbeda, %(missing)d tidak terpasang; kunci: %(path)s") % {
            "same": counts[SAME],
            "different": counts[DIFFERENT],
            "missing": counts[MISSING],
            "path": path,
        }
        if counts[DIFFERENT] or counts[MISSING]:
            raise CommandError(
                summary
                + "\n"
                + _("Pasang dari kunci: pip install --require-hashes -r %(path)s") % {"path": path},
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(summary))
