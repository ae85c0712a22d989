"""A damaged or altered archive is refused before anything changes, even with --force.

The manifest is signed with the backup key (HMAC-SHA256), which is not in the archive: an archive
whose altered rows come with a recomputed manifest is refused, as is one without a signature or
signed with another key. A row the database refuses is named (table, primary key, column), and
the restore is rolled back whole.

The restore here targets the test run's own database, which holds an installation in use, so
"untouched" is visible: after every refused restore its snapshot is what it was.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waspada.lib import crypto
from waspada.ops.backup import backup_key, sign_manifest
from waspada.ops.tests.backup_helpers import (
    backup_key as backup_key_text,
)
from waspada.ops.tests.backup_helpers import (
    clean_env,
    encryption_keys,
    fresh_postgres_database,
    must,
    state_snapshot,
    waspada,
)
from waspada.reports.actions import attach_file
from waspada.reports.tests.factories import jpeg_with_gps, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(settings, tmp_path: Path, desa_reporter) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    report = submit(desa_reporter, informant_name="Pak Rahasia", informant_contact="0812-0000-1111").report
    attach_file(report=report, uploader=desa_reporter, data=jpeg_with_gps())
    path = tmp_path / "cadangan.tar.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    return path


def _rewrite(
    source: Path,
    target: Path,
    change: Callable[[str, bytes], bytes | None],
    extra: dict[str, bytes] | None = None,
) -> Path:
    """Copy an archive member by member; ``change`` may alter a member's bytes or drop it (None)."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old.getmembers():
            data = change(member.name, old.extractfile(member).read())  # type: ignore[union-attr]
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
        for name, data in (extra or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


def _edit_report_title(name: str, data: bytes) -> bytes:
    if name.endswith("reports.report.jsonl"):
        return data.replace(b"Warga menghadang truk", b"Warga mengawal truk")
    return data


def _swap_photo(name: str, data: bytes) -> bytes:
    return data[:-2] + b"\x00\x00" if name.startswith("media/") else data


def _drop_audit_table(name: str, data: bytes) -> bytes | None:
    return None if name.endswith("audit.auditentry.jsonl") else data


def _unchanged(name: str, data: bytes) -> bytes:
    return data


def _refused(path: Path) -> str:
    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(path), force=True, stdout=io.StringIO())
    return str(refusal.value)


def test_an_edited_table_is_refused_and_the_database_is_untouched(archive: Path, tmp_path: Path) -> None:
    before = state_snapshot()
    message = _refused(_rewrite(archive, tmp_path / "diubah.tar.gz", _edit_report_title))
    assert "Arsip cadangan rusak atau telah diubah" in message
    assert "reports.report.jsonl tidak cocok dengan checksum sha256" in message
    assert "tidak diubah" in message
    assert state_snapshot() == before


def test_an_altered_photo_a_missing_table_and_an_added_file_are_each_named(
    archive: Path, tmp_path: Path
) -> None:
    before = state_snapshot()
    photo = _refused(_rewrite(archive, tmp_path / "foto.tar.gz", _swap_photo))
    assert "media/lampiran/" in photo and "tidak cocok dengan checksum sha256" in photo
    missing = _refused(_rewrite(archive, tmp_path / "hilang.tar.gz", _drop_audit_table))
    assert "audit.auditentry.jsonl hilang" in missing
    added = _refused(
        _rewrite(archive, tmp_path / "tambah.tar.gz", _unchanged, {"media/sisipan.php": b"<?php"})
    )
    assert "media/sisipan.php tidak tercantum di manifest" in added
    unsafe = _refused(
        _rewrite(archive, tmp_path / "jalur.tar.gz", _unchanged, {"media/../../etc/cron.d/x": b"* * *"})
    )
    assert "nama berkas tidak aman" in unsafe
    assert state_snapshot() == before


def test_a_truncated_or_foreign_file_is_refused(archive: Path, tmp_path: Path) -> None:
    before = state_snapshot()
    cut = tmp_path / "terpotong.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert "Arsip cadangan rusak atau telah diubah" in _refused(cut)
    foreign = tmp_path / "lain.tar.gz"
    foreign.write_bytes(gzip.compress(b"bukan tar"))
    assert "Arsip cadangan rusak atau telah diubah" in _refused(foreign)
    no_manifest = _rewrite(
        archive, tmp_path / "tanpa.tar.gz", lambda n, d: None if n == "manifest.json" else d
    )
    assert "manifest.json tidak ada" in _refused(no_manifest)
    assert state_snapshot() == before


def test_a_restore_with_another_encryption_key_is_rolled_back(
    archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The archive is intact, so the tables are emptied and loaded; then the key check fails and
    the whole transaction rolls back."""
    before = state_snapshot()
    from cryptography.fernet import Fernet

    monkeypatch.setenv("WASPADA_ENCRYPTION_KEY", Fernet.generate_key().decode())
    crypto._fernet.cache_clear()
    try:
        message = _refused(archive)
    finally:
        monkeypatch.undo()
        crypto._fernet.cache_clear()
    assert "tidak dapat dibuka dengan WASPADA_ENCRYPTION_KEY" in message
    assert "Tidak ada yang diubah" in message
    assert state_snapshot() == before


def test_from_the_command_line_a_fresh_installation_stays_empty(archive: Path, tmp_path: Path) -> None:
    env = clean_env(
        WASPADA_DATA_DIR=str(tmp_path / "baru"),
        WASPADA_ENCRYPTION_KEY=encryption_keys(),
        WASPADA_BACKUP_KEY=backup_key_text(),
    )
    must(waspada("migrate", "--verbosity", "0", env=env))
    tampered = _rewrite(archive, tmp_path / "diubah.tar.gz", _edit_report_title)

    refused = waspada("restore", str(tampered), env=env)

    assert refused.returncode == 1
    assert "Arsip cadangan rusak atau telah diubah" in refused.stderr
    counted = must(
        waspada(
            "shell",
            "-c",
            "from waspada.people.models import Person; from waspada.audit.models import AuditEntry;"
            "from waspada.reports.models import Report;"
            "print(Person.objects.count(), AuditEntry.objects.count(), Report.objects.count())",
            env=env,
        )
    )
    assert counted.stdout.split()[-3:] == ["0", "0", "0"]
    assert not any((tmp_path / "baru" / "media").rglob("*.*"))
    manifest = json.loads(tarfile.open(archive).extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["tables"]  # the untampered archive restores, for contrast
    must(waspada("restore", str(archive), env=env))


# -- The signature -------------------------------------------------------------------------


def _forge(source: Path, target: Path, change: Callable[[str, bytes], bytes | None], *, sign: bool) -> Path:
    """What someone without the backup key can do: alter members, recompute every sha256 and size
    in the manifest, keep the old signature. With ``sign``, re-sign with the real key (the archive
    then is what the installation itself would have written: used to test loading errors)."""
    with tarfile.open(source) as old:
        members = {m.name: old.extractfile(m).read() for m in old.getmembers()}  # type: ignore[union-attr]
    changed = {}
    for name, data in members.items():
        if name in ("manifest.json", "manifest.sig"):
            continue
        new = change(name, data)
        if new is not None:
            changed[name] = new
    manifest = json.loads(members["manifest.json"])
    for name, data in changed.items():
        manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    signature = sign_manifest(manifest_bytes, backup_key()) if sign else members["manifest.sig"]
    return _rewrite(
        source,
        target,
        lambda name, data: {"manifest.json": manifest_bytes, "manifest.sig": signature}.get(
            name, changed.get(name)
        ),
    )


def test_an_edited_row_with_its_sha256_recomputed_is_refused_by_the_signature(
    archive: Path, tmp_path: Path
) -> None:
    before = state_snapshot()
    forged = _forge(archive, tmp_path / "palsu.tar.gz", _edit_report_title, sign=False)
    with tarfile.open(forged) as tar:  # every checksum in the forged manifest matches its member
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        table = next(m for m in tar.getmembers() if m.name.endswith("reports.report.jsonl"))
        data = tar.extractfile(table).read()  # type: ignore[union-attr]
    assert b"Warga mengawal truk" in data
    assert manifest["files"][table.name]["sha256"] == hashlib.sha256(data).hexdigest()

    message = _refused(forged)

    assert "tanda tangan manifest.json tidak cocok" in message
    assert "tidak diubah" in message and "nothing was changed" in message
    assert state_snapshot() == before


def test_an_archive_without_a_signature_is_refused(archive: Path, tmp_path: Path) -> None:
    before = state_snapshot()
    unsigned = _rewrite(
        archive, tmp_path / "tanpa-sig.tar.gz", lambda n, d: None if n == "manifest.sig" else d
    )
    message = _refused(unsigned)
    assert "tidak bertanda tangan" in message and "has no signature" in message
    assert state_snapshot() == before


def test_an_archive_signed_with_another_key_is_refused(
    archive: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = state_snapshot()
    monkeypatch.setenv("WASPADA_BACKUP_KEY", "kunci-lain-" + "x" * 40)
    message = _refused(archive)
    assert "kunci cadangan lain" in message and "another backup key" in message
    other = tmp_path / "kunci-lain.txt"
    other.write_text("kunci-lain-" + "y" * 40)
    monkeypatch.delenv("WASPADA_BACKUP_KEY")
    with pytest.raises(CommandError, match="kunci cadangan lain"):
        call_command("restore", str(archive), force=True, key_file=str(other), stdout=io.StringIO())
    assert state_snapshot() == before


def test_a_new_machine_without_the_key_refuses_and_restores_once_given_the_key_file(
    archive: Path, tmp_path: Path
) -> None:
    env = clean_env(WASPADA_DATA_DIR=str(tmp_path / "baru"), WASPADA_ENCRYPTION_KEY=encryption_keys())
    must(waspada("migrate", "--verbosity", "0", env=env))

    refused = waspada("restore", str(archive), env=env)
    assert refused.returncode == 1
    assert "Kunci cadangan tidak ada di instalasi ini" in refused.stderr
    assert not (tmp_path / "baru" / "backup_key").exists()  # a restore never makes up a key

    key_file = tmp_path / "kunci-operator.txt"
    key_file.write_text(backup_key_text() + "\n")
    restored = must(waspada("restore", str(archive), "--key-file", str(key_file), env=env))
    assert "tanda tangan sah" in restored.stdout
    must(waspada("audit", "verify", env=env))


def test_the_first_backup_creates_a_key_readable_by_its_owner_only(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "a.tar.gz"), stdout=out)
    key_file = tmp_path / "data" / "backup_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert str(key_file) in out.getvalue() and "TIDAK ada di arsip" in out.getvalue()
    key = key_file.read_bytes()
    call_command("backup", output=str(tmp_path / "b.tar.gz"), stdout=io.StringIO())
    assert key_file.read_bytes() == key  # made once, kept
    with tarfile.open(tmp_path / "a.tar.gz") as tar:
        assert key.strip() not in b"".join(tar.extractfile(m).read() for m in tar.getmembers())  # type: ignore[union-attr]


# -- A row the database refuses ------------------------------------------------------------


def _report_row_with(column: str, value: object) -> Callable[[str, bytes], bytes]:
    def change(name: str, data: bytes) -> bytes:
        if not name.endswith("reports.report.jsonl"):
            return data
        lines = data.decode("utf-8").splitlines()
        columns = json.loads(lines[0])["columns"]
        row = json.loads(lines[1])
        row[columns.index(column)] = value
        lines[1] = json.dumps(row, ensure_ascii=False)
        return ("\n".join(lines) + "\n").encode("utf-8")

    return change


def test_a_row_the_database_refuses_is_named_and_nothing_is_written(archive: Path, tmp_path: Path) -> None:
    from waspada.reports.models import Report

    before = state_snapshot()
    pk = Report.objects.order_by("pk").values_list("pk", flat=True).first()
    broken = _forge(archive, tmp_path / "kosong.tar.gz", _report_row_with("title", None), sign=True)

    message = _refused(broken)

    assert "reports.report" in message and "reports_report" in message
    assert f"kunci utama {pk}" in message
    assert "kolom title" in message
    assert "tidak ada yang diubah" in message.lower()
    assert state_snapshot() == before


def test_a_nul_byte_bound_for_postgresql_names_its_row_and_column(archive: Path, tmp_path: Path) -> None:
    """An archive written on SQLite, which stores NUL, restored onto PostgreSQL, which cannot."""
    from waspada.reports.models import Report

    pk = Report.objects.order_by("pk").values_list("pk", flat=True).first()
    broken = _forge(
        archive, tmp_path / "nul.tar.gz", _report_row_with("title", "Warga\x00menghadang"), sign=True
    )
    with fresh_postgres_database() as url:
        env = clean_env(
            WASPADA_DATA_DIR=str(tmp_path / "pg"),
            DATABASE_URL=url,
            WASPADA_ENCRYPTION_KEY=encryption_keys(),
            WASPADA_BACKUP_KEY=backup_key_text(),
        )
        must(waspada("migrate", "--verbosity", "0", env=env))

        refused = waspada("restore", str(broken), env=env)

        assert refused.returncode == 1, refused.stdout
        assert "reports_report" in refused.stderr and f"kunci utama {pk}" in refused.stderr
        assert "kolom title" in refused.stderr and "NUL" in refused.stderr
        counted = must(
            waspada(
                "shell",
                "-c",
                "from waspada.people.models import Person; from waspada.reports.models import Report;"
                "print(Person.objects.count(), Report.objects.count())",
                env=env,
            )
        )
        assert counted.stdout.split()[-2:] == ["0", "0"]
