"""The scheduled situation reports, checked every quarter of an hour by the worker.

The check is cheap when nothing is due (one query per kind); when a period's report falls due
(weekly: Monday, monthly: the 1st, quarterly: the quarter's first day, each at
``WASPADA_BRIEF_HOUR`` WITA) it makes one copy per recipient, and a later run makes none again.
"""

from __future__ import annotations

from datetime import timedelta

from waspada.core.periodic import periodic


@periodic("briefs.scheduled", every=timedelta(minutes=15))
def scheduled_briefs() -> str:
    from waspada.briefs.actions import run_schedule

    return f"{len(run_schedule())} laporan situasi dibuat"
