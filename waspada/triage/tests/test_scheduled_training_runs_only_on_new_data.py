"""The worker's daily `triage.train` job: trains when verified reports or corrections are new since
the saved model, skips otherwise, and a failing run leaves the old model in place."""

from __future__ import annotations

import pytest

from waspada.core import periodic
from waspada.core.models import PeriodicJob
from waspada.people.models import Person
from waspada.reports.actions import verify_report
from waspada.reports.tests.factories import submit
from waspada.triage import classify, training
from waspada.triage.actions import record_correction

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_models(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path
    classify.forget()
    yield
    classify.forget()


@pytest.fixture
def claimed() -> None:
    """The worker's scheduler has claimed the job (it creates the job's state row)."""
    assert "triage.train" in periodic.claim_due()


def correct(analyst: Person, n: int) -> None:
    record_correction(
        by=analyst,
        text=f"Jembatan kayu di Desa Putang ambruk ({n}), angkutan karet terhenti",
        suggested={"isu": "bencana"},
        final={"isu": "infrastruktur_logistik", "athg": "hambatan", "level": "waspada"},
    )


def test_the_job_is_registered_to_run_every_day() -> None:
    job = periodic.REGISTRY["triage.train"]
    assert job.every.days == 1


def test_with_no_verified_report_or_correction_nothing_is_trained(kesbangpol_analyst: Person) -> None:
    result = periodic.run_now("triage.train")
    assert "tidak dilatih" in str(result)
    assert not classify.model_path().exists()


def test_new_data_trains_once_then_the_job_skips_until_more_arrives(
    claimed: None, desa_reporter: Person, kesbangpol_analyst: Person
) -> None:
    verify_report(report=submit(desa_reporter).report, by=kesbangpol_analyst)
    first = periodic.run_now("triage.train")
    assert "dari 1 laporan terverifikasi dan 0 koreksi" in str(first)
    saved = classify.load_saved()
    assert saved is not None and saved.trained_at and saved.data_mark == training.data_mark()
    stamp = classify.model_path().stat().st_mtime_ns

    assert "tidak dilatih" in str(periodic.run_now("triage.train"))
    assert classify.model_path().stat().st_mtime_ns == stamp

    correct(kesbangpol_analyst, 1)
    again = periodic.run_now("triage.train")
    assert "dari 1 laporan terverifikasi dan 1 koreksi" in str(again)
    assert classify.model_path().stat().st_mtime_ns != stamp
    assert PeriodicJob.objects.get(name="triage.train").last_finished_at is not None


def test_a_failing_training_leaves_the_old_model_and_is_retried_later(
    monkeypatch, claimed: None, kesbangpol_analyst: Person
) -> None:  # type: ignore[no-untyped-def]
    correct(kesbangpol_analyst, 1)
    periodic.run_now("triage.train")
    before = classify.model_path().read_bytes()
    correct(kesbangpol_analyst, 2)

    def broken(extra):  # type: ignore[no-untyped-def]
        raise MemoryError("model terlalu besar")

    monkeypatch.setattr(training, "train", broken)
    with pytest.raises(MemoryError):
        periodic.run_now("triage.train")
    assert classify.model_path().read_bytes() == before
    assert not list(classify.model_path().parent.glob("*.tmp"))
    job = PeriodicJob.objects.get(name="triage.train")
    assert job.failures == 1 and "model terlalu besar" in job.last_error
    classify.forget()
    assert classify.current_model().data_mark != training.data_mark()  # the old model still serves


def test_a_crash_while_writing_leaves_the_old_file_whole(monkeypatch, kesbangpol_analyst: Person) -> None:  # type: ignore[no-untyped-def]
    correct(kesbangpol_analyst, 1)
    periodic.run_now("triage.train")
    before = classify.model_path().read_bytes()
    correct(kesbangpol_analyst, 2)

    def half_written(model, stream):  # type: ignore[no-untyped-def]
        stream.write(b"setengah")
        raise OSError("disk penuh")

    monkeypatch.setattr(classify.joblib, "dump", half_written)
    with pytest.raises(OSError):
        periodic.run_now("triage.train")
    assert classify.model_path().read_bytes() == before
    assert not list(classify.model_path().parent.glob("*.tmp"))


def test_other_processes_pick_up_a_newly_saved_model() -> None:
    assert classify.current_model().data_mark == ""  # the starting model
    replacement = training.train([])
    replacement.data_mark = "dari proses lain"
    classify.model_path().parent.mkdir(parents=True, exist_ok=True)  # the starting model is kept there too
    classify.joblib.dump(replacement, classify.model_path())  # as the worker's save would land
    assert classify.current_model().data_mark == "dari proses lain"
