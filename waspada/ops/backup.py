"""Backups that restore: one archive with the database, the uploaded files and a manifest.

Archive layout (tar.gz)::

    db/001-regions.region.jsonl     one file per table, in load order
    ...
    media/lampiran/2026/05/….jpg    every file under MEDIA_ROOT
    manifest.json                   versions, migration state, rows per table, sha256 of every file
    manifest.sig                    HMAC-SHA256 of manifest.json with the backup key (not in the archive)

The database part is logical and database-independent, so a SQLite backup restores onto
PostgreSQL and back. Each table file holds a header line naming the model and its columns, then
one JSON array per row, in primary-key order. Values keep full precision: datetimes as ISO-8601
with microseconds (Django's own JSON encoder cuts them to milliseconds, which would break the
audit trail's hashes, which cover ``occurred_at``), Decimals and UUIDs as strings, bytes as
base64. Rows keep their primary keys: audit hashes cover ids, and every foreign key stays valid.

Content types and permissions are not copied: ``migrate`` creates them on the new installation,
possibly with other ids, so columns pointing at them are written as natural keys
(``["reports", "report"]``, ``["view_report", "reports", "report"]``) and looked up on restore.
Sessions are not copied (everyone logs in again) and worker heartbeats describe processes of
the old server.

Neither SECRET_KEY nor the encryption key is ever in the archive. Informants' identities stay
encrypted inside it; restoring needs the same ``WASPADA_ENCRYPTION_KEY``, which the restore
checks before it commits.

The manifest is signed with HMAC-SHA256 under the backup key, which is never in the archive:
``WASPADA_BACKUP_KEY`` (or ``WASPADA_BACKUP_KEY_FILE``) if set, else ``backup_key`` in the data
folder, created (0600) by the first backup. The manifest lists every file's sha256, so the
signature covers every byte: an altered row with its sha256 recomputed in the manifest no longer
matches the signature. Restore refuses an archive with no signature or one made under another
key before it reads any table. A row the database refuses (a NUL byte bound for PostgreSQL, a
missing value) is named by its table, primary key and column, and the whole restore rolls back.

Restore, in order: check the manifest's signature with the backup key; verify the archive (every
member listed in the manifest with its sha256, nothing else, only safe names); check that this
installation has exactly the archive's migrations and no data of its own; then, in one
transaction, empty the restored tables (the migration defaults included), insert every row with
its original id, check foreign keys, move PostgreSQL sequences past the loaded ids, check that
informants decrypt and that the audit chain verifies with the head the manifest recorded. Only
then commit and move the uploaded files, unpacked and checked beforehand, into MEDIA_ROOT. A
failure anywhere before the commit leaves the database and MEDIA_ROOT as they were.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import platform
import secrets
import shutil
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any, cast

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

from waspada.lib.env import ConfigError, env_optional_str

FORMAT = "waspada-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SIGNATURE_ALGORITHM = "HMAC-SHA256"
BACKUP_KEY_ENV = "WASPADA_BACKUP_KEY"
BACKUP_KEY_FILE = "backup_key"
BACKUP_KEY_MIN_LENGTH = 32
MANIFEST_MAX_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024
BATCH = 500
STAGING_PREFIX = ".pemulihan-"

# Not copied: recreated by `migrate` (referenced by natural key instead), or meaningless on a
# new server. Sessions are emptied on restore all the same: a session naming user id 7 must not
# log someone in as whoever has id 7 after the restore.
NOT_COPIED = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
        "core.workerheartbeat",
        "security.ratecounter",  # requests per minute: stale within the minute
    }
)
# Columns encrypted with WASPADA_ENCRYPTION_KEY: after loading, each must open with this
# installation's key, or the restore rolls back (the key was not carried over).
ENCRYPTED_COLUMNS = {
    "reports.informant": ("name_encrypted", "contact_encrypted"),
    "security.totpdevice": ("secret_encrypted",),
}
EMPTIED_ON_RESTORE = frozenset({"sessions.session"})


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why, in Indonesian."""


Log = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


# -- The backup key -------------------------------------------------------------------------


def backup_key_file() -> Path:
    return Path(settings.DATA_DIR) / BACKUP_KEY_FILE


def configured_backup_key() -> str | None:
    """``WASPADA_BACKUP_KEY``, or the content of the file ``WASPADA_BACKUP_KEY_FILE`` names."""
    value = env_optional_str(BACKUP_KEY_ENV)
    return value.strip() or None if value else None


def _checked_key(key: str, source: str) -> bytes:
    key = key.strip()
    if len(key) < BACKUP_KEY_MIN_LENGTH:
        raise BackupError(
            _("Kunci cadangan dari %(source)s terlalu pendek (minimal %(n)s karakter).")
            % {"source": source, "n": BACKUP_KEY_MIN_LENGTH}
        )
    return key.encode("utf-8")


def backup_key(*, create: bool = False, key_file: Path | None = None) -> bytes:
    """The key that signs manifests: a given key file, ``WASPADA_BACKUP_KEY`` (or the file named by
    ``WASPADA_BACKUP_KEY_FILE``), or ``backup_key``
    in the data folder (created, 0600, when ``create`` is set: only a backup creates it)."""
    if key_file is not None:
        try:
            return _checked_key(key_file.expanduser().read_text(encoding="utf-8"), str(key_file))
        except (OSError, UnicodeDecodeError) as exc:
            raise BackupError(
                _("Berkas kunci cadangan %(path)s tidak dapat dibaca (%(error)s).")
                % {"path": key_file, "error": exc}
            ) from exc
    try:
        configured = configured_backup_key()
    except ConfigError as exc:
        raise BackupError(str(exc)) from exc
    if configured:
        return _checked_key(configured, BACKUP_KEY_ENV)
    path = backup_key_file()
    if not path.exists():
        if not create:
            raise BackupError(
                _(
                    "Kunci cadangan tidak ada di instalasi ini (%(env)s tidak diisi dan berkas %(path)s "
                    "tidak ada). Tanpa kunci, tanda tangan arsip tidak dapat diperiksa. Berikan kunci "
                    "yang dipakai saat mencadangkan: `waspada restore ARSIP --key-file BERKAS` atau "
                    "variabel %(env)s. / No backup key here: give the key the backup was made with "
                    "(--key-file or %(env)s). Tidak ada yang diubah."
                )
                % {"env": BACKUP_KEY_ENV, "path": path}
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
    return _checked_key(path.read_text(encoding="utf-8"), str(path))


def key_id(key: bytes) -> str:
    """A short fingerprint naming a key in messages (not the key: a hash of it)."""
    return hashlib.sha256(b"waspada-backup-key-id:" + key).hexdigest()[:16]


def sign_manifest(manifest_bytes: bytes, key: bytes) -> bytes:
    signature = {
        "algorithm": SIGNATURE_ALGORITHM,
        "key_id": key_id(key),
        "signature": hmac.new(key, manifest_bytes, hashlib.sha256).hexdigest(),
    }
    return json.dumps(signature, indent=2).encode("utf-8") + b"\n"


def _check_signature(manifest_bytes: bytes, signature_bytes: bytes | None, key: bytes) -> None:
    if signature_bytes is None:
        raise BackupError(
            _(
                "Arsip cadangan tidak bertanda tangan (manifest.sig tidak ada), jadi keutuhannya tidak "
                "dapat dibuktikan. Pemulihan ditolak; basis data dan berkas unggahan tidak diubah. / "
                "The archive has no signature; restore refused, nothing was changed."
            )
        )
    try:
        signature = json.loads(signature_bytes)
        expected = signature["signature"]
        algorithm = signature["algorithm"]
        if not isinstance(expected, str) or algorithm != SIGNATURE_ALGORITHM:
            raise ValueError(algorithm)
    except (ValueError, KeyError, TypeError) as exc:
        raise _damaged(_("manifest.sig tidak dapat dibaca")) from exc
    actual = hmac.new(key, manifest_bytes, hashlib.sha256).hexdigest()
    if hmac.compare_digest(actual, expected):
        return
    theirs = signature.get("key_id")
    if isinstance(theirs, str) and theirs != key_id(key):
        raise BackupError(
            _(
                "Tanda tangan arsip dibuat dengan kunci cadangan lain (sidik kunci %(theirs)s; kunci "
                "di sini %(ours)s). Berikan kunci yang dipakai saat mencadangkan (--key-file atau "
                "%(env)s). Pemulihan ditolak; basis data dan berkas unggahan tidak diubah. / "
                "The archive was signed with another backup key; restore refused, nothing was changed."
            )
            % {"theirs": theirs, "ours": key_id(key), "env": BACKUP_KEY_ENV}
        )
    raise BackupError(
        _(
            "Arsip cadangan rusak atau telah diubah: tanda tangan manifest.json tidak cocok dengan "
            "kunci cadangan. Pemulihan dibatalkan; basis data dan berkas unggahan tidak diubah. "
            "Pakai salinan cadangan lain. / The manifest's signature does not match: the archive "
            "was altered; restore refused, nothing was changed."
        )
    )


# -- What is copied -------------------------------------------------------------------------


def copied_models() -> list[type[models.Model]]:
    """Every table that a backup holds, parents before children (auto-created M2M tables too)."""
    chosen = {
        model._meta.label_lower: model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in NOT_COPIED
    }
    depends = {label: _parents(model) & set(chosen) for label, model in chosen.items()}
    ordered: list[type[models.Model]] = []
    done: set[str] = set()
    while len(done) < len(chosen):
        ready = sorted(label for label in chosen if label not in done and depends[label] <= done)
        if not ready:  # a cycle: foreign keys are deferred until commit, so any order loads
            ready = sorted(label for label in chosen if label not in done)[:1]
        for label in ready:
            done.add(label)
            ordered.append(chosen[label])
    return ordered


def _parents(model: type[models.Model]) -> set[str]:
    """The models this one's foreign keys point at (itself excepted)."""
    parents = set()
    for f in model._meta.concrete_fields:
        related = f.related_model
        if f.is_relation and related is not None and not isinstance(related, str) and related is not model:
            parents.add(related._meta.label_lower)
    return parents


def _natural_kind(f: models.Field[Any, Any]) -> str | None:
    """Which natural key a column holds in the archive: a content type, a permission, or none."""
    if not f.is_relation or f.related_model is None:
        return None
    if f.related_model is ContentType:
        return "contenttype"
    if f.related_model is Permission:
        return "permission"
    return None


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def waspada_version() -> str:
    try:
        return metadata.version("waspada")
    except metadata.PackageNotFoundError:
        return "unknown"


# -- Encoding rows --------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    """JSON for the values a database hands back that JSON has no type for."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a {type(value).__name__}")


def _dumps(value: Any) -> bytes:
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_encode).encode("utf-8") + b"\n"
    )


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingWriter:
    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self.target.write(data)
        self.digest.update(data)
        self.size += len(data)


class _HashingReader:
    """Reads a file for tarfile while hashing it, so every file is read once."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.source.read(size)
        self.digest.update(data)
        return data


# -- Backup ---------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    sha256: str
    manifest: dict[str, Any]
    key_id: str = ""


def default_archive_name(now: dt.datetime | None = None) -> str:
    local = timezone.localtime(now or timezone.now())
    return f"waspada-cadangan-{local:%Y%m%d-%H%M%S}.tar.gz"


def create_backup(output: Path, *, using: str = DEFAULT_DB_ALIAS, log: Log = _quiet) -> BackupResult:
    """Write one archive to ``output`` (a file, or a directory to put a dated file in).

    Steps: dump every table from one consistent snapshot of the database into temporary files
    (their sha256 computed while writing); then pack them, every file under MEDIA_ROOT and the
    manifest into ``<output>.part``, readable by the owner only; rename it into place.
    Uploaded files are listed after the snapshot, so each file a dumped row names is present.
    """
    from waspada.audit.verify import verify_chain

    output = output.expanduser()
    if output.is_dir():
        output = output / default_archive_name()
    if output.exists():
        raise BackupError(_("Berkas %(path)s sudah ada; pilih nama lain.") % {"path": output})
    output.parent.mkdir(parents=True, exist_ok=True)
    key = backup_key(create=True)
    connection = connections[using]
    files: dict[str, dict[str, Any]] = {}
    tables: list[dict[str, Any]] = []
    part = output.with_name(output.name + ".part")

    # The snapshot level can only be set by the first statement of a transaction; inside an
    # enclosing atomic block (tests) that block's transaction is the snapshot.
    outer = connection.in_atomic_block
    with tempfile.TemporaryDirectory(prefix=".waspada-cadangan-", dir=output.parent) as scratch:
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and not outer:
                # One snapshot for every table; nothing is written.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            natural = _natural_keys_by_id(using)
            for number, model in enumerate(copied_models(), start=1):
                name = f"db/{number:03d}-{model._meta.label_lower}.jsonl"
                rows, digest, size = _dump_table(model, Path(scratch) / name, natural, using)
                tables.append(
                    {
                        "model": model._meta.label_lower,
                        "table": model._meta.db_table,
                        "file": name,
                        "rows": rows,
                    }
                )
                files[name] = {"sha256": digest, "size": size}
                log(f"  {model._meta.label_lower}: {rows}")
            migrations = applied_migrations(using)
            audit = verify_chain()
        media_root = Path(settings.MEDIA_ROOT)

        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                os.fdopen(fd, "wb") as raw,
                tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar,
            ):
                for entry in tables:
                    _add_bytes_file(tar, entry["file"], Path(scratch) / entry["file"])
                media_count = media_bytes = 0
                for path, relative in _media_files(media_root):
                    name = f"media/{relative}"
                    digest, size = _add_media_file(tar, name, path)
                    files[name] = {"sha256": digest, "size": size}
                    media_count += 1
                    media_bytes += size
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": timezone.now().isoformat(timespec="seconds"),
                    "waspada_version": waspada_version(),
                    "django_version": django.get_version(),
                    "python_version": platform.python_version(),
                    "database_vendor": connection.vendor,
                    "migrations": migrations,
                    "tables": tables,
                    "natural_keys": ["contenttypes.contenttype", "auth.permission"],
                    "not_copied": sorted(NOT_COPIED),
                    "media": {"files": media_count, "bytes": media_bytes},
                    "audit": {
                        "ok": audit.ok,
                        "entries": audit.checked,
                        "head_id": audit.head_id,
                        "head_hash": audit.head_hash,
                    },
                    "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mode = 0o600
                info.mtime = int(timezone.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
                signed = sign_manifest(data, key)
                info = tarfile.TarInfo(SIGNATURE)
                info.size = len(signed)
                info.mode = 0o600
                info.mtime = int(timezone.now().timestamp())
                tar.addfile(info, io.BytesIO(signed))
            os.replace(part, output)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    return BackupResult(path=output, sha256=_sha256_file(output), manifest=manifest, key_id=key_id(key))


def _natural_keys_by_id(using: str) -> dict[str, dict[Any, list[str]]]:
    contenttypes = {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.using(using).all()}
    permissions = {
        pk: [codename, *contenttypes[ct_id]]
        for pk, codename, ct_id in Permission.objects.using(using).values_list(
            "pk", "codename", "content_type_id"
        )
    }
    return {"contenttype": contenttypes, "permission": permissions}


def _dump_table(
    model: type[models.Model], path: Path, natural: dict[str, dict[Any, list[str]]], using: str
) -> tuple[int, str, int]:
    """Header line, then one JSON array per row in primary-key order; returns rows, sha256, size."""
    fields = list(model._meta.concrete_fields)
    kinds = [_natural_kind(f) for f in fields]
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    with path.open("wb") as target:
        writer = _HashingWriter(target)
        writer.write(_dumps({"model": model._meta.label_lower, "columns": [f.attname for f in fields]}))
        queryset: Any = (
            models.QuerySet(model=model, using=using)
            .order_by(model._meta.pk.attname)
            .values_list(*[f.attname for f in fields])
        )
        for values in queryset.iterator(chunk_size=2000):
            row = [
                value if kind is None or value is None else natural[kind][value]
                for value, kind in zip(values, kinds, strict=True)
            ]
            writer.write(_dumps(row))
            rows += 1
    return rows, writer.digest.hexdigest(), writer.size


def _media_files(media_root: Path) -> Iterator[tuple[Path, str]]:
    """Regular files under MEDIA_ROOT, sorted, as (path, posix path relative to it)."""
    if not media_root.is_dir():
        return
    for directory, subdirs, names in os.walk(media_root):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith(STAGING_PREFIX))
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path, path.relative_to(media_root).as_posix()


def _add_bytes_file(tar: tarfile.TarFile, name: str, path: Path) -> None:
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mode = 0o600
    info.mtime = int(timezone.now().timestamp())
    with path.open("rb") as source:
        tar.addfile(info, source)


def _add_media_file(tar: tarfile.TarFile, name: str, path: Path) -> tuple[str, int]:
    stat = path.stat()
    info = tarfile.TarInfo(name)
    info.size = stat.st_size
    info.mode = 0o600
    info.mtime = int(stat.st_mtime)
    with path.open("rb") as source:
        reader = _HashingReader(source)
        try:
            tar.addfile(info, cast(IO[bytes], reader))
        except OSError as exc:
            raise BackupError(
                _("Berkas unggahan %(path)s berubah saat dicadangkan (%(error)s); ulangi pencadangan.")
                % {"path": path, "error": exc}
            ) from exc
    return reader.digest.hexdigest(), stat.st_size


# -- Reading an archive ---------------------------------------------------------------------


def _damaged(detail: str) -> BackupError:
    return BackupError(
        _(
            "Arsip cadangan rusak atau telah diubah: %(detail)s. Pemulihan dibatalkan; basis data "
            "dan berkas unggahan tidak diubah. Pakai salinan cadangan lain."
        )
        % {"detail": detail}
    )


def _safe_member_name(name: str) -> bool:
    if name in (MANIFEST, SIGNATURE):
        return True
    path = PurePosixPath(name)
    if path.is_absolute() or "\\" in name or any(part in ("", ".", "..") for part in name.split("/")):
        return False
    return path.parts[0] in ("db", "media") and len(path.parts) >= 2


def _open_stream(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, mode="r|gz")
    except FileNotFoundError as exc:
        raise BackupError(_("Berkas %(path)s tidak ada.") % {"path": archive}) from exc
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise _damaged(_("bukan arsip tar.gz yang dapat dibaca (%(error)s)") % {"error": exc}) from exc


_ARCHIVE_ERRORS = (tarfile.TarError, EOFError, zlib.error, OSError)


class _ArchiveReader:
    """A member's content; a read that fails means a damaged archive, said as such."""

    def __init__(self, content: IO[bytes]) -> None:
        self.content = content

    def read(self, size: int = -1) -> bytes:
        try:
            return self.content.read(size)
        except _ARCHIVE_ERRORS as exc:
            raise _damaged(_("arsip terpotong atau tidak dapat dibaca (%(error)s)") % {"error": exc}) from exc

    def __iter__(self) -> Iterator[bytes]:
        while True:
            try:
                line = self.content.readline()
            except _ARCHIVE_ERRORS as exc:
                raise _damaged(
                    _("arsip terpotong atau tidak dapat dibaca (%(error)s)") % {"error": exc}
                ) from exc
            if not line:
                return
            yield line


def _members(tar: tarfile.TarFile) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    """Each member with its content, refusing anything but plain files with safe names."""
    seen: set[str] = set()
    try:
        for member in tar:
            if not member.isreg():
                raise _damaged(_("%(name)s bukan berkas biasa") % {"name": member.name})
            if not _safe_member_name(member.name):
                raise _damaged(_("nama berkas tidak aman: %(name)s") % {"name": member.name})
            if member.name in seen:
                raise _damaged(_("%(name)s muncul dua kali") % {"name": member.name})
            seen.add(member.name)
            content = tar.extractfile(member)
            assert content is not None  # a regular file always has content
            yield member, cast(IO[bytes], _ArchiveReader(content))
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise _damaged(_("arsip terpotong atau tidak dapat dibaca (%(error)s)") % {"error": exc}) from exc
    except OSError as exc:  # gzip.BadGzipFile, CRC errors
        raise _damaged(_("arsip tidak dapat dibaca (%(error)s)") % {"error": exc}) from exc


def read_manifest_verified(archive: Path, key: bytes) -> dict[str, Any]:
    """Read the whole archive once and return its manifest, if it is signed with ``key`` and
    every file matches it.

    Refuses (``BackupError``) a file that is not a readable tar.gz, a member that is not a
    plain file or has an unsafe name, a missing or unreadable manifest, and any difference
    between the members and the manifest's list: missing, extra, other size or other sha256.
    """
    found: dict[str, tuple[str, int]] = {}
    manifest_bytes: bytes | None = None
    signature_bytes: bytes | None = None
    with _open_stream(archive) as tar:
        for member, content in _members(tar):
            if member.name in (MANIFEST, SIGNATURE):
                if member.size > MANIFEST_MAX_BYTES:
                    raise _damaged(_("%(name)s terlalu besar") % {"name": member.name})
                if member.name == MANIFEST:
                    manifest_bytes = content.read()
                else:
                    signature_bytes = content.read()
                continue
            digest = hashlib.sha256()
            size = 0
            while chunk := content.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
            found[member.name] = (digest.hexdigest(), size)
    if manifest_bytes is None:
        raise _damaged(_("manifest.json tidak ada"))
    _check_signature(manifest_bytes, signature_bytes, key)
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise _damaged(_("manifest.json bukan JSON yang sah")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(_("manifest.json bukan manifest cadangan Waspada"))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _(
                "Format arsip versi %(version)s tidak dikenal oleh Waspada %(ours)s; "
                "pakai versi yang membuatnya."
            )
            % {"version": manifest.get("format_version"), "ours": waspada_version()}
        )
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        raise _damaged(_("manifest.json tidak memuat daftar berkas"))
    problems = []
    for name in sorted(set(listed) - set(found)):
        problems.append(_("%(name)s hilang") % {"name": name})
    for name in sorted(set(found) - set(listed)):
        problems.append(_("%(name)s tidak tercantum di manifest") % {"name": name})
    for name in sorted(set(found) & set(listed)):
        expected = listed[name]
        if not isinstance(expected, dict) or (expected.get("sha256"), expected.get("size")) != found[name]:
            problems.append(_("%(name)s tidak cocok dengan checksum sha256 di manifest") % {"name": name})
    tables = manifest.get("tables")
    if not isinstance(tables, list) or any(
        not isinstance(t, dict) or t.get("file") not in listed for t in tables
    ):
        problems.append(_("daftar tabel di manifest.json tidak lengkap"))
    if problems:
        shown = "; ".join(problems[:10])
        if len(problems) > 10:
            shown += _("; dan %(count)s masalah lain") % {"count": len(problems) - 10}
        raise _damaged(shown)
    return manifest


# -- Restore --------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    rows: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    audit_entries: int = 0
    audit_head_id: int | None = None
    audit_head_hash: str | None = None
    undecryptable: int = 0


def installation_has_data(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether this database holds anything of its own: a person, or any audit entry.

    A fresh ``migrate`` writes defaults (routing rules, deadline policies, the admin group) but no
    person and no audit entry; every installation in use has both.
    """
    from waspada.audit.models import AuditEntry

    person_model = apps.get_model(settings.AUTH_USER_MODEL)
    return (
        models.QuerySet(person_model, using=using).exists()
        or models.QuerySet(AuditEntry, using=using).exists()
    )


def media_has_files(media_root: Path) -> bool:
    return any(True for _ in _media_files(media_root))


def check_migrations_match(manifest: dict[str, Any], using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse unless this database has applied exactly the archive's migrations."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError(
            _("Basis data tujuan belum dimigrasi. Jalankan `waspada migrate` dulu, lalu ulangi pemulihan.")
        )
    ours = {(app, name) for app, names in applied_migrations(using).items() for name in names}
    theirs = {(app, name) for app, names in dict(manifest.get("migrations") or {}).items() for name in names}
    if ours == theirs:
        return
    newer_archive = sorted(f"{app}.{name}" for app, name in theirs - ours)
    newer_here = sorted(f"{app}.{name}" for app, name in ours - theirs)
    detail = []
    if newer_archive:
        detail.append(_("hanya di arsip: %(list)s") % {"list": ", ".join(newer_archive[:8])})
    if newer_here:
        detail.append(_("hanya di instalasi ini: %(list)s") % {"list": ", ".join(newer_here[:8])})
    raise BackupError(
        _(
            "Skema basis data arsip (Waspada %(version)s) berbeda dengan instalasi ini (Waspada "
            "%(ours)s): %(detail)s. Pasang Waspada %(version)s pada instalasi baru, jalankan "
            "`waspada migrate`, pulihkan arsip, lalu tingkatkan versinya seperti biasa."
        )
        % {
            "version": manifest.get("waspada_version", "?"),
            "ours": waspada_version(),
            "detail": "; ".join(detail),
        }
    )


def restore_backup(
    archive: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    force: bool = False,
    allow_undecryptable: bool = False,
    key_file: Path | None = None,
    log: Log = _quiet,
) -> RestoreResult:
    """Bring this installation to the state recorded in ``archive`` (see the module docstring)."""
    manifest = read_manifest_verified(archive, backup_key(key_file=key_file))
    log(
        _(
            "Arsip utuh: tanda tangan sah, %(files)s berkas cocok dengan checksum; dibuat %(when)s oleh "
            "Waspada %(version)s (%(db)s)."
        )
        % {
            "files": len(manifest["files"]),
            "when": manifest.get("created_at", "?"),
            "version": manifest.get("waspada_version", "?"),
            "db": manifest.get("database_vendor", "?"),
        }
    )
    check_migrations_match(manifest, using)
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        if installation_has_data(using):
            raise BackupError(
                _(
                    "Basis data tujuan sudah berisi data (akun atau jejak audit). Pemulihan hanya ke "
                    "instalasi baru yang kosong; untuk menimpa semuanya, ulangi dengan --force."
                )
            )
        if media_has_files(media_root):
            raise BackupError(
                _(
                    "Folder unggahan %(path)s sudah berisi berkas. Pulihkan ke folder kosong, atau "
                    "ulangi dengan --force (berkas yang ada tidak dihapus)."
                )
                % {"path": media_root}
            )

    media_root.mkdir(parents=True, exist_ok=True)
    staging = media_root / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    result = RestoreResult(manifest=manifest)
    try:
        with transaction.atomic(using=using):
            _load_everything(archive, manifest, staging, result, using=using, log=log)
            _check_encrypted(result, allow_undecryptable)
            _check_audit(manifest, result)
        _move_media(staging, media_root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


def _load_everything(
    archive: Path,
    manifest: dict[str, Any],
    staging: Path,
    result: RestoreResult,
    *,
    using: str,
    log: Log,
) -> None:
    from waspada.audit import guards

    connection = connections[using]
    by_file = {t["file"]: t for t in manifest["tables"]}
    restored = [apps.get_model(t["model"]) for t in manifest["tables"]]
    known = {m._meta.label_lower for m in copied_models()}
    if {m._meta.label_lower for m in restored} != known:
        raise BackupError(_("Daftar tabel di arsip tidak sama dengan model instalasi ini."))
    emptied = [m._meta.db_table for m in restored] + [
        apps.get_model(label)._meta.db_table for label in sorted(EMPTIED_ON_RESTORE)
    ]
    guarded = connection.vendor == "sqlite" and guards.present(connection)
    # SQLite empties tables with DELETE, which the audit triggers refuse: lift them until the end
    # of this transaction (PostgreSQL's TRUNCATE does not fire them).
    if guarded:
        guards.remove(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with deferred foreign-key checks still pending from earlier in
            # this transaction (only when restore runs inside a caller's transaction): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for statement in connection.ops.sql_flush(
            no_style(), emptied, reset_sequences=True, allow_cascade=False
        ):
            cursor.execute(statement)
    natural = _natural_keys_by_name(using)
    listed = manifest["files"]
    try:
        with _open_stream(archive) as tar:
            for member, content in _members(tar):
                if member.name in by_file:
                    entry = by_file[member.name]
                    loaded = _load_table(content, entry["model"], natural, using)
                    if loaded != entry["rows"]:
                        raise _damaged(
                            _("%(file)s memuat %(loaded)s baris, manifest mencatat %(rows)s")
                            % {"file": member.name, "loaded": loaded, "rows": entry["rows"]}
                        )
                    result.rows[entry["model"]] = loaded
                    log(f"  {entry['model']}: {loaded}")
                elif member.name in listed:
                    _stage_media_file(content, member.name, staging, listed[member.name]["sha256"])
                    result.media_files += 1
                elif member.name not in (MANIFEST, SIGNATURE):
                    raise _damaged(_("%(name)s tidak tercantum di manifest") % {"name": member.name})
        missing = sorted(set(by_file) - {t["file"] for t in manifest["tables"] if t["model"] in result.rows})
        if missing:  # the archive changed after it was checked
            raise _damaged(_("%(name)s hilang") % {"name": missing[0]})
        connection.check_constraints(table_names=[m._meta.db_table for m in restored])
    except DatabaseError as exc:
        raise BackupError(
            _("Data arsip tidak dapat dimuat ke basis data ini (%(error)s). Tidak ada yang diubah.")
            % {"error": exc}
        ) from exc
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), restored):
            cursor.execute(statement)
    if guarded:
        guards.install(connection)


def _natural_keys_by_name(using: str) -> dict[str, Callable[[list[str]], int]]:
    contenttypes = {(ct.app_label, ct.model): ct.pk for ct in ContentType.objects.using(using).all()}
    permissions = {
        (codename, app_label, model): pk
        for pk, codename, app_label, model in Permission.objects.using(using).values_list(
            "pk", "codename", "content_type__app_label", "content_type__model"
        )
    }

    def contenttype(key: list[str]) -> int:
        app_label, model = key
        if (app_label, model) not in contenttypes:
            ct, _created = ContentType.objects.using(using).get_or_create(app_label=app_label, model=model)
            contenttypes[(app_label, model)] = ct.pk
        return contenttypes[(app_label, model)]

    def permission(key: list[str]) -> int:
        codename, app_label, model = key
        if (codename, app_label, model) not in permissions:
            perm, _created = Permission.objects.using(using).get_or_create(
                content_type_id=contenttype([app_label, model]),
                codename=codename,
                defaults={"name": codename},
            )
            permissions[(codename, app_label, model)] = perm.pk
        return permissions[(codename, app_label, model)]

    return {"contenttype": contenttype, "permission": permission}


def _decoder(
    f: models.Field[Any, Any], natural: dict[str, Callable[[list[str]], int]]
) -> Callable[[Any], Any]:
    kind = _natural_kind(f)
    if kind is not None:
        lookup = natural[kind]
        return lambda value: None if value is None else lookup(value)
    if isinstance(f, models.JSONField):
        return lambda value: value
    if isinstance(f, models.BinaryField):
        return lambda value: None if value is None else base64.b64decode(value)
    return f.to_python


def _load_table(
    content: IO[bytes], label: str, natural: dict[str, Callable[[list[str]], int]], using: str
) -> int:
    """Insert every row of one table file with its own primary key; returns the row count.

    Rows go in as they are (``raw``): no ``save()``, no signals, and ``auto_now`` fields keep
    the archived time. The audit table's append-only queryset is bypassed on purpose: these
    entries are the chain as it was, checked by ``verify_chain`` before the commit.
    """
    model = apps.get_model(label)
    lines = iter(content)
    try:
        header = json.loads(next(lines))
    except (StopIteration, ValueError) as exc:
        raise _damaged(_("tabel %(model)s tanpa baris kepala") % {"model": label}) from exc
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    if not isinstance(header, dict) or header.get("model") != label:
        raise _damaged(_("tabel %(model)s tanpa baris kepala") % {"model": label})
    columns = header.get("columns")
    if not isinstance(columns, list) or set(columns) != set(by_attname):
        raise BackupError(
            _("Kolom tabel %(model)s di arsip tidak sama dengan instalasi ini.") % {"model": label}
        )
    fields = [by_attname[name] for name in columns]
    decoders = [_decoder(f, natural) for f in fields]
    # QuerySet._insert(raw=True) is what Model.save_base() uses: it writes the values as given,
    # many rows per statement. A plain QuerySet, not the model's manager, so the audit table's
    # append-only guards (which refuse bulk inserts made by application code) are not in the way.
    inserter: Any = models.QuerySet(model=model, using=using)
    refuses_nul = connections[using].vendor == "postgresql"
    count = 0
    batch: list[models.Model] = []
    for line in lines:
        try:
            values = json.loads(line)
            instance = model(
                **{f.attname: decode(v) for f, decode, v in zip(fields, decoders, values, strict=True)}
            )
        except (ValueError, TypeError) as exc:
            raise _damaged(
                _("baris ke-%(n)s tabel %(model)s tidak terbaca (%(error)s)")
                % {"n": count + 1, "model": label, "error": exc}
            ) from exc
        if refuses_nul:
            _refuse_nul(label, model, instance, fields)
        batch.append(instance)
        count += 1
        if len(batch) >= BATCH:
            _insert_batch(inserter, label, model, batch, fields, using)
            batch = []
    if batch:
        _insert_batch(inserter, label, model, batch, fields, using)
    return count


def _unloadable(
    label: str, model: type[models.Model], pk: Any, column: str | None, reason: str
) -> BackupError:
    return BackupError(
        _(
            "Baris tabel %(model)s (%(table)s) dengan kunci utama %(pk)s tidak dapat dimuat ke basis "
            "data ini, kolom %(column)s: %(reason)s. Pemulihan dibatalkan seluruhnya; tidak ada yang "
            "diubah. / Row %(pk)s of table %(table)s cannot be loaded (column %(column)s); nothing "
            "was changed."
        )
        % {
            "model": label,
            "table": model._meta.db_table,
            "pk": pk,
            "column": column or _("(tidak diketahui)"),
            "reason": reason,
        }
    )


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _refuse_nul(
    label: str, model: type[models.Model], instance: models.Model, fields: list[models.Field[Any, Any]]
) -> None:
    """PostgreSQL cannot store NUL in text (nor \\u0000 in jsonb): name the row before it fails."""
    for f in fields:
        if _has_nul(getattr(instance, f.attname)):
            raise _unloadable(
                label,
                model,
                instance.pk,
                f.column,
                _("teks berisi karakter NUL (0x00), yang tidak dapat disimpan PostgreSQL"),
            )


def _insert_batch(
    inserter: Any,
    label: str,
    model: type[models.Model],
    batch: list[models.Model],
    fields: list[models.Field[Any, Any]],
    using: str,
) -> None:
    """Insert a batch; if the database refuses it, find and name the row (and column) it refuses.

    Each attempt runs in a savepoint, so a refused statement leaves the restore's transaction
    usable until the error is raised, which then rolls all of it back.
    """
    try:
        with transaction.atomic(using=using):
            inserter._insert(batch, fields=fields, raw=True, using=using)
        return
    except (DatabaseError, ValueError):
        pass
    for instance in batch:
        try:
            with transaction.atomic(using=using):
                inserter._insert([instance], fields=fields, raw=True, using=using)
        except (DatabaseError, ValueError) as exc:
            raise _unloadable(label, model, instance.pk, _column_of(exc, model), str(exc).strip()) from exc
    raise _unloadable(label, model, "?", None, _("basis data menolak kelompok baris ini"))


def _column_of(exc: BaseException, model: type[models.Model]) -> str | None:
    """The column a database error names: psycopg's diagnostics, or SQLite's message."""
    diag = getattr(exc.__cause__, "diag", None)
    column = getattr(diag, "column_name", None)
    if column:
        return str(column)
    message = str(exc)
    table = model._meta.db_table
    for f in model._meta.concrete_fields:
        if f"{table}.{f.column}" in message:
            return f.column
    return None


def _stage_media_file(content: IO[bytes], name: str, staging: Path, expected: str) -> None:
    relative = PurePosixPath(name).relative_to("media")
    target = staging.joinpath(*relative.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with target.open("xb") as out:
        while chunk := content.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected:  # the archive changed since it was checked
        raise _damaged(_("%(name)s tidak cocok dengan checksum sha256 di manifest") % {"name": name})


def _move_media(staging: Path, media_root: Path) -> None:
    if not staging.exists():
        return
    for directory, _subdirs, names in os.walk(staging):
        for name in names:
            source = Path(directory) / name
            target = media_root / source.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)


def _check_encrypted(result: RestoreResult, allow_undecryptable: bool) -> None:
    """Every encrypted value must open with this installation's key, or nothing is committed."""
    from waspada.lib import crypto

    unreadable = 0
    for label, columns in ENCRYPTED_COLUMNS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for values in models.QuerySet(model).values_list(*columns).iterator():
            try:
                for value in values:
                    crypto.decrypt(value)
            except crypto.DecryptionError:
                unreadable += 1
    result.undecryptable = unreadable
    if unreadable and not allow_undecryptable:
        raise BackupError(
            _(
                "%(count)s data terenkripsi dalam arsip (identitas informan, kunci autentikator) tidak "
                "dapat dibuka dengan WASPADA_ENCRYPTION_KEY instalasi ini. Pasang kunci enkripsi "
                "instalasi lama (yang disimpan terpisah dari cadangan), lalu ulangi. Tidak ada yang diubah."
            )
            % {"count": unreadable}
        )


def _check_audit(manifest: dict[str, Any], result: RestoreResult) -> None:
    """The restored chain must verify, ending at the head the manifest recorded."""
    from waspada.audit.verify import verify_chain

    verified = verify_chain()
    recorded = manifest.get("audit") or {}
    result.audit_entries = verified.checked
    result.audit_head_id = verified.head_id
    result.audit_head_hash = verified.head_hash
    same_head = (verified.head_id, verified.head_hash) == (recorded.get("head_id"), recorded.get("head_hash"))
    if verified.ok and same_head:
        return
    if not verified.ok and recorded.get("ok") is False and same_head:
        return  # broken before the backup; restoring must not hide it, the command reports it
    problems = "; ".join(verified.problems[:5]) or _("hash kepala berbeda dengan manifest")
    raise BackupError(
        _("Jejak audit hasil pemulihan tidak utuh (%(problems)s). Tidak ada yang diubah.")
        % {"problems": problems}
    )
