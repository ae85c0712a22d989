"""Triage choices made without the held-out texts: k-fold cross-validation on ``train.jsonl`` only.

Each fold fits the model (``classify.Model``, with the lexicon documents, as the starting model is
fitted) on the other folds and scores the fold with the evaluation of ``waspada triage evaluate``
(``evaluate.evaluate_rows``: isu, ATHG, level, places, rejection). Folds are stratified by isu and
shuffled with a fixed seed; ``--seeds N`` repeats the whole run with N different shuffles and
averages, which steadies figures that move by one text per fold.

``--hold-lines A-B`` instead fits once on every other line and scores lines A-B (no folds), e.g.
``1-112``: trained on the later texts, scored on the first round, written at another time.

``--score-lines A-B`` scores only the texts on those lines of ``train.jsonl`` (1-based; they are
still split into folds and trained on when not in the scored fold), e.g. ``1-112`` for the first
round. ``heldout.jsonl`` and ``heldout2.jsonl`` are never read.

Usage: python benchmarks/triage_cv.py [--folds 4] [--seeds 3] [--score-lines 1-112 | --hold-lines 1-112]
Ends with one line of key=value figures (means over folds and seeds).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("WASPADA_DATA_DIR", tempfile.mkdtemp(prefix="waspada-bench-triage-cv-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waspada.settings")

import django

django.setup()

from sklearn.model_selection import StratifiedKFold  # noqa: E402

from waspada.triage.classify import DATA, Example, Model, read_jsonl, seed_examples  # noqa: E402
from waspada.triage.evaluate import evaluate_rows  # noqa: E402
from waspada.triage.suggest import default_rules  # noqa: E402

SHOWN = (
    "athg_accuracy",
    "athg_macro_f1",
    "isu_accuracy",
    "isu_macro_f1",
    "level_accuracy",
    "kecamatan_accuracy",
    "non_ew_rejection",
    "false_rejection",
)


def training_texts() -> tuple[list[dict[str, Any]], list[Example], list[Example]]:
    """The rows of ``train.jsonl``, their examples (places masked once, in order), and the
    lexicon's documents."""
    rows = read_jsonl(DATA / "train.jsonl")
    examples = seed_examples(rows)
    return rows, examples[: len(rows)], examples[len(rows) :]


def cross_validate(folds: int, seeds: int, score_lines: tuple[int, int] | None) -> dict[str, float]:
    rows, texts, lexicon = training_texts()
    isu = [row["labels"]["isu"] for row in rows]
    rules = default_rules()
    per_run: dict[str, list[float]] = {name: [] for name in SHOWN}
    for seed in range(seeds):
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        pooled: dict[str, list[tuple[float, int]]] = {name: [] for name in SHOWN}
        for train_index, test_index in splitter.split(rows, isu):
            model = Model().fit([*(texts[i] for i in train_index), *lexicon])
            scored = [
                rows[i]
                for i in test_index
                if score_lines is None or score_lines[0] <= i + 1 <= score_lines[1]
            ]
            if not scored:
                continue
            result = evaluate_rows(scored, model=model, rules=rules)
            weights = {
                "athg": len(scored),
                "isu": len(scored),
                "level": len(scored),
                "kecamatan": result.counts["kecamatan_named"],
                "non": result.counts["non_ew"],
                "false": len(scored) - result.counts["non_ew"],
            }
            for name in SHOWN:
                pooled[name].append((result.figures[name], weights[name.split("_")[0]]))
        for name in SHOWN:
            total = sum(w for _f, w in pooled[name]) or 1
            # Accuracies and shares pooled over the folds (weighted by texts); macro-F1 averaged.
            per_run[name].append(sum(f * w for f, w in pooled[name]) / total)
    return {name: statistics.mean(values) for name, values in per_run.items()} | {
        "athg_accuracy_sd": statistics.pstdev(per_run["athg_accuracy"]),
    }


def hold_out(lines: tuple[int, int]) -> dict[str, float]:
    rows, texts, lexicon = training_texts()
    inside = [i for i in range(len(rows)) if lines[0] <= i + 1 <= lines[1]]
    model = Model().fit([*(t for i, t in enumerate(texts) if i not in inside), *lexicon])
    result = evaluate_rows([rows[i] for i in inside], model=model, rules=default_rules())
    return {name: result.figures[name] for name in SHOWN}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--hold-lines", default="", help="A-B: fit on the other lines, score these")
    parser.add_argument("--score-lines", default="", help="A-B: score only these lines of train.jsonl")
    options = parser.parse_args()
    lines = None
    if options.score_lines:
        first, _, last = options.score_lines.partition("-")
        lines = (int(first), int(last))
    started = time.perf_counter()
    if options.hold_lines:
        first, _, last = options.hold_lines.partition("-")
        figures = hold_out((int(first), int(last)))
        print(f"train.jsonl: fitted on all lines but {options.hold_lines}, scored on them")
    else:
        figures = cross_validate(options.folds, options.seeds, lines)
        scope = f"lines {options.score_lines}" if lines else "all lines"
        print(
            f"{options.folds}-fold cross-validation on train.jsonl, {options.seeds} shuffles, scored: {scope}"
        )
    took = time.perf_counter() - started
    for name, value in figures.items():
        print(f"{name:>20}: {value:.3f}")
    print(f"took {took:.1f} s")
    tail = "" if options.hold_lines else f" folds={options.folds} seeds={options.seeds}"
    print(" ".join(f"{name}={value:.3f}" for name, value in figures.items()) + tail)


if __name__ == "__main__":
    main()
