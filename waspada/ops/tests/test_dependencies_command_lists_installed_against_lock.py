"""`waspada dependencies`: each locked package, locked against installed version, and a failing
exit when any differs. The test environment is installed from the lock (scripts/test, CI), so
there every package reads "sama"."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[3]
RUNTIME_LOCK = ROOT / "requirements" / "lock.txt"
DEV_LOCK = ROOT / "requirements" / "lock-dev.txt"
HASH = "    --hash=sha256:" + "0" * 64


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("dependencies", *args, stdout=out)
    return out.getvalue()


def _rows(output: str) -> dict[str, list[str]]:
    """The table's rows by package name: [locked, installed, status]; header and summary left out."""
    rows = {}
    for line in output.splitlines()[1:]:
        if "kunci:" in line:
            continue
        name, locked, installed, status = line.split(None, 3)
        rows[name] = [locked, installed, status]
    return rows


def test_the_installed_test_environment_is_exactly_the_dev_lock() -> None:
    output = _run("--lock", str(DEV_LOCK))
    rows = _rows(output)
    assert len(rows) == len([line for line in DEV_LOCK.read_text().splitlines() if "==" in line])
    not_same = {name: row for name, row in rows.items() if row[2] != "sama"}
    assert not_same == {}, "install from the lock: pip install --require-hashes -r requirements/lock-dev.txt"
    assert rows["django"][0] == rows["django"][1]
    assert output.splitlines()[0].split() == ["paket", "terkunci", "terpasang", "status"]
    assert f"{len(rows)} sama, 0 berbeda, 0 tidak terpasang" in output.splitlines()[-1]


def test_without_a_lock_option_the_runtime_lock_shipped_in_the_package_is_read() -> None:
    output = _run()
    assert "waspada/ops/data/lock.txt" in output.splitlines()[-1]
    runtime_names = {line.split("==")[0] for line in RUNTIME_LOCK.read_text().splitlines() if "==" in line}
    assert set(_rows(output)) == runtime_names


def test_a_package_installed_at_another_version_or_not_at_all_is_reported_and_fails(tmp_path: Path) -> None:
    lock = tmp_path / "lock.txt"
    lock.write_text(
        f"django==1.0 \\\n{HASH}\n    # via waspada\n"
        f"pyotp=={_installed('pyotp')} \\\n{HASH}\n"
        f"paket-yang-tidak-ada==2.0 \\\n{HASH}\n"
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("dependencies", "--lock", str(lock), stdout=out)
    rows = _rows(out.getvalue())
    assert rows["django"] == ["1.0", _installed("django"), "berbeda"]
    assert rows["pyotp"][2] == "sama"
    assert rows["paket-yang-tidak-ada"] == ["2.0", "-", "tidak terpasang"]
    assert raised.value.returncode == 1
    assert "1 sama, 1 berbeda, 1 tidak terpasang" in str(raised.value)
    assert "pip install --require-hashes -r" in str(raised.value)


def test_the_command_exits_non_zero_when_the_lock_differs(tmp_path: Path) -> None:
    lock = tmp_path / "lock.txt"
    lock.write_text(f"django==1.0 \\\n{HASH}\n")
    same = tmp_path / "same.txt"
    same.write_text(f"django=={_installed('django')} \\\n{HASH}\n")
    waspada = [sys.executable, "-m", "waspada.cli", "dependencies", "--lock"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "waspada.settings"}
    differs = subprocess.run([*waspada, str(lock)], capture_output=True, text=True, env=env, timeout=120)
    assert differs.returncode == 1, differs.stderr
    assert "berbeda" in differs.stdout and "0 sama, 1 berbeda" in differs.stderr
    matches = subprocess.run([*waspada, str(same)], capture_output=True, text=True, env=env, timeout=120)
    assert matches.returncode == 0, matches.stderr
    assert "1 sama, 0 berbeda, 0 tidak terpasang" in matches.stdout


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "tidak ada"),
        ("# hanya komentar\n--hash=sha256:abc\n", "tidak memuat satu pun baris nama==versi"),
    ],
    ids=["missing", "no-pins"],
)
def test_a_missing_or_empty_lock_file_is_refused_naming_the_file(
    tmp_path: Path, content: str | None, reason: str
) -> None:
    lock = tmp_path / "kunci.txt"
    if content is not None:
        lock.write_text(content)
    with pytest.raises(CommandError) as raised:
        _run("--lock", str(lock))
    assert str(lock) in str(raised.value) and reason in str(raised.value)


def _installed(name: str) -> str:
    return metadata.version(name)
