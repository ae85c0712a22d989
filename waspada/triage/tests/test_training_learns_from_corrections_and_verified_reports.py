"""`waspada triage train` learns from the database and the saved model is used afterwards."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from waspada.people.models import Person
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit
from waspada.triage import classify
from waspada.triage.actions import record_correction
from waspada.triage.suggest import suggest

# A made-up local word the starting model has never seen, taught only by corrections.
TEXT = "Warga resah, ada praktik gendam kelontong berkedok arisan di pasar malam Kuaro"


@pytest.fixture(autouse=True)
def _fresh_models(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    classify.forget()
    yield
    classify.forget()


@pytest.mark.django_db
def test_training_saves_a_model_that_learned_the_corrections(
    capsys, desa_reporter: Person, kesbangpol_analyst: Person
) -> None:  # type: ignore[no-untyped-def]
    verify_report(report=submit(desa_reporter).report, by=kesbangpol_analyst)
    for n in range(6):
        record_correction(
            by=kesbangpol_analyst,
            text=f"{TEXT} ({n}) gendam kelontong lagi",
            suggested={"isu": "ekonomi_buruh"},
            final={"isu": "kriminalitas", "athg": "gangguan", "level": "waspada"},
        )
    call_command("triage", "train")
    out = capsys.readouterr().out
    assert "1 laporan terverifikasi dan 6 koreksi" in out
    assert (classify.model_path()).exists()
    classify.forget()  # as a new process would: load the saved model from the data folder
    model = classify.current_model()
    assert model.trained_on == len(classify.seed_examples()) + 7
    assert suggest("gendam kelontong di pasar").isu.value == "kriminalitas"


@pytest.mark.django_db
def test_without_training_the_starting_model_is_used(kesbangpol_analyst: Person) -> None:
    assert not classify.model_path().exists()
    assert classify.current_model().trained_on == len(classify.seed_examples())
