"""At fitting, lexicon words the training texts contradict are dropped; ATHG reads aspect markers."""

from __future__ import annotations

from waspada.triage.classify import ASPECT, Example, aspect_features, prune_lexicon


def test_a_word_the_training_texts_contradict_is_dropped_and_a_supported_one_kept() -> None:
    examples = [
        Example("jalan desa rusak parah", {"isu": "infrastruktur_logistik"}),
        Example("jalan ke kantor camat ditutup massa", {"isu": "ormas_kelompok"}),
        Example("warga blokir jalan tuntut ganti rugi", {"isu": "agraria_korporasi"}),
        Example("jalan tani ditanami pisang sebagai protes", {"isu": "agraria_warga"}),
        Example("jembatan putus tidak bisa dilewati", {"isu": "infrastruktur_logistik"}),
        Example("jembatan gantung putus lagi", {"isu": "infrastruktur_logistik"}),
        Example("jembatan kayu ambruk, anak sekolah memutar", {"isu": "infrastruktur_logistik"}),
        # The lexicon's own document does not count as evidence.
        Example("jalan jalan jalan", {"isu": "infrastruktur_logistik"}, from_lexicon=True),
    ]
    kept = prune_lexicon(examples, "isu", {"infrastruktur_logistik": "jalan jembatan pdam"})
    # "jalan": 4 texts, 1 of them infrastructure (< 0.4): dropped. "jembatan": 3 of 3: kept.
    # "pdam": never seen, so nothing contradicts it: kept.
    assert kept == {"infrastruktur_logistik": "jembatan pdam"}


def test_aspect_markers_count_announced_done_stalled_and_asked() -> None:
    rows = aspect_features(
        [
            "mereka akan serbu besok kalau tidak dipenuhi",
            "pagar sudah dirusak tadi malam",
            "bantuan belum cair, pembangunan tertunda",
            "warga minta kejelasan",
        ]
    ).toarray()
    kinds = list(ASPECT)
    assert rows[0][kinds.index("future")] == 1.0  # akan, besok, kalau: capped at 3
    assert rows[1][kinds.index("done")] > 0 and rows[1][kinds.index("passive")] > 0
    assert rows[1][kinds.index("future")] == 0
    assert rows[2][kinds.index("stalled")] > 0
    assert rows[3][kinds.index("asks")] > 0 and rows[3][kinds.index("done")] == 0
