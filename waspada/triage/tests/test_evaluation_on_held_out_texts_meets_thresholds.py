"""The evaluation command on the held-out development texts, with thresholds that catch a regression."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management import call_command

from waspada.triage.classify import DATA, starting_model
from waspada.triage.evaluate import evaluate_file


def figures(output: str) -> dict[str, float]:
    last = output.strip().splitlines()[-1]
    return {key: float(value) for key, value in (pair.split("=") for pair in last.split())}


def test_held_out_figures_stay_above_the_measured_floor(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "pred.jsonl"
    call_command("triage", "evaluate", str(DATA / "heldout.jsonl"), "--out", str(out), "--starting-model")
    f = figures(capsys.readouterr().out)
    assert f["texts"] == 56
    # Measured on this set 2026-12-05 (docs/triage.md): isu macro-F1 0.858 (accuracy 0.875), ATHG
    # 0.714 (40 of 56), level 0.732, kecamatan 0.959, desa 0.952, rejection 1.0 (8 texts). Since
    # 2026-12-07 the starting model also learns the real-sourced texts and has a first stage for
    # rejection (issue 23): isu 0.857 (0.875), ATHG 0.643, level 0.661, kecamatan 0.959, desa
    # 0.952, rejection 1.0, false rejection 0.062 (3 of 48). The floors leave about one text of
    # slack (one text is 0.018 here) for library versions.
    assert f["isu_macro_f1"] >= 0.82
    assert f["isu_accuracy"] >= 0.84
    assert f["athg_accuracy"] >= 0.62
    assert f["level_accuracy"] >= 0.64
    assert f["kecamatan_accuracy"] >= 0.9
    assert f["desa_accuracy"] >= 0.9
    assert f["non_ew_rejection"] >= 0.85
    assert f["false_rejection"] <= 0.09
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 56
    first = json.loads(lines[0])["labels"]
    assert set(first) == {"athg", "isu", "level", "kabupaten", "kecamatan", "desa", "forums"}


def test_second_held_out_set_figures_stay_above_the_measured_floor(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("triage", "evaluate", str(DATA / "heldout2.jsonl"), "--starting-model")
    f = figures(capsys.readouterr().out)
    assert f["texts"] == 79
    # Measured once on this set 2026-12-05 (docs/triage.md): isu macro-F1 0.923 (accuracy 0.924),
    # ATHG 0.848 (67 of 79), level 0.696, kecamatan 0.986, desa 0.950, rejection 1.0 (8 texts),
    # false rejection 0.014. With the real-sourced texts learned (2026-12-07, issue 23): isu 0.838
    # (0.848), ATHG 0.835, level 0.633, kecamatan 1.0, desa 0.950, rejection 1.0, false rejection
    # 0.028: the one author's style is matched less closely. Floors about two texts below (one
    # text is 0.013 here).
    assert f["isu_macro_f1"] >= 0.80
    assert f["isu_accuracy"] >= 0.82
    assert f["athg_accuracy"] >= 0.80
    assert f["level_accuracy"] >= 0.60
    assert f["kecamatan_accuracy"] >= 0.95
    assert f["desa_accuracy"] >= 0.9
    assert f["non_ew_rejection"] >= 0.85
    assert f["false_rejection"] <= 0.06


def test_real_sourced_test_split_figures_stay_above_the_measured_floor(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("triage", "evaluate", str(DATA / "real_test.jsonl"), "--starting-model")
    f = figures(capsys.readouterr().out)
    assert f["texts"] == 390
    # Measured on this split 2026-12-07 17:19 UTC (docs/triage.md; issue 23's targets in
    # brackets): ATHG 0.723 (0.70), isu macro-F1 0.638 (0.80; accuracy 0.715), level 0.721
    # (0.65), rejection 0.844 of 77 (0.85) with false rejection 0.016 (0.05), kecamatan 0.931 where
    # named (0.95). Sure answers: isu 0.885 of the texts at 0.768 accuracy, ATHG 0.895 at 0.768,
    # level 0.823 at 0.773. Floors about two texts below (one text is 0.003; of the 77, 0.013).
    assert f["athg_accuracy"] >= 0.70
    assert f["isu_macro_f1"] >= 0.61
    assert f["isu_accuracy"] >= 0.69
    assert f["level_accuracy"] >= 0.70
    assert f["non_ew_rejection"] >= 0.81
    assert f["false_rejection"] <= 0.03
    assert f["kecamatan_accuracy"] >= 0.91
    assert f["isu_accuracy_sure"] > f["isu_accuracy"]  # abstaining where unsure is worth something
    assert 0.7 <= f["isu_coverage"] < 1.0


def test_predictions_follow_the_input_order_with_codes(tmp_path: Path) -> None:
    source = tmp_path / "two.jsonl"
    source.write_text(
        json.dumps({"text": "Banjir rendam Desa Lombok Kec. Long Ikis, warga mengungsi", "labels": {}})
        + "\n"
        + json.dumps({"text": "terima kasih pak, rapat besok jam 9", "labels": {"isu": "none"}})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = evaluate_file(source, out=out, model=starting_model())
    rows = [json.loads(line)["labels"] for line in out.read_text("utf-8").splitlines()]
    assert rows[0]["isu"] == "bencana"
    assert rows[0]["desa"] == "64.01.06.2006"
    assert rows[0]["kecamatan"] == "64.01.06"
    assert "TKD" in rows[0]["forums"]
    assert rows[1]["isu"] == "none" and rows[1]["forums"] == []
    assert result.figures["non_ew_rejection"] == 1.0


def test_a_broken_line_is_refused_with_its_line_number(tmp_path: Path) -> None:
    import pytest
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok", "labels": {}}\n{bukan json\n', encoding="utf-8")
    with pytest.raises(CommandError, match="baris 2"):
        call_command("triage", "evaluate", str(bad))
