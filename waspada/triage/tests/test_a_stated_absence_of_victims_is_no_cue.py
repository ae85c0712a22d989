"""The level's evidence (``cues.py``) is what the text states: "tidak ada korban jiwa" states that
nobody died, so it is no death cue (a walk found a house fire with no victims suggested as
"awas, karena: korban jiwa"). Victims stated beside an absence still count."""

from __future__ import annotations

import pytest

from waspada.triage.cues import CUE_RE, cue_features, cues_of


def names(text: str) -> set[str]:
    return {cue.name for cue in cues_of(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Kebakaran rumah di desa lombok, 1 rumah hangus, tidak ada korban jiwa, api sdh padam",
        "longsor tutup jalan, korban jiwa nihil",
        "banjir surut, tdk ada korban",
        "Tidak ada yang tewas dalam kejadian itu",
    ],
)
def test_no_death_is_stated(text: str) -> None:
    assert "korban_jiwa" not in names(text)
    assert cue_features([text])[0, list(CUE_RE).index("korban_jiwa")] == 0


def test_victims_stated_beside_an_absence_still_count() -> None:
    assert names("tidak ada korban jiwa, 3 warga luka kena lemparan batu") >= {"luka"}
    assert "korban_jiwa" in names("tidak ada yang terluka, tapi satu orang tewas")
    assert "luka" not in names("tidak ada yang terluka, tapi satu orang tewas")
