"""Classifiers for isu, ATHG class and alert level: linear models on TF-IDF character and word n-grams.

One vectoriser (character n-grams 3 to 5 inside words, which tolerate affixes and misspellings,
plus word unigrams and bigrams) feeds one logistic regression per field. ``"none"`` is a class of
the isu and ATHG models: text that is not early-warning material. The words that drove a
suggestion are the words of the text whose n-grams add most to the chosen class's score.

The starting model is fitted, when first needed, on the written training texts
(``data/train.jsonl``) and the lexicon; ``waspada triage train`` adds the regency's own verified
and corrected reports and saves the model under ``WASPADA_DATA_DIR/triage/``. Fitting takes about
a second, so nothing is downloaded and no binary model is shipped in the package.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from waspada.triage.lexicon import ATHG_WORDS, ISU_WORDS, LEVEL_WORDS

DATA = Path(__file__).resolve().parent / "data"
FIELDS = ("isu", "athg", "level")
MODEL_VERSION = 1
_WORD = re.compile(r"\w+", re.UNICODE)
# Function words that say nothing about a report's class.
STOP_WORDS = (
    "di ke dari dan yang yg dengan dgn untuk utk pada itu ini ada sudah sdh belum blm akan juga "
    "tidak tak karena krn oleh sebagai dalam atau tapi saat sejak sampai para sang si nya pak bu "
    "lapor info mohon tolong warga desa ds kec kecamatan kel kelurahan kab kabupaten sekitar soal "
    "sama sm org orang mereka kami kita saya"
).split()


@dataclass
class Example:
    text: str
    labels: dict[str, str]


@dataclass
class Prediction:
    value: str
    confidence: float
    words: list[str]
    scores: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "confidence": round(self.confidence, 2), "words": self.words}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}: baris {number}: JSON tidak sah ({exc.msg}).") from exc
            if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                raise ValueError(f'{path}: baris {number}: harus objek dengan "text" berupa teks.')
            rows.append(row)
    return rows


def seed_examples(rows: Sequence[dict[str, Any]] | None = None) -> list[Example]:
    """The written training texts (``rows``, by default all of ``data/train.jsonl``) plus one
    document per lexicon entry."""
    from waspada.triage.gazetteer import find_places
    from waspada.triage.suggest import mask_places

    examples = [
        Example(mask_places(row["text"], find_places(row["text"])), dict(row["labels"]))
        for row in (read_jsonl(DATA / "train.jsonl") if rows is None else rows)
    ]
    for isu, words in ISU_WORDS.items():
        labels = {"isu": isu}
        if isu == "none":
            labels |= {"athg": "none", "level": "normal"}
        examples.append(Example(words, labels))
    for athg, words in ATHG_WORDS.items():
        examples.append(Example(words, {"athg": athg}))
    for level, words in LEVEL_WORDS.items():
        examples.append(Example(words, {"level": level}))
    return examples


def _vectoriser() -> FeatureUnion:
    return FeatureUnion(
        [
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)),
            ("word", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words=STOP_WORDS)),
        ]
    )


def _softmax(scores: Any) -> Any:
    """Margins to a confidence between 0 and 1 (a two-class margin becomes two columns)."""
    if scores.shape[1] == 1 or scores.ndim == 1:
        scores = np.column_stack([-scores.ravel(), scores.ravel()])
    scaled = np.exp(SHARPNESS * (scores - scores.max(axis=1, keepdims=True)))
    return scaled / scaled.sum(axis=1, keepdims=True)


# How much one lexicon word found in the text adds to an isu's margin.
LEXICON_WEIGHT = 0.35  # chosen by 4-fold cross-validation on train.jsonl (0.2-0.6 all similar)


LEXICONS = {"isu": ISU_WORDS, "athg": ATHG_WORDS, "level": LEVEL_WORDS}


def lexicon_hits(texts: Sequence[str], classes: Sequence[str], lexicon: dict[str, str]) -> Any:
    """Per text and class, how many lexicon words (or word beginnings) the text contains."""
    hits = np.zeros((len(texts), len(classes)))
    for row, text in enumerate(texts):
        lowered = " " + " ".join(_WORD.findall(text.lower())) + " "
        for column, isu in enumerate(classes):
            for word in lexicon.get(isu, "").split():
                if " " + word in lowered:
                    hits[row, column] += 1
    return hits


# How sharply margins turn into confidence (a fixed choice: margins of about 1 give ~0.9).
SHARPNESS = 3.0


class Model:
    """The fitted vectoriser and one classifier per field."""

    def __init__(self) -> None:
        self.vectoriser = _vectoriser()
        self.classifiers: dict[str, LinearSVC] = {}
        self.feature_names: list[str] = []
        self.trained_on = 0
        self.version = MODEL_VERSION
        # What it learned from (``training.data_mark()``) and when; set by ``waspada triage train``.
        self.data_mark = ""
        self.trained_at = ""

    def fit(self, examples: Sequence[Example]) -> Model:
        texts = [e.text.lower() for e in examples]
        matrix = self.vectoriser.fit_transform(texts)
        self.feature_names = list(self.vectoriser.get_feature_names_out())
        for field_name in FIELDS:
            rows = [i for i, e in enumerate(examples) if e.labels.get(field_name)]
            labels = [examples[i].labels[field_name] for i in rows]
            if len(set(labels)) < 2:
                continue
            classifier = LinearSVC(C=1.0, class_weight="balanced")
            classifier.fit(matrix[rows], labels)
            self.classifiers[field_name] = classifier
        self.trained_on = len(examples)
        return self

    def predict_many(self, texts: Sequence[str]) -> list[dict[str, Prediction]]:
        matrix = self.vectoriser.transform([t.lower() for t in texts])
        results: list[dict[str, Prediction]] = [{} for _ in texts]
        for field_name, classifier in self.classifiers.items():
            scores = np.atleast_2d(classifier.decision_function(matrix))
            classes = list(classifier.classes_)
            lexicon = LEXICONS.get(field_name)
            if lexicon and scores.shape[1] == len(classes):
                scores = scores + LEXICON_WEIGHT * lexicon_hits(texts, classes, lexicon)
            probabilities = _softmax(scores)
            for row, text in enumerate(texts):
                order = np.argsort(-probabilities[row])
                best = int(order[0])
                words = self._drivers(matrix[row], classifier, best, text)
                by_class = {c: float(p) for c, p in zip(classes, probabilities[row], strict=True)}
                results[row][field_name] = Prediction(
                    classes[best], float(probabilities[row][best]), words, by_class
                )
        return results

    def _drivers(self, vector: Any, classifier: LinearSVC, best: int, text: str) -> list[str]:
        """The words of ``text`` whose n-grams push most towards class ``best``."""
        coefficients = classifier.coef_[best if classifier.coef_.shape[0] > 1 else 0]
        if classifier.coef_.shape[0] == 1 and best == 0:
            coefficients = -coefficients
        row = vector.tocoo()
        contributions: dict[str, float] = {}
        tokens = [(m.group(), m.group().lower()) for m in _WORD.finditer(text)]
        weights = row.data * coefficients[row.col]
        strongest = np.argsort(-weights)[:40]
        for position in strongest:
            weight = float(weights[position])
            if weight <= 0:
                break
            name = self.feature_names[int(row.col[position])]
            kind, _, gram = name.partition("__")
            gram = gram.strip()
            if not gram:
                continue
            for original, lower in tokens:
                if (kind == "word" and lower in gram.split()) or (kind == "char" and gram in lower):
                    contributions[original] = contributions.get(original, 0.0) + weight
        ranked = sorted(contributions.items(), key=lambda item: -item[1])
        return [word for word, _weight in ranked[:5] if len(word) > 2]


_lock = threading.Lock()
_model: dict[str, Model] = {}
_stamp: dict[str, tuple[int, int] | None] = {}


def model_path() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "triage" / "model.joblib"


def save(model: Model, path: Path | None = None) -> Path:
    """Write the model atomically: a temporary file in the same folder, flushed, then renamed over
    the old one, so a reader (or a crash half-way) never sees half a model."""
    target = path or model_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".model-", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            joblib.dump(model, stream)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    with _lock:
        _model["current"] = model
        _stamp["current"] = _file_stamp(target)
    return target


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size)


def load_saved(path: Path | None = None) -> Model | None:
    """The saved model of this installation, or None (missing, damaged, or of an older version)."""
    path = path or model_path()
    if not path.exists():
        return None
    try:
        candidate = joblib.load(path)
    except Exception:  # a damaged file falls back to the starting model
        return None
    if isinstance(candidate, Model) and candidate.version == MODEL_VERSION:
        return candidate
    return None


def current_model() -> Model:
    """The saved model of this installation if there is one, else the starting model.

    The file is checked on every call (one ``stat``): when the scheduled training in the worker
    replaces it, web processes pick up the new model without a restart."""
    path = model_path()
    stamp = _file_stamp(path)
    with _lock:
        if "current" not in _model or _stamp.get("current") != stamp:
            _model["current"] = load_saved(path) or _model.get("seed") or Model().fit(seed_examples())
            _stamp["current"] = stamp
        return _model["current"]


def starting_model() -> Model:
    with _lock:
        if "seed" not in _model:
            _model["seed"] = Model().fit(seed_examples())
        return _model["seed"]


def forget() -> None:
    """Drop cached models (tests, and after training in another process)."""
    with _lock:
        _model.clear()
        _stamp.clear()


def train(extra: Iterable[Example]) -> Model:
    return Model().fit([*seed_examples(), *extra])
