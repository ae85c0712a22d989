"""The real-sourced corpus (issue 23): every row passes the corpus rules (labels from the lists,
forums by the routing rules, places that are Kemendagri codes inside the row's province, no
Kalimantan Timur or Selatan), and the split by province lets no story, province, rewrite or text
cross from training to test."""

from __future__ import annotations

from collections import Counter
from typing import Any

from waspada.triage.classify import read_jsonl
from waspada.triage.corpus import (
    HELD_OUT_PROVINCES,
    KALIMANTAN,
    TEST,
    TEST_PROVINCES,
    TRAIN,
    leaks,
    problems,
    split,
)


def _row(rid: str, province: str, story: str, text: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "kind": "news",
        "text": text,
        "story": f"{province}-{story}",
        "province": province,
        "source": {"url": "https://example.org/" + rid, "title": "t", "published": "2024-01-01"},
        "labels": {"isu": "narkoba", "athg": "gangguan", "level": "waspada", "forums": ["BNK", "TKD"]},
        **extra,
    }


def test_every_row_keeps_the_corpus_rules() -> None:
    rows = read_jsonl(TRAIN) + read_jsonl(TEST)
    assert problems(rows) == []
    kinds = Counter(row["kind"] for row in rows)
    assert kinds["news"] >= 250 and kinds["negative"] >= 40 and kinds["chat"] >= 40, kinds
    assert {row["labels"]["isu"] for row in rows if row["kind"] == "news"} >= {
        "sara_etnis",
        "agama",
        "agraria_korporasi",
        "politik_pemilu",
        "narkoba",
        "bencana",
        "hoaks",
    }


def test_the_files_are_the_split_by_province_and_nothing_crosses() -> None:
    train, test = read_jsonl(TRAIN), read_jsonl(TEST)
    assert {row["province"] for row in test} <= set(TEST_PROVINCES)
    assert not {row["province"] for row in train} & set(TEST_PROVINCES)
    assert split(train + test) == (train, test)
    assert leaks(train, test) == []
    assert 0.15 <= len(test) / (len(train) + len(test)) <= 0.4


def test_a_story_a_rewrite_or_a_text_on_both_sides_is_named() -> None:
    train = [
        _row("A1", "13", "padang-2024-01-x", "Penggerebekan sabu di Padang, dua orang ditangkap polisi."),
        _row("A2", "12", "medan-2024-02-y", "Kurir ganja diamankan di terminal Medan oleh petugas BNN."),
    ]
    test = [
        {**_row("B1", "13", "padang-2024-01-x", "Tersangka sabu di Padang kini diperiksa penyidik.")},
        _row("B2", "18", "lampung-2024-03-z", "kurir ganja diamankan di terminal medan oleh petugas bnn"),
        {
            **_row("B3", "18", "lampung-2024-03-z", "info: kurir ganja diamankan"),
            "kind": "chat",
            "variant_of": "A2",
        },
    ]
    found = leaks(train, test)
    assert "story 13-padang-2024-01-x di kedua sisi" in found
    assert "province 13 di kedua sisi" in found
    assert "B3: aslinya A2 di sisi lain" in found
    assert any(line.startswith("teks di kedua sisi: kurir ganja") for line in found)


def test_a_row_breaking_the_rules_is_named() -> None:
    good = _row("C1", "13", "padang-2024-01-x", "Penggerebekan sabu di Padang, dua orang ditangkap polisi.")
    assert problems([good]) == []
    wrong_forums = {**good, "id": "C2", "labels": {**good["labels"], "forums": ["TKD"]}}
    kaltim = {**good, "id": "C3", "province": "64", "story": "64-paser-2024-01-x"}
    far_place = {**good, "id": "C4", "labels": {**good["labels"], "kabupaten": "12.71"}}
    orphan = {**good, "id": "C5", "kind": "chat", "variant_of": "C9"}
    found = problems([wrong_forums, kaltim, far_place, orphan])
    assert found[0].startswith("C2: forums harus")
    assert "C3: Kalimantan Timur dan Selatan tidak masuk korpus ini" in found
    assert "C4: kabupaten 12.71 di luar wilayah 13" in found
    assert "C5: chat: variant_of harus id baris sebelumnya" in found


def test_the_kalimantan_set_is_apart_from_what_the_model_learns() -> None:
    kalimantan = read_jsonl(KALIMANTAN)
    assert problems(kalimantan, kalimantan=True) == []
    assert {row["province"] for row in kalimantan} == set(HELD_OUT_PROVINCES)
    learned = read_jsonl(TRAIN)
    assert leaks(learned, kalimantan) == []
    paser = [row for row in kalimantan if str(row["labels"].get("kabupaten") or "").startswith("64.01")]
    assert len(paser) >= 40 and Counter(row["kind"] for row in kalimantan)["negative"] >= 20


def test_a_kalimantan_row_outside_its_provinces_is_named() -> None:
    row = _row("K1", "13", "padang-2024-01-x", "Penggerebekan sabu di Padang, dua orang ditangkap polisi.")
    assert problems([row], kalimantan=True) == [
        "K1: himpunan Kalimantan hanya berisi Kalimantan Timur dan Selatan"
    ]
