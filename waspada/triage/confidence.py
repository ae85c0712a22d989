"""Calibrated confidence and honest abstention (issue 23, point 6).

A classifier's margin is not a probability: a suggestion shown as "isu narkoba (0.74)" should be
right about three times in four. For each field (``isu``, ``athg``, ``level``, and the first
stage ``ew``) the raw confidence of the suggestion is mapped to the share of suggestions with
that raw confidence that were right, measured out of fold on the real-sourced training split
(``benchmarks/triage_cv.py --real --calibrate``, isotonic regression, written to
``data/calibration.json`` with how it was made). With no calibration file, or with
``CALIBRATE`` off (while measuring), the raw confidence stands.

Below ``SURE_AT`` a field is *not sure*: the form fills nothing and shows the two best choices
with "tidak yakin", the chat reply says so, and ``triage evaluate`` reports the share of sure
answers (coverage) and their accuracy beside the overall figures.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import numpy as np

from waspada.triage.classify import DATA

CALIBRATION = DATA / "calibration.json"
CALIBRATE = True
SURE_AT = 0.5  # a calibrated confidence under one half: more likely wrong than right


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    if not CALIBRATION.is_file():
        return {}
    data: dict[str, Any] = json.loads(CALIBRATION.read_text("utf-8"))
    return data


def calibrated(field_name: str, raw: float) -> float:
    """The share of suggestions of ``field_name`` with confidence ``raw`` that were right."""
    points = _table().get("fields", {}).get(field_name) if CALIBRATE else None
    if not points:
        return raw
    return float(np.interp(raw, points["x"], points["y"]))


def sure_at() -> float:
    return SURE_AT


def forget() -> None:
    _table.cache_clear()
