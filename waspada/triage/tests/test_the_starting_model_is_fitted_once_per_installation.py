"""The starting model learns from about 1,100 texts (ten seconds to fit): it is fitted once per
installation and training data, kept under WASPADA_DATA_DIR, and loaded by every later process;
a damaged file is fitted anew, never trusted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from waspada.triage import classify


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    classify.forget()
    yield tmp_path
    classify.forget()


def test_a_later_process_loads_the_fitted_model_instead_of_fitting_it(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = classify.starting_model()
    kept = list((data_dir / "triage").glob("starting-*.joblib"))
    assert [path.name for path in kept] == [f"starting-{classify.seed_mark()}.joblib"]

    classify.forget()  # as a new process would start
    monkeypatch.setattr(classify.Model, "fit", lambda *_a, **_k: pytest.fail("fitted again"))
    second = classify.starting_model()
    assert second is not first and second.trained_on == first.trained_on
    assert classify.current_model().trained_on == first.trained_on  # no trained model saved: the same


def test_a_damaged_file_is_fitted_anew(data_dir: Path) -> None:
    path = data_dir / "triage" / f"starting-{classify.seed_mark()}.joblib"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a model")
    model = classify.starting_model()
    assert model.trained_on > 1000
    assert classify.load_saved(path) is not None  # replaced by the fitted one
