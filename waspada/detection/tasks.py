"""The detection run every hour in the worker (the week's counts change as reports are verified)."""

from __future__ import annotations

from datetime import timedelta

from waspada.core.periodic import periodic


@periodic("detection.detect", every=timedelta(hours=1))
def detect() -> str:
    from waspada.detection.detect import run_detection  # numpy and scipy only where the job runs

    result = run_detection()
    return f"{result.series} series, {result.created} new signals, {result.updated} updated"


@periodic("detection.deaths", every=timedelta(seconds=30))
def raise_death_signals() -> str:
    """The death rule (``deaths.py``): a report with a death is a signal within half a minute."""
    from waspada.detection.deaths import raise_death_signals as run

    outcomes = run()
    return ", ".join(f"{n} {what}" for what, n in sorted(outcomes.items())) or "nothing new"
