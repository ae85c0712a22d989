"""Issue 23, point 6: a suggestion's confidence is calibrated (the share of such suggestions that
were right, measured out of fold on the real-sourced training split), and under one half the
field is "not sure": the two best choices travel with it, the chat reply says so, and the
evaluation reports coverage and accuracy when sure."""

from __future__ import annotations

import pytest

from waspada.triage import confidence
from waspada.triage.classify import Prediction
from waspada.triage.suggest import judged, suggest


def test_under_one_half_the_field_is_not_sure_and_names_its_two_best_choices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(confidence, "CALIBRATE", False)
    raw = Prediction("agama", 0.30, ["gereja"], {"agama": 0.30, "ormas_kelompok": 0.25, "none": 0.45})
    found = judged("isu", raw, skip={"none"})
    assert found.value == "agama" and found.sure is False
    assert [value for value, _share in found.choices] == ["agama", "ormas_kelompok"]
    assert found.choices[0][1] == pytest.approx(0.30 / 0.55)
    shown = found.as_dict()
    assert shown["sure"] is False and shown["choices"][1]["value"] == "ormas_kelompok"
    assert judged("isu", Prediction("agama", 0.8, [], {"agama": 0.8, "none": 0.2}), skip={"none"}).sure


def test_the_calibration_maps_a_higher_raw_confidence_to_a_higher_share_right() -> None:
    table = confidence._table()
    assert set(table["fields"]) == {"ew", "isu", "athg", "level"}
    assert "real_train.jsonl" in table["how"]
    for name in ("isu", "athg", "level"):
        shares = [confidence.calibrated(name, raw) for raw in (0.2, 0.4, 0.6, 0.8, 0.99)]
        assert shares == sorted(shares) and 0.0 <= shares[0] and shares[-1] <= 1.0
        assert shares[-1] > shares[0]
    assert confidence.calibrated("isu", 0.99) > 0.8  # very sure suggestions were mostly right


@pytest.mark.django_db
def test_the_chat_reply_names_what_it_is_not_sure_of(personas, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from waspada.chat.commands import _from_free_text

    monkeypatch.setattr(confidence, "SURE_AT", 1.01)  # nothing is sure enough
    _values, note = _from_free_text(
        "Warga Desa Lombok Kec. Long Ikis ribut soal lahan", personas.desa_reporter
    )
    assert "Belum yakin tentang isu (" in note and "analis akan memastikannya saat verifikasi" in note


def test_a_suggestion_carries_sure_and_choices_for_every_field() -> None:
    shown = suggest("Bentrok antar pemuda di Desa Lombok, seorang tewas terkena panah.").as_dict()
    for name in ("isu", "athg", "alert_level"):
        assert isinstance(shown[name]["sure"], bool)
        assert 1 <= len(shown[name]["choices"]) <= 2
        assert shown[name]["choices"][0]["value"] == shown[name]["value"]
