"""The reports app's periodic work: telling the TKD's ketua about reports late for verification."""

from __future__ import annotations

from datetime import timedelta

from waspada.core.periodic import periodic
from waspada.reports.verification import escalate_late_verifications


@periodic("reports.verification_late", every=timedelta(minutes=1))
def sweep_late_verifications() -> int:
    """Tell the ketua of the TKD of each report still unverified past its deadline (once each)."""
    return escalate_late_verifications()
