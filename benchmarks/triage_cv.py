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

``--real`` instead cross-validates on the real-sourced training split (``real_train.jsonl``,
issue 23): folds grouped by story (a story, its follow-ups and its chat rewrites always in one
fold) and stratified by isu as far as the groups allow; ``--train-on`` says what each fold's model
learns from: ``written`` (``train.jsonl`` only: today's starting model, the same in every fold),
``real`` (the other folds) or ``both`` (the other folds and ``train.jsonl``).
``real_test.jsonl`` is never read.

Usage: python benchmarks/triage_cv.py [--folds 4] [--seeds 3] [--score-lines 1-112 | --hold-lines 1-112]
       python benchmarks/triage_cv.py --real [--train-on written|real|both] [--folds 4] [--seeds 3]
Ends with one line of key=value figures (means over folds and seeds).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("WASPADA_DATA_DIR", tempfile.mkdtemp(prefix="waspada-bench-triage-cv-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waspada.settings")

import django

django.setup()

import numpy as np  # noqa: E402
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


Pooled = dict[str, list[tuple[float, int]]]


def pool(pooled: Pooled, result: Any, texts: int) -> None:
    """Add one fold's figures, each with the number of texts it is a share of."""
    weights = {
        "athg": texts,
        "isu": texts,
        "level": texts,
        "kecamatan": result.counts["kecamatan_named"],
        "non": result.counts["non_ew"],
        "false": texts - result.counts["non_ew"],
    }
    for name in SHOWN:
        pooled[name].append((result.figures[name], weights[name.split("_")[0]]))


def close_run(pooled: Pooled, per_run: dict[str, list[float]]) -> None:
    """One shuffle's figures: accuracies and shares pooled over its folds (weighted by texts)."""
    for name in SHOWN:
        total = sum(w for _f, w in pooled[name]) or 1
        per_run[name].append(sum(f * w for f, w in pooled[name]) / total)


def means(per_run: dict[str, list[float]]) -> dict[str, float]:
    return {name: statistics.mean(values) for name, values in per_run.items()} | {
        "athg_accuracy_sd": statistics.pstdev(per_run["athg_accuracy"]),
    }


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
            pool(pooled, result, len(scored))
        close_run(pooled, per_run)
    return means(per_run)


def real_folds(
    folds: int, seeds: int, train_on: str, group_by: str = "story"
) -> Iterator[tuple[int, Model, list[dict[str, Any]]]]:
    """(shuffle, the fold's fitted model, the fold's rows to score) for every fold of every
    shuffle of ``real_train.jsonl``: folds grouped by story (or by province, as the test split is
    made), stratified by isu as far as the groups allow; the model learns what ``train_on`` says."""
    from sklearn.model_selection import StratifiedGroupKFold

    from waspada.triage.corpus import TRAIN

    rows = read_jsonl(TRAIN)
    texts = seed_examples(rows)[: len(rows)]
    _written_rows, written, lexicon = training_texts()
    isu = [row["labels"]["isu"] for row in rows]
    stories = [row[group_by] for row in rows]
    for seed in range(seeds):
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        for train_index, test_index in splitter.split(rows, isu, stories):
            learn = [] if train_on == "written" else [texts[i] for i in train_index]
            if train_on in ("written", "both"):
                learn += written
            yield seed, Model().fit([*learn, *lexicon]), [rows[i] for i in test_index]


def real_cross_validate(folds: int, seeds: int, train_on: str, group_by: str = "story") -> dict[str, float]:
    rules = default_rules()
    per_run: dict[str, list[float]] = {name: [] for name in SHOWN}
    pooled: Pooled = {name: [] for name in SHOWN}
    current = 0
    for seed, model, scored in real_folds(folds, seeds, train_on, group_by):
        if seed != current:
            close_run(pooled, per_run)
            pooled, current = {name: [] for name in SHOWN}, seed
        pool(pooled, evaluate_rows(scored, model=model, rules=rules), len(scored))
    close_run(pooled, per_run)
    return means(per_run)


def calibrate(folds: int, train_on: str, write: bool) -> dict[str, float]:
    """Out-of-fold raw confidences against being right, per field, with calibration off: an
    isotonic map fitted on one shuffle's folds is checked on another shuffle's (reliability and
    the share of sure answers with their accuracy); ``write`` saves the map fitted on both to
    ``data/calibration.json``."""
    import json
    from datetime import UTC, datetime

    from sklearn.isotonic import IsotonicRegression

    from waspada.triage import confidence
    from waspada.triage.corpus import TRAIN
    from waspada.triage.suggest import suggest_many

    confidence.CALIBRATE = False
    rows = read_jsonl(TRAIN)
    rules = default_rules()
    fields = ("ew", "isu", "athg", "level")
    runs: list[dict[str, list[tuple[float, bool]]]] = [{name: [] for name in fields} for _seed in (0, 1)]
    for seed, model, scored in real_folds(folds, 2, train_on):
        found = runs[seed]
        suggestions = suggest_many([r["text"] for r in scored], rules=rules, model=model)
        for row, s in zip(scored, suggestions, strict=True):
            gold = row["labels"]
            if not s.is_early_warning:
                found["ew"].append((s.isu.confidence, gold["isu"] == "none"))
                continue
            found["isu"].append((s.isu.confidence, s.isu.value == gold["isu"]))
            if gold["isu"] != "none":
                found["athg"].append((s.athg.confidence, s.athg.value == gold["athg"]))
                found["level"].append((s.level.confidence, s.level.value == gold["level"]))
    figures: dict[str, float] = {}
    table: dict[str, dict[str, list[float]]] = {}
    for name in fields:
        first, second = runs[0][name], runs[1][name]
        fitted = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(
            [c for c, _ in first], [float(ok) for _, ok in first]
        )
        raw = np.array([c for c, _ in second])
        right = np.array([float(ok) for _, ok in second])
        mapped = fitted.predict(raw)
        bins = np.minimum((mapped * 10).astype(int), 9)
        ece = sum(
            abs(right[bins == b].mean() - mapped[bins == b].mean()) * (bins == b).mean() for b in set(bins)
        )
        raw_bins = np.minimum((raw * 10).astype(int), 9)
        raw_ece = sum(
            abs(right[raw_bins == b].mean() - raw[raw_bins == b].mean()) * (raw_bins == b).mean()
            for b in set(raw_bins)
        )
        sure = mapped >= confidence.SURE_AT
        figures |= {
            f"{name}_n": float(len(second)),
            f"{name}_accuracy": float(right.mean()),
            f"{name}_ece_raw": float(raw_ece),
            f"{name}_ece_calibrated": float(ece),
            f"{name}_coverage": float(sure.mean()),
            f"{name}_accuracy_sure": float(right[sure].mean()) if sure.any() else 0.0,
        }
        both = first + second
        whole = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(
            [c for c, _ in both], [float(ok) for _, ok in both]
        )
        table[name] = {
            "x": [round(float(x), 4) for x in whole.X_thresholds_],
            "y": [round(float(y), 4) for y in whole.y_thresholds_],
        }
    if write:
        from waspada.triage.confidence import CALIBRATION

        CALIBRATION.write_text(
            json.dumps(
                {
                    "made": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                    "how": f"benchmarks/triage_cv.py --real --calibrate --write: isotonic regression of "
                    f"being right on the raw confidence, out of fold ({folds} folds grouped by story, "
                    f"two shuffles) on real_train.jsonl ({len(rows)} rows), trained on: {train_on}",
                    "sure_at": confidence.SURE_AT,
                    "fields": table,
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"written: {CALIBRATION}")
    return figures


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
    parser.add_argument("--real", action="store_true", help="cross-validate on real_train.jsonl")
    parser.add_argument("--train-on", choices=("written", "real", "both"), default="both")
    parser.add_argument(
        "--cue-weight", type=float, default=None, help="the level classifier's cue weight (classify.py)"
    )
    parser.add_argument("--calibrate", action="store_true", help="with --real: calibrate confidences")
    parser.add_argument("--write", action="store_true", help="with --calibrate: write calibration.json")
    parser.add_argument("--reject-marker-weight", type=float, default=None)
    parser.add_argument("--ew-margin", type=float, default=None)
    parser.add_argument("--rejection-stage", type=int, choices=(0, 1), default=None)
    parser.add_argument(
        "--group-by",
        choices=("story", "province"),
        default="story",
        help="with --real: keep a story (or a whole province, as the test split does) in one fold",
    )
    parser.add_argument("--set", action="append", default=[], help="NAME=NUMBER: a classify.py constant")
    options = parser.parse_args()
    from waspada.triage import classify as tuned

    for name in ("reject_marker_weight", "ew_margin", "rejection_stage"):
        value = getattr(options, name)
        if value is not None:
            setattr(tuned, name.upper(), value if name != "rejection_stage" else bool(value))
    for assignment in options.set:
        name, _, number = assignment.partition("=")
        setattr(tuned, name, type(getattr(tuned, name))(float(number)))
    if options.cue_weight is not None:
        from waspada.triage import classify

        classify.LEVEL_CUE_WEIGHT = options.cue_weight
    lines = None
    if options.score_lines:
        first, _, last = options.score_lines.partition("-")
        lines = (int(first), int(last))
    started = time.perf_counter()
    if options.real and options.calibrate:
        figures = calibrate(options.folds, options.train_on, options.write)
        print(f"calibration, {options.folds} folds grouped by story, trained on: {options.train_on}")
    elif options.real:
        figures = real_cross_validate(options.folds, options.seeds, options.train_on, options.group_by)
        print(
            f"{options.folds}-fold cross-validation on real_train.jsonl grouped by {options.group_by}, "
            f"{options.seeds} shuffles, trained on: {options.train_on}"
        )
    elif options.hold_lines:
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
