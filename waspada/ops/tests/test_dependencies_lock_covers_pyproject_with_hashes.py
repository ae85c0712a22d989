"""The lock files: every dependency of pyproject.toml pinned within its range, each pin hashed,
the runtime lock a part of the dev lock at the same versions, and the package's copy identical.

Read from the checkout (the tests run there); no network.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from waspada.ops.dependencies import PACKAGED_LOCK, read_lock

ROOT = Path(__file__).resolve().parents[3]
RUNTIME_LOCK = ROOT / "requirements" / "lock.txt"
DEV_LOCK = ROOT / "requirements" / "lock-dev.txt"


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _pins(path: Path) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in read_lock(path)}


def _blocks(path: Path) -> dict[str, str]:
    """Each pin's whole entry ("name==version \\" and its --hash lines), comments left out."""
    blocks: dict[str, str] = {}
    name = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("#") or not line.strip():
            continue
        if not line[0].isspace():
            name = canonicalize_name(line.split("==")[0])
            blocks[name] = line
        elif name is not None:
            blocks[name] += "\n" + line
    return blocks


def _assert_locked(requirements: list[str], lock: Path) -> None:
    pins = _pins(lock)
    for text in requirements:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{lock.name} does not pin {requirement.name}"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock.name} pins {name}=={pins[name]}, outside pyproject's {requirement.specifier}"
        )
        for extra in requirement.extras:  # psycopg[binary] brings psycopg-binary, and so on
            for needed in metadata.requires(requirement.name) or []:
                needed_requirement = Requirement(needed)
                marker = needed_requirement.marker
                if marker is not None and marker.evaluate({"extra": extra}) and "extra" in str(marker):
                    assert canonicalize_name(needed_requirement.name) in pins, (
                        f"{lock.name} lacks {needed_requirement.name}, needed by {requirement.name}[{extra}]"
                    )


def test_the_runtime_lock_pins_every_dependency_of_pyproject_within_its_range() -> None:
    _assert_locked(_project()["dependencies"], RUNTIME_LOCK)


def test_the_dev_lock_pins_every_dependency_and_every_dev_extra_within_its_range() -> None:
    project = _project()
    _assert_locked(project["dependencies"] + project["optional-dependencies"]["dev"], DEV_LOCK)


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, DEV_LOCK], ids=["lock.txt", "lock-dev.txt"])
def test_every_locked_package_is_an_exact_version_with_sha256_hashes(lock: Path) -> None:
    blocks = _blocks(lock)
    assert len(blocks) >= 20
    for name, block in blocks.items():
        first = block.splitlines()[0]
        assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*==[^\s=]+ \\", first), f"not an exact pin: {first!r}"
        hashes = re.findall(r"--hash=sha256:([0-9a-f]+)", block)
        assert hashes, f"{name} in {lock.name} has no sha256 hash"
        assert all(len(h) == 64 for h in hashes), f"{name} in {lock.name} has a malformed hash"
    # Nothing else: no index, find-links or editable lines, which would install outside the hashes.
    options = [line for line in lock.read_text().splitlines() if line.startswith("-")]
    assert options == []


def test_the_runtime_lock_is_part_of_the_dev_lock_with_the_same_versions_and_hashes() -> None:
    runtime, dev = _blocks(RUNTIME_LOCK), _blocks(DEV_LOCK)
    assert set(runtime) < set(dev)
    for name, block in runtime.items():
        assert block == dev[name], f"{name} differs between lock.txt and lock-dev.txt"


def test_the_lock_shipped_inside_the_package_is_the_runtime_lock_byte_for_byte() -> None:
    assert PACKAGED_LOCK.read_bytes() == RUNTIME_LOCK.read_bytes(), (
        "waspada/ops/data/lock.txt differs from requirements/lock.txt: run scripts/lock"
    )
