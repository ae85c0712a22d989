"""A damaged or altered archive is refused before anything changes, even with --force.

The restore here targets the test run's own database, which holds an installation in use, so
"untouched" is visible: after every refused restore its snapshot is what it was.
"""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from waspada.lib import crypto
from waspada.ops.tests.backup_helpers import clean_env, encryption_keys, must, state_snapshot, waspada
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
    env = clean_env(WASPADA_DATA_DIR=str(tmp_path / "baru"), WASPADA_ENCRYPTION_KEY=encryption_keys())
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
