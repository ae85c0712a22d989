"""``suggest(text, reporter=None)``: the first pass over a report's free text, in one call.

This is the function other surfaces call (the web form through the API, the chat ``!lapor``):

    from waspada.triage.suggest import suggest
    s = suggest("Bentrok warga di Ds. Lembok Kec. Long Ikis", reporter=person)
    s.isu.value, s.isu.confidence, s.isu.words      # "sara_etnis", 0.61, ["Bentrok", ...]
    s.region_code                                     # "64.01.06.2006" (or None)
    s.is_early_warning, s.forums, s.as_dict()

It reads nothing but the packaged gazetteer, the model, and (when ``rules`` is not given and the
database is reachable) the routing rules; it writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from waspada.triage.casualties import Casualties, counts_of
from waspada.triage.classify import Model, Prediction, current_model
from waspada.triage.confidence import calibrated, sure_at
from waspada.triage.cues import Cue, cues_of
from waspada.triage.gazetteer import PlaceResult, find_places
from waspada.triage.lexicon import ISU_ATHG, ISU_ATHG_WEIGHT, ISU_GATRA, URGENT_WORDS

if TYPE_CHECKING:
    from waspada.people.models import Person

LEVEL_ORDER = ["normal", "waspada", "siaga", "awas"]
# (isu or "" for every isu, lowest alert level, act kinds, copy kinds)
Rule = tuple[str, str, list[str], list[str]]
URGENCY = {"awas": "segera", "siaga": "tinggi", "waspada": "sedang", "normal": "rendah"}


@dataclass
class Suggestion:
    text: str
    athg: Prediction
    isu: Prediction
    level: Prediction
    gatra: list[str]
    urgency: Prediction
    forums: list[str]
    forums_confidence: float
    places: PlaceResult
    is_early_warning: bool
    extra: dict[str, Any] = field(default_factory=dict)
    # What the level rests on: the cues the text states (``cues.py``), none for a text that is not
    # early-warning material.
    cues: list[Cue] = field(default_factory=list)
    # The dead, injured and displaced the text states as numbers (``casualties.py``).
    casualties: Casualties = field(default_factory=Casualties)

    @property
    def region_code(self) -> str | None:
        return self.places.best

    def labels(self) -> dict[str, Any]:
        """The evaluation shape: the same keys as a labelled line, places as Kemendagri codes."""
        return {
            "athg": self.athg.value,
            "isu": self.isu.value,
            "level": self.level.value,
            "kabupaten": self.places.kabupaten,
            "kecamatan": self.places.kecamatan,
            "desa": "; ".join(self.places.desa) or None,
            "forums": self.forums,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "is_early_warning": self.is_early_warning,
            "athg": self.athg.as_dict(),
            "isu": self.isu.as_dict(),
            "alert_level": {**self.level.as_dict(), "cues": [cue.as_dict() for cue in self.cues]},
            "casualties": self.casualties.as_dict(),
            "gatra": self.gatra,
            "urgency": self.urgency.as_dict(),
            "forums": {"value": self.forums, "confidence": round(self.forums_confidence, 2)},
            "region_code": self.region_code,
            "places": {
                "kabupaten": self.places.kabupaten,
                "kecamatan": self.places.kecamatan,
                "desa": self.places.desa,
                "confidence": round(self.places.confidence, 2),
                "found": [f.as_dict() for f in self.places.found],
            },
        }


def default_rules() -> list[Rule]:
    from waspada.response.defaults import RULES

    return [(isu, level, act, info) for isu, level, act, info, _note in RULES]


def database_rules() -> list[Rule]:
    """The installation's active routing rules (any scope), or the defaults without a database."""
    try:
        from waspada.response.models import RoutingRule

        rows = list(
            RoutingRule.objects.filter(is_active=True).values_list(
                "isu", "min_alert_level", "act_kinds", "info_kinds"
            )
        )
    except Exception:  # no database yet (fresh installation, evaluation)
        return default_rules()
    return [(isu, level, list(act), list(info)) for isu, level, act, info in rows] or default_rules()


def route(isu: str, level: str, rules: Sequence[Rule]) -> list[str]:
    """Forum kinds a report of ``isu`` at ``level`` goes to; the TKD always receives it."""
    if isu == "none":
        return []
    rank = LEVEL_ORDER.index(level)
    kinds = {"TKD"}
    for rule_isu, min_level, act, info in rules:
        if rule_isu in (isu, "") and LEVEL_ORDER.index(min_level) <= rank:
            kinds.update(act)
            kinds.update(info)
    return sorted(kinds)


def _urgency(level: Prediction, text: str) -> Prediction:
    lowered = text.lower()
    hits = [word for word in URGENT_WORDS if re.search(rf"\b{re.escape(word)}\b", lowered)]
    rank = LEVEL_ORDER.index(level.value)
    if len(hits) >= 2 and rank < len(LEVEL_ORDER) - 1:
        rank += 1
    value = URGENCY[LEVEL_ORDER[rank]]
    return Prediction(value, level.confidence, (hits or level.words)[:5])


def _reporter_region(reporter: Person | None) -> str | None:
    if reporter is None:
        return None
    return getattr(reporter, "home_region_id", None)


def judged(field_name: str, found: Prediction, *, skip: set[str] | None = None) -> Prediction:
    """``found`` with its calibrated confidence, whether it is sure, and the two best choices
    (``confidence.py``)."""
    confidence = calibrated(field_name, found.confidence)
    ranked = sorted(
        ((value, share) for value, share in found.scores.items() if value not in (skip or set())),
        key=lambda item: -item[1],
    )
    total = sum(share for _value, share in ranked) or 1.0
    choices = [(value, share / total) for value, share in ranked[:2]]
    if not choices or choices[0][0] != found.value:
        choices = [(found.value, found.confidence), *[c for c in choices if c[0] != found.value]][:2]
    return Prediction(found.value, confidence, found.words, found.scores, confidence >= sure_at(), choices)


def combine(text: str, raw: dict[str, Prediction], places: PlaceResult, rules: Sequence[Rule]) -> Suggestion:
    """Make the fields agree: "none" for isu and ATHG together, forums from isu and level."""
    isu, athg, level = raw["isu"], raw["athg"], raw["level"]
    early_warning = isu.value != "none"
    stage = raw.get("ew")
    if stage is not None:
        # The first stage decides whether this is early-warning material at all (issue 23); the
        # isu is then the best one that is not "none", or "none" for a text the stage rejects.
        early_warning = stage.value == "ya"
        if early_warning and isu.value == "none":
            others = {k: v for k, v in isu.scores.items() if k != "none"}
            if others:
                best = max(others, key=lambda k: others[k])
                isu = Prediction(best, others[best], isu.words, isu.scores)
        elif not early_warning:
            others = {k: v for k, v in isu.scores.items() if k != "none"}
            runner_up = max(others, key=lambda k: others[k]) if others else "lainnya"
            choices = {"none": stage.confidence, runner_up: 1.0 - stage.confidence}
            isu = Prediction("none", stage.confidence, stage.words, choices)
    if not early_warning:
        athg = Prediction("none", max(athg.confidence, isu.confidence), athg.words)
        level = Prediction("normal", level.confidence, level.words)
    else:
        # The isu's usual class is a prior: "banjir" is a gangguan unless the text says otherwise.
        scores = {k: v for k, v in athg.scores.items() if k != "none"} or {athg.value: athg.confidence}
        usual = ISU_ATHG.get(isu.value)
        if usual:
            scores[usual] = scores.get(usual, 0.0) + ISU_ATHG_WEIGHT
        value = max(scores, key=lambda k: scores[k])
        total = sum(scores.values()) or 1.0
        athg = Prediction(value, scores[value] / total, athg.words, scores)
    if stage is not None and not early_warning:
        isu = judged("ew", isu)  # how sure the first stage is that this is no early-warning text
    else:
        isu = judged("isu", isu, skip={"none"} if early_warning else set())
    athg = judged("athg", athg, skip={"none"} if early_warning else set())
    level = judged("level", level)
    gatra = list(ISU_GATRA.get(isu.value, [])) if early_warning else []
    forums = route(isu.value, level.value, rules)
    return Suggestion(
        text=text,
        athg=athg,
        isu=isu,
        level=level,
        gatra=gatra,
        urgency=_urgency(level, text) if early_warning else Prediction("rendah", level.confidence, []),
        forums=forums,
        forums_confidence=isu.confidence * level.confidence,
        places=places,
        is_early_warning=early_warning,
        cues=cues_of(text) if early_warning else [],
        casualties=counts_of(text),
    )


def suggest_many(
    texts: Sequence[str],
    *,
    reporter_region: str | None = None,
    rules: Sequence[Rule] | None = None,
    model: Model | None = None,
) -> list[Suggestion]:
    model = model or current_model()
    rules = default_rules() if rules is None else rules
    places = [find_places(text, reporter_region=reporter_region) for text in texts]
    predictions = model.predict_many([mask_places(t, p) for t, p in zip(texts, places, strict=True)])
    return [
        combine(text, raw, found, rules) for text, raw, found in zip(texts, predictions, places, strict=True)
    ]


def mask_places(text: str, places: PlaceResult) -> str:
    """The text with place names (and "Desa", "Kec." before them) blanked: a village's name says
    nothing of the report's class, and "Desa Lombok" is not about village government."""
    for found in sorted(places.found, key=lambda f: -f.start):
        start = found.prefix_start if found.prefix_start >= 0 else found.start
        text = text[:start] + " " * (found.end - start) + text[found.end :]
    return text


def suggest(text: str, reporter: Person | None = None) -> Suggestion:
    """Suggestions for one report's free text; ``reporter`` lends their region as context."""
    return suggest_many([text], reporter_region=_reporter_region(reporter), rules=database_rules())[0]
