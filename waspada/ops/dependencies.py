"""The lock file against what is installed, for `waspada dependencies`.

The lock (requirements/lock.txt, written by scripts/lock) pins every package with its sha256
hashes; production and CI install it with ``pip install --require-hashes``. The package carries a
copy (``data/lock.txt``, identical: a test compares them) so that an installation made with
``pip install .`` can still be checked. Standard library only: this runs in production, where
neither pip's internals nor ``packaging`` are promised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.utils.translation import gettext as _

PACKAGED_LOCK = Path(__file__).resolve().parent / "data" / "lock.txt"

SAME = "sama"
DIFFERENT = "berbeda"
MISSING = "tidak terpasang"

# "name==version \" at the start of a line; hashes, comments and options are on other lines.
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;\\]+)")


class LockError(Exception):
    """The lock file is missing, unreadable or pins nothing; the message says which, in Indonesian."""


@dataclass(frozen=True)
class Locked:
    name: str
    locked: str
    installed: str | None

    @property
    def status(self) -> str:
        if self.installed is None:
            return MISSING
        return SAME if _normal(self.installed) == _normal(self.locked) else DIFFERENT


def read_lock(path: Path) -> list[tuple[str, str]]:
    """Each pinned package of a pip requirements file as (name, version), in file order."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise LockError(_("Berkas kunci %(path)s tidak ada.") % {"path": path}) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise LockError(
            _("Berkas kunci %(path)s tidak dapat dibaca (%(error)s).") % {"path": path, "error": exc}
        ) from exc
    pins = [(m.group(1), m.group(2)) for m in map(_PIN.match, text.splitlines()) if m]
    if not pins:
        raise LockError(_("Berkas kunci %(path)s tidak memuat satu pun baris nama==versi.") % {"path": path})
    return pins


def compare(path: Path) -> list[Locked]:
    """Every package the lock pins, with the version installed in this environment (or None)."""
    return [Locked(name, version, installed_version(name)) for name, version in read_lock(path)]


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _normal(version: str) -> str:
    return version.strip().lower()
