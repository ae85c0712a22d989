"""The scheduled retraining: every day the worker trains the triage model if verified reports or
corrections arrived since the saved model (``training.train_if_new_data``), else does nothing."""

from __future__ import annotations

from datetime import timedelta

from waspada.core.periodic import periodic


@periodic("triage.train", every=timedelta(days=1))
def retrain() -> str:
    from waspada.triage.training import train_if_new_data  # scikit-learn only when the job runs

    summary = train_if_new_data()
    if summary is None:
        return "tidak ada data baru sejak model terakhir; tidak dilatih"
    return (
        f"dilatih {summary.trained_at} dari {summary.reports} laporan terverifikasi dan "
        f"{summary.corrections} koreksi ({summary.data_mark})"
    )
