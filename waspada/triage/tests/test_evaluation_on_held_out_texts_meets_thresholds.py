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
    # 0.952, rejection 1.0, false rejection 0.062 (3 of 48). With the second round of real text
    # (20:04 UTC, 1,477 training rows): isu 0.859 (0.875), ATHG 0.607 (two texts fewer), level
    # 0.643, the rest unchanged. With labeller L's 137 training rows (2026-12-07 23:50 UTC, 1,614
    # rows): isu 0.864 (0.875), ATHG 0.625, level 0.607 (two texts fewer: floor lowered by two),
    # false rejection 0.083 (4 of 48). The floors leave about one text of slack (one text is
    # 0.018 here) for library versions.
    assert f["isu_macro_f1"] >= 0.82
    assert f["isu_accuracy"] >= 0.84
    assert f["athg_accuracy"] >= 0.58
    assert f["level_accuracy"] >= 0.58
    assert f["kecamatan_accuracy"] >= 0.9
    assert f["desa_accuracy"] >= 0.9
    assert f["non_ew_rejection"] >= 0.85
    assert f["false_rejection"] <= 0.11
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
    assert f["texts"] == 481
    # Measured on this split 2026-12-07 20:04 UTC (docs/triage.md; issue 23's targets in
    # brackets), 481 texts after labeller G's 91: ATHG 0.742 (0.70), isu macro-F1 0.721 (0.80;
    # accuracy 0.748), level 0.746 (0.65), rejection 0.835 of 85 (0.85) with false rejection
    # 0.013 (0.05), kecamatan 0.927 where named (0.95). Sure answers: isu 0.861 of the texts at
    # 0.802, ATHG 0.904 at 0.779, level 0.954 at 0.758. Floors about two texts below. After the
    # third round of place reading (2026-12-07 23:10 UTC: ports and airports, shortened and
    # joined regency names, "village, kecamatan", acronyms in chats): kecamatan 0.950 (17 of 341
    # wrong), kabupaten 0.918, desa 0.900; ATHG 0.744, isu macro-F1 0.719 (0.746), the rest as
    # before (the masked place names move one or two texts). With labeller L's 137 training rows
    # and the calibration refitted (23:50 UTC): ATHG 0.748, isu macro-F1 0.720 (0.746), level
    # 0.753, rejection 0.835, false rejection 0.015, kecamatan 0.950.
    assert f["athg_accuracy"] >= 0.72
    assert f["isu_macro_f1"] >= 0.70
    assert f["isu_accuracy"] >= 0.73
    assert f["level_accuracy"] >= 0.72
    assert f["non_ew_rejection"] >= 0.81
    assert f["false_rejection"] <= 0.03
    assert f["kecamatan_accuracy"] >= 0.94
    assert f["isu_accuracy_sure"] > f["isu_accuracy"]  # abstaining where unsure is worth something
    assert 0.7 <= f["isu_coverage"] < 1.0


def test_the_kalimantan_set_figures_stay_above_the_measured_floor(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("triage", "evaluate", str(DATA / "real_kalimantan.jsonl"), "--starting-model")
    f = figures(capsys.readouterr().out)
    assert f["texts"] == 174
    # Kalimantan Timur and Selatan (44 passages of them from Paser), never trained on; measured
    # 2026-12-07 20:04 UTC: ATHG 0.805, isu macro-F1 0.785 (accuracy 0.799), level 0.730,
    # rejection 1.0 of 30 with false rejection 0.021, kecamatan 0.986 where named. Floors about
    # two to four texts below (one text is 0.006 here; of the 30 negatives, 0.033). After the
    # third round of place reading (23:10 UTC): ATHG 0.787, isu macro-F1 0.782 (0.793), level
    # 0.736, false rejection 0.028, places unchanged (cross-validated by province on the training
    # side the same change left ATHG at 0.764 and moved isu macro-F1 0.769 -> 0.771). With
    # labeller L's rows (23:50 UTC): ATHG 0.793, isu macro-F1 0.771 (0.793), level 0.741,
    # rejection 1.0, false rejection 0.021. With no victim cue from a stated absence ("tidak ada
    # korban jiwa", 2026-12-08 00:10 UTC): level 0.753, the rest unchanged.
    assert f["athg_accuracy"] >= 0.77
    assert f["isu_macro_f1"] >= 0.75
    assert f["isu_accuracy"] >= 0.77
    assert f["level_accuracy"] >= 0.70
    assert f["non_ew_rejection"] >= 0.93
    assert f["false_rejection"] <= 0.05
    assert f["kecamatan_accuracy"] >= 0.96


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
