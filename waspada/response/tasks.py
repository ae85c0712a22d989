"""The response app's periodic work: the deadline sweep, every minute."""

from __future__ import annotations

from datetime import timedelta

from waspada.core.periodic import periodic
from waspada.response.actions import escalate_overdue


@periodic("response.escalate_overdue", every=timedelta(minutes=1))
def sweep_deadlines() -> int:
    """Escalate every overdue disposition one step (each at most once)."""
    return escalate_overdue()
