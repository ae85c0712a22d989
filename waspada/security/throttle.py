"""Login throttling: a lockout after repeated failures, per account name and per client network.

Rules (numbers from settings, docs/configuration.md):

1. ``WASPADA_LOGIN_MAX_FAILURES`` failed logins for one account name (default 5), or
   ``WASPADA_LOGIN_MAX_FAILURES_PER_ADDRESS`` from one client network (default 20, since an
   office shares one address), each less than ``WASPADA_LOGIN_FAILURE_WINDOW`` apart, lock that
   name or network for ``WASPADA_LOGIN_LOCKOUT`` seconds (default 15 minutes).
2. Each further lockout in the same series lasts twice as long, up to ``WASPADA_LOGIN_LOCKOUT_MAX``
   (default 24 hours). A series ends after a day without failures, or, for an account, with a
   successful login.
3. While locked, no password is checked at all, the right one included, and the page answers
   the same whether or not the account exists: the account key is the name as typed.
4. A wrong second-factor code counts as a failure for the account and the network.
5. The first failure of a series and every lockout are recorded in the audit trail (channel
   web, with the address). Later failures in a series are not, so that guessing cannot flood the
   append-only trail. A name that matches no account is not written into the trail either: people
   type their password into the name field, and the trail can never be cleaned.

State lives in ``LoginThrottle`` rows, changed under a row lock, so every gunicorn worker (and
every server sharing the database) sees the same counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from waspada.audit.actions import record
from waspada.audit.models import Channel
from waspada.security.addresses import network_key
from waspada.security.models import LoginThrottle, ThrottleScope

if TYPE_CHECKING:
    from waspada.people.models import Person

SERIES_QUIET = timedelta(days=1)


def account_key(username: str) -> str:
    return username.strip().casefold()[:150]


@dataclass(frozen=True)
class Lockout:
    until: datetime

    @property
    def minutes(self) -> int:
        """Whole minutes left, at least one (what the login page tells the person)."""
        seconds = (self.until - timezone.now()).total_seconds()
        return max(1, int(-(-seconds // 60)))


def _keys(username: str, request: HttpRequest) -> list[tuple[str, str, int]]:
    return [
        (ThrottleScope.ACCOUNT, account_key(username), settings.WASPADA_LOGIN_MAX_FAILURES),
        (ThrottleScope.ADDRESS, network_key(request), settings.WASPADA_LOGIN_MAX_FAILURES_PER_ADDRESS),
    ]


def current_lockout(*, username: str, request: HttpRequest) -> Lockout | None:
    """The lockout in force for this name or this client network, if any (one query, no write)."""
    now = timezone.now()
    wanted = Q(pk__in=[])
    for scope, key, _limit in _keys(username, request):
        wanted |= Q(scope=scope, key=key)
    until = (
        LoginThrottle.objects.filter(wanted, locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    return Lockout(until=until) if until else None


def _lockout_length(lockouts_before: int) -> timedelta:
    base = settings.WASPADA_LOGIN_LOCKOUT
    longest = settings.WASPADA_LOGIN_LOCKOUT_MAX
    return timedelta(seconds=min(base * 2 ** min(lockouts_before, 20), longest))


def register_failure(
    *, username: str, request: HttpRequest, person: Person | None, reason: str = "password"
) -> Lockout | None:
    """Count one failed login (``reason``: "password" or "second_factor"); returns the lockout it
    caused, if it caused one. ``person`` is the account the name belongs to, if any."""
    now = timezone.now()
    window = timedelta(seconds=settings.WASPADA_LOGIN_FAILURE_WINDOW)
    started: list[str] = []
    locked: dict[str, dict[str, Any]] = {}
    lockout: Lockout | None = None
    with transaction.atomic():
        for scope, key, limit in _keys(username, request):
            LoginThrottle.objects.get_or_create(
                scope=scope, key=key, defaults={"series_started_at": now, "last_failure_at": now}
            )
            row = LoginThrottle.objects.select_for_update().get(scope=scope, key=key)
            if (row.failures == 0 and row.lockouts == 0) or now - row.last_failure_at > SERIES_QUIET:
                row.failures, row.lockouts, row.series_started_at = 0, 0, now
                started.append(scope)
            elif now - row.last_failure_at > window:
                row.failures = 0  # a slow trickle restarts the count, not the lockout ladder
            row.failures += 1
            row.last_failure_at = now
            if row.failures >= limit:
                length = _lockout_length(row.lockouts)
                row.locked_until = now + length
                row.lockouts += 1
                locked[scope] = {
                    "failures": row.failures,
                    "lockout": row.lockouts,
                    "seconds": int(length.total_seconds()),
                    "until": row.locked_until,
                }
                row.failures = 0
                if lockout is None or row.locked_until > lockout.until:
                    lockout = Lockout(until=row.locked_until)
            row.save()
        if started or locked:
            record(
                action="login.locked" if locked else "login.failed",
                actor=None,
                obj=person,
                changes={
                    "reason": reason,
                    "account_known": person is not None,
                    "series_started": started,
                    "locked": locked,
                    "network": network_key(request),
                },
                request=request,
                channel=Channel.WEB,
            )
    return lockout


def register_success(*, username: str) -> None:
    """A successful login ends the account's series (the network's goes on: one good password
    from an address must not wipe out the guessing it did on other accounts)."""
    LoginThrottle.objects.filter(scope=ThrottleScope.ACCOUNT, key=account_key(username)).delete()


def prune(now: datetime | None = None) -> int:
    """Forget series that ended: no failure for a day and no lockout in force."""
    now = now or timezone.now()
    deleted, _ = (
        LoginThrottle.objects.filter(last_failure_at__lt=now - SERIES_QUIET)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .delete()
    )
    return deleted
