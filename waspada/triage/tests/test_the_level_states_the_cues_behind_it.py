"""Issue 23, point 5: an alert level rests on what the text states — deaths, injuries, weapons, a
crowd, spread to other villages, a deadline, a vulnerable group — and the suggestion names those
cues with the words that state them (the form, the API and the chat reply)."""

from __future__ import annotations

import pytest

from waspada.triage.cues import cue_features, cues_of
from waspada.triage.suggest import suggest


def _found(text: str) -> dict[str, list[str]]:
    return {cue.name: cue.words for cue in cues_of(text)}


def test_each_cue_is_found_with_the_words_that_state_it() -> None:
    found = _found(
        "Dua warga tewas dan lima luka dibacok parang setelah ratusan pemuda berkumpul; "
        "kelompok itu memberi ultimatum 2x24 jam dan bentrok merembet ke desa tetangga, "
        "anak-anak diungsikan."
    )
    assert found["korban_jiwa"] == ["tewas"]
    assert found["luka"] == ["luka", "dibacok"]
    assert found["senjata"] == ["parang"]
    assert "ratusan" in found["massa"]
    assert "ultimatum" in found["tenggat"]
    assert set(found["meluas"]) >= {"merembet", "desa tetangga"}
    assert "anak-anak" in found["rentan"]


def test_chat_spelling_counts_and_look_alike_words_do_not() -> None:
    assert _found("info kmrn 1 org mninggal, warga bawa sajam")["korban_jiwa"] == ["mninggal"]
    assert _found("info kmrn 1 org mninggal, warga bawa sajam")["senjata"] == ["sajam"]
    assert "senjata" not in _found("Harga tembakau di pasar naik, petani mengeluh.")
    assert cues_of("Rapat koordinasi FKDM dijadwalkan Senin pagi di aula kecamatan.") == []


def test_the_cues_are_features_of_their_own() -> None:
    rows = cue_features(["Tiga orang tewas ditembak.", "Rapat rutin di balai desa."])
    assert rows.shape == (2, 7)
    assert rows[0].tolist() == [1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]  # dead, and "ditembak": a weapon
    assert rows[1].tolist() == [0.0] * 7


@pytest.mark.django_db
def test_the_suggestion_names_its_cues_and_a_text_that_is_not_early_warning_has_none() -> None:
    shown = suggest("Bentrok antar pemuda di Desa Lombok, seorang tewas terkena panah.").as_dict()
    cues = {c["cue"]: c for c in shown["alert_level"]["cues"]}
    assert cues["korban_jiwa"]["words"] == ["tewas"] and cues["korban_jiwa"]["label"] == "korban jiwa"
    assert cues["senjata"]["words"] == ["panah"]
    quiet = suggest("Selamat pagi bapak ibu, terima kasih atas undangan rapat besok.").as_dict()
    assert quiet["is_early_warning"] is False and quiet["alert_level"]["cues"] == []


@pytest.mark.django_db
def test_the_chat_reply_says_why_the_level(personas) -> None:  # type: ignore[no-untyped-def]
    from waspada.chat.commands import _from_free_text

    values, note = _from_free_text(
        "Bentrok warga di Desa Lombok Kec. Long Ikis, dua orang tewas dan rumah dibakar massa",
        personas.desa_reporter,
    )
    assert f"Tingkat {values['tingkat']} karena teks menyebut: korban jiwa (tewas)" in note
    assert "pengerahan massa (" in note and "bentrok" in note
