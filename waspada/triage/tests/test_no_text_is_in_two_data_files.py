"""The development texts are kept apart: no text is in more than one data file (nor twice in one).

Texts are compared folded (lower case, runs of spaces and punctuation as one space), so a copy that
differs only in capitals or a full stop still counts as the same text."""

from __future__ import annotations

import json
from collections import Counter

from waspada.triage.classify import DATA
from waspada.triage.corpus import folded


def texts_by_file() -> dict[str, list[str]]:
    return {
        path.name: [
            folded(json.loads(line)["text"]) for line in path.read_text("utf-8").splitlines() if line.strip()
        ]
        for path in sorted(DATA.glob("*.jsonl"))
    }


def test_every_data_file_is_read() -> None:
    files = texts_by_file()
    assert {"train.jsonl", "heldout.jsonl", "heldout2.jsonl"} <= set(files)
    assert all(files.values())
    assert len(files["train.jsonl"]) + len(files["heldout.jsonl"]) >= 250


def test_no_text_appears_in_two_files_or_twice_in_one() -> None:
    seen: Counter[str] = Counter()
    where: dict[str, list[str]] = {}
    for name, texts in texts_by_file().items():
        for text in texts:
            seen[text] += 1
            where.setdefault(text, []).append(name)
    repeated = {text[:60]: where[text] for text, count in seen.items() if count > 1}
    assert repeated == {}


def test_the_folding_catches_a_copy_that_differs_only_in_case_and_punctuation() -> None:
    assert folded("Banjir di Desa Lombok, warga mengungsi.") == folded(
        "banjir  di desa lombok warga mengungsi"
    )
