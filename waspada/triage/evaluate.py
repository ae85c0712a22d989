"""``waspada triage evaluate FILE.jsonl``: how well the suggestions match labelled texts.

Each line: ``{"text": ..., "labels": {"athg", "isu", "level", "kabupaten", "kecamatan", "desa",
"forums"}}`` with the codes of docs/domain.md (``"none"`` for athg and isu: not early-warning
material); places as official names or Kemendagri codes, ``null`` when the text names none;
``desa`` may list several separated by ``; ``.

Figures:

- athg, isu, level: accuracy and macro-F1 over the labelled classes; ``coverage``, the share of
  texts for which the suggestion is sure (``confidence.py``), and ``accuracy_sure``, the accuracy
  on those;
- forums: exact-set accuracy and macro-F1 over forum kinds (each kind a yes/no decision);
- places: accuracy where the label names one, at kabupaten, kecamatan and desa level (desa: the
  same set of villages), and ``place_null_ok``: texts naming no kecamatan for which none is found;
- rejection: the share of non-early-warning texts suggested as "none", and ``false_rejection``:
  early-warning texts wrongly suggested as "none".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.metrics import f1_score

from waspada.triage.classify import Model, read_jsonl
from waspada.triage.gazetteer import DESA, KABUPATEN, KECAMATAN, gazetteer
from waspada.triage.suggest import Rule, Suggestion, default_rules, suggest_many

CLASS_FIELDS = ("athg", "isu", "level")


@dataclass
class Evaluation:
    figures: dict[str, float]
    counts: dict[str, int]
    predictions: list[dict[str, Any]]

    def lines(self) -> list[str]:
        f, c = self.figures, self.counts
        out = [f"teks: {c['texts']}"]
        for name in (*CLASS_FIELDS, "forums"):
            out.append(
                f"{name:>10}: akurasi {f[name + '_accuracy']:.3f}  macro-F1 {f[name + '_macro_f1']:.3f}"
            )
        for name in CLASS_FIELDS:
            out.append(
                f"{name:>10}: yakin pada {f[name + '_coverage']:.3f} teks, "
                f"akurasi saat yakin {f[name + '_accuracy_sure']:.3f}"
            )
        for level in ("kabupaten", "kecamatan", "desa"):
            out.append(
                f"{level:>10}: akurasi {f[level + '_accuracy']:.3f} "
                f"(dari {c[level + '_named']} teks yang menyebut)"
            )
        out.append(f"tanpa tempat: benar {f['place_null_ok']:.3f} (dari {c['place_null']} teks)")
        out.append(
            f"bukan peringatan dini: ditolak {f['non_ew_rejection']:.3f} (dari {c['non_ew']} teks); "
            f"salah tolak {f['false_rejection']:.3f}"
        )
        out.append(" ".join(f"{key}={value:.3f}" for key, value in f.items()) + f" texts={c['texts']}")
        return out


def _code(label: Any, level: int, within: str | None) -> str | None:
    if label in (None, ""):
        return None
    return gazetteer().resolve_name(str(label), level=level, within=within) or f"?{label}"


def _gold_places(labels: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """The labelled kabupaten, kecamatan and desa codes; a text naming two regencies (or two
    kecamatan) has both, and finding either is right. A named desa names its kecamatan, and a
    named kecamatan its kabupaten."""

    def names(value: Any) -> list[str]:
        parts = value if isinstance(value, list) else str(value or "").split(";")
        return [str(part).strip() for part in parts if str(part).strip()]

    kabs = [c for c in (_code(n, KABUPATEN, None) for n in names(labels.get("kabupaten"))) if c]
    within = kabs[0] if len(kabs) == 1 else None
    kecs = [c for c in (_code(n, KECAMATAN, within) for n in names(labels.get("kecamatan"))) if c]
    within = kecs[0] if len(kecs) == 1 else within
    desas = sorted(c for c in (_code(n, DESA, within) for n in names(labels.get("desa"))) if c)
    if desas and not kecs:  # a village named is its kecamatan named
        kecs = sorted({desa.rsplit(".", 1)[0] for desa in desas if not desa.startswith("?")})
    if kecs and not kabs:
        kabs = sorted({kec.rsplit(".", 1)[0] for kec in kecs if not kec.startswith("?")})
    return kabs, kecs, desas


def _share(hits: Sequence[bool]) -> float:
    return sum(hits) / len(hits) if hits else 0.0


def evaluate_rows(
    rows: Sequence[dict[str, Any]], *, model: Model | None = None, rules: Sequence[Rule] | None = None
) -> Evaluation:
    suggestions: list[Suggestion] = suggest_many(
        [row["text"] for row in rows], rules=default_rules() if rules is None else rules, model=model
    )
    golds = [row.get("labels") or {} for row in rows]
    figures: dict[str, float] = {}
    counts: dict[str, int] = {"texts": len(rows)}
    for name in CLASS_FIELDS:
        pairs = [(g[name], s.labels()[name]) for g, s in zip(golds, suggestions, strict=True) if g.get(name)]
        truth = [t for t, _p in pairs]
        predicted = [p for _t, p in pairs]
        figures[name + "_accuracy"] = _share([t == p for t, p in pairs])
        sure = [
            (g[name], s.labels()[name])
            for g, s in zip(golds, suggestions, strict=True)
            if g.get(name) and getattr(s, name).sure
        ]
        figures[name + "_coverage"] = len(sure) / len(pairs) if pairs else 0.0
        figures[name + "_accuracy_sure"] = _share([t == p for t, p in sure])
        figures[name + "_macro_f1"] = (
            float(f1_score(truth, predicted, labels=sorted(set(truth)), average="macro", zero_division=0))
            if pairs
            else 0.0
        )
    forum_pairs = [
        (sorted(g["forums"]), s.forums) for g, s in zip(golds, suggestions, strict=True) if "forums" in g
    ]
    figures["forums_accuracy"] = _share([t == p for t, p in forum_pairs])
    kinds = sorted({k for t, _p in forum_pairs for k in t})
    per_kind = [
        f1_score([k in t for t, _p in forum_pairs], [k in p for _t, p in forum_pairs], zero_division=0)
        for k in kinds
    ]
    figures["forums_macro_f1"] = float(sum(per_kind) / len(per_kind)) if per_kind else 0.0

    places: dict[str, list[bool]] = {"kabupaten": [], "kecamatan": [], "desa": [], "null": []}
    for gold, suggestion in zip(golds, suggestions, strict=True):
        kabs, kecs, desas = _gold_places(gold)
        found = suggestion.places
        if kabs:
            places["kabupaten"].append(found.kabupaten in kabs)
        if kecs:
            places["kecamatan"].append(found.kecamatan in kecs)
        else:
            places["null"].append(found.kecamatan is None)
        if desas:
            places["desa"].append(sorted(found.desa) == desas)
    for level in ("kabupaten", "kecamatan", "desa"):
        figures[level + "_accuracy"] = _share(places[level])
        counts[level + "_named"] = len(places[level])
    figures["place_null_ok"] = _share(places["null"])
    counts["place_null"] = len(places["null"])

    non_ew = [
        s.isu.value == "none" for g, s in zip(golds, suggestions, strict=True) if g.get("isu") == "none"
    ]
    ew = [
        s.isu.value == "none"
        for g, s in zip(golds, suggestions, strict=True)
        if g.get("isu") not in (None, "none")
    ]
    figures["non_ew_rejection"] = _share(non_ew)
    figures["false_rejection"] = _share(ew)
    counts["non_ew"] = len(non_ew)
    return Evaluation(figures, counts, [{"labels": s.labels()} for s in suggestions])


def evaluate_file(path: Path, *, out: Path | None = None, model: Model | None = None) -> Evaluation:
    rows = read_jsonl(path)
    for number, row in enumerate(rows, start=1):
        if not isinstance(row.get("labels", {}), dict):
            raise ValueError(f'{path}: baris {number}: "labels" harus objek.')
    result = evaluate_rows(rows, model=model)
    if out is not None:
        with out.open("w", encoding="utf-8") as handle:
            for prediction in result.predictions:
                handle.write(json.dumps(prediction, ensure_ascii=False) + "\n")
    return result
