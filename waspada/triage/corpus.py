"""The real-sourced corpus (``data/real_train.jsonl``, ``data/real_test.jsonl``): what a row holds,
the checks every row passes, and the split that cannot leak.

Each row is a paraphrase of one event in a public Indonesian source (news, police or government
release), labelled by the written rules of ``data/README.md``; see that file for how it was made.
Beside ``text`` and ``labels`` (the shape ``evaluate.py`` reads) a row carries:

``id``           ``A0001``…: the labeller's letter and a number
``kind``         ``news`` (early-warning material), ``negative`` (a hard negative: a real event that
                 looks like one but is not) or ``chat`` (a chat/SMS rewrite of another row)
``variant_of``   for ``chat``: the id of the row it rewrites (same labels, same story)
``negative_kind`` for ``negative``: ``simulasi``, ``festival``, ``keagamaan``, ``olahraga``,
                 ``peringatan``, ``peluncuran``, ``perbaikan_selesai``, ``statistik``,
                 ``pendaftaran`` or ``lainnya``
``story``        one id for an event and all its follow-ups (``<province>-<regency>-<yyyy-mm>-<slug>``)
``province``     the event's two-digit Kemendagri province code
``source``       ``{"url", "title", "publisher", "published"}`` (``{}`` allowed for ``chat``)
``labeller``     who labelled it, and when

``labels.cues`` lists the level cues the text states (``CUES``). Places are Kemendagri codes.

**The split** is by province: every row of a test province is in ``real_test.jsonl``, every other
row in ``real_train.jsonl``. A story never crosses a province, and a chat rewrite keeps its
original's story, so a story and its follow-ups, and a passage and its rewrite, are always on one
side. ``leaks`` states what would break that; a test runs it on the files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from waspada.triage.classify import DATA, read_jsonl
from waspada.triage.lexicon import ATHG_WORDS, ISU_WORDS
from waspada.triage.suggest import LEVEL_ORDER

TRAIN = DATA / "real_train.jsonl"
TEST = DATA / "real_test.jsonl"
# Kalimantan Timur and Selatan, Paser's own province and its neighbour: never trained on, measured
# on its own (the texts closest to what Paser's members will write).
KALIMANTAN = DATA / "real_kalimantan.jsonl"

# Chosen on 2026-12-07 from the number of rows per province only, before any model was run on the
# corpus: one or two provinces from each of the five labellers' regions, about a quarter of the rows.
TEST_PROVINCES = ("13", "18", "35", "72", "82")

KINDS = ("news", "negative", "chat")
NEGATIVE_KINDS = (
    "simulasi",
    "festival",
    "keagamaan",
    "olahraga",
    "peringatan",
    "peluncuran",
    "perbaikan_selesai",
    "statistik",
    "pendaftaran",
    "lainnya",
)
CUES = ("korban_jiwa", "luka", "senjata", "massa", "meluas", "tenggat", "rentan")
HELD_OUT_PROVINCES = ("63", "64")  # Kalimantan Selatan and Timur: kept for an independent measurement
# The label sets: the lexicon's classes (17 isu and ``none``; four ATHG kinds) and the levels in order.
ISU = tuple(ISU_WORDS)
ATHG = (*ATHG_WORDS, "none")
LEVELS = tuple(LEVEL_ORDER)


def problems(rows: Sequence[dict[str, Any]], *, kalimantan: bool = False) -> list[str]:
    """Every way ``rows`` break the corpus rules (empty when they hold), one line each. The
    Kalimantan set (``kalimantan=True``) holds only rows of ``HELD_OUT_PROVINCES``; the corpus none."""
    from waspada.triage.gazetteer import DESA, KABUPATEN, KECAMATAN, gazetteer
    from waspada.triage.suggest import default_rules, route

    places = gazetteer().places
    rules = default_rules()
    out: list[str] = []
    ids: dict[str, dict[str, Any]] = {}
    story_province: dict[str, str] = {}
    for row in rows:
        rid = str(row.get("id"))

        def bad(message: str, rid: str = rid) -> None:
            out.append(f"{rid}: {message}")

        if rid in ids:
            bad("id dua kali")
        ids[rid] = row
        kind = row.get("kind")
        labels = row.get("labels") or {}
        isu, athg, level = labels.get("isu"), labels.get("athg"), labels.get("level")
        if kind not in KINDS:
            bad(f"kind {kind!r}")
        if isu not in ISU or athg not in ATHG or level not in LEVELS:
            bad(f"label tidak dikenal: {isu!r} {athg!r} {level!r}")
            continue
        if (isu == "none") != (athg == "none") or (isu == "none" and level != "normal"):
            bad("teks bukan peringatan dini: isu dan athg none, tingkat normal")
        if kind == "negative" and (isu != "none" or row.get("negative_kind") not in NEGATIVE_KINDS):
            bad("negatif: isu none dan negative_kind yang dikenal")
        if kind == "news" and isu == "none":
            bad("news harus bahan peringatan dini")
        if kind == "chat":
            original = ids.get(str(row.get("variant_of")))
            if original is None:
                bad("chat: variant_of harus id baris sebelumnya")
            elif original.get("story") != row.get("story") or any(
                (original.get("labels") or {}).get(field) != labels.get(field)
                for field in ("isu", "athg", "level")
            ):
                bad("chat: cerita, isu, ATHG dan tingkat sama dengan aslinya")
        elif not (row.get("source") or {}).get("url"):
            bad("sumber tanpa url")
        if (str(row.get("province")) in HELD_OUT_PROVINCES) != kalimantan:
            bad(
                "himpunan Kalimantan hanya berisi Kalimantan Timur dan Selatan"
                if kalimantan
                else "Kalimantan Timur dan Selatan tidak masuk korpus ini"
            )
        first = story_province.setdefault(str(row.get("story")), str(row.get("province")))
        if first != str(row.get("province")):
            bad(f"cerita {row.get('story')} di dua provinsi ({first}, {row.get('province')})")
        if any(cue not in CUES for cue in labels.get("cues", [])):
            bad(f"cue tidak dikenal: {labels.get('cues')}")
        if sorted(labels.get("forums", [])) != route(isu, level, rules):
            bad(f"forums harus {route(isu, level, rules)}")
        parents = [str(row.get("province"))]
        for name, kind_level in (("kabupaten", KABUPATEN), ("kecamatan", KECAMATAN), ("desa", DESA)):
            codes = [part.strip() for part in str(labels.get(name) or "").split(";") if part.strip()]
            for code in codes:
                place = places.get(code)
                if place is None or place.level != kind_level:
                    bad(f"{name} {code!r} bukan kode {name}")
                elif not any(code.startswith(parent + ".") for parent in parents):
                    bad(f"{name} {code} di luar wilayah {'/'.join(parents)}")
            parents = codes or parents
    return out


def leaks(train: Iterable[dict[str, Any]], test: Iterable[dict[str, Any]]) -> list[str]:
    """What the split lets cross from one side to the other: a story, a province, a rewrite whose
    original is on the other side, the same text (folded) on both."""
    train, test = list(train), list(test)
    out: list[str] = []
    for key in ("story", "province"):
        both = {str(r.get(key)) for r in train} & {str(r.get(key)) for r in test}
        out += [f"{key} {value} di kedua sisi" for value in sorted(both)]
    for rows in (train, test):
        ids = {r["id"] for r in rows}
        out += [
            f"{r['id']}: aslinya {r['variant_of']} di sisi lain"
            for r in rows
            if r.get("kind") == "chat" and r.get("variant_of") not in ids
        ]
    texts = {folded(r["text"]) for r in train} & {folded(r["text"]) for r in test}
    out += [f"teks di kedua sisi: {t[:50]}" for t in sorted(texts)]
    return out


def folded(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def split(
    rows: Sequence[dict[str, Any]], test_provinces: Sequence[str] = TEST_PROVINCES
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``rows`` as (train, test): a test province's rows to test, the rest to train, in order."""
    test = [r for r in rows if str(r.get("province")) in test_provinces]
    train = [r for r in rows if str(r.get("province")) not in test_provinces]
    return train, test


def write_split(sources: Sequence[Path], train_path: Path = TRAIN, test_path: Path = TEST) -> tuple[int, int]:
    """Read the labellers' files, check them, split them and write both files (raises on any
    problem, writing nothing)."""
    rows = [row for path in sources for row in read_jsonl(path)]
    found = problems(rows)
    if found:
        raise ValueError("; ".join(found[:20]))
    train, test = split(rows)
    found = leaks(train, test)
    if found:
        raise ValueError("; ".join(found[:20]))
    for path, part in ((train_path, train), (test_path, test)):
        with path.open("w", encoding="utf-8") as handle:
            for row in part:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(train), len(test)
