"""The security app's periodic work: informant retention and pruning of throttle counters."""

from __future__ import annotations

from datetime import timedelta

from waspada.core.periodic import periodic
from waspada.security import ratelimit, throttle
from waspada.security.retention import purge_informants


@periodic("security.purge_informants", every=timedelta(hours=1))
def purge_expired_informants() -> int:
    """Purge the identities of informants past the retention period."""
    return purge_informants()


@periodic("security.prune", every=timedelta(minutes=10))
def prune_counters() -> int:
    """Forget finished rate-limit windows and ended login-failure series."""
    return ratelimit.prune() + throttle.prune()
