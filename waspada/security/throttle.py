"""Login throttling: who may try a password, and how often.

Rules (numbers from settings, docs/configuration.md):

1. The account name is normalised before anything is counted: NFKC, spaces around it removed,
   case-folded (``account_key``), so ``BUPATI``, `` bupati `` and its full-width letters (U+FF42 ...) are
   one name.
2. Three counters, each a series of failures less than ``WASPADA_LOGIN_FAILURE_WINDOW`` apart:

   - **account and address** (``pair``): ``WASPADA_LOGIN_MAX_FAILURES`` (5) failures for one
     name from one client network lock that name *from that network* for
     ``WASPADA_LOGIN_LOCKOUT`` (15 min), each further lockout of the series twice as long, up to
     ``WASPADA_LOGIN_LOCKOUT_MAX`` (24 h);
   - **address**: ``WASPADA_LOGIN_MAX_FAILURES_PER_ADDRESS`` (20) failures from one network,
     whatever the names, lock that network the same way;
   - **account**: the account itself is never locked. After 5 failures for a name from anywhere
     (a series ends only after a day without failures, a completed password reset or the
     operator's ``unlock_login``), every further attempt from a network its owner has not logged
     in from waits ``WASPADA_LOGIN_ACCOUNT_DELAY`` (30 s) after the last failure, doubling with
     each failure up to ``WASPADA_LOGIN_ACCOUNT_DELAY_MAX`` (15 min). The owner's known networks
     (``KnownAddress``: one completed login, both steps, from there) never wait for it.

3. While a lockout or delay holds, no password is checked at all, the right one included, and the
   page answers the same whether or not the account exists: the keys are the name as typed.
4. A wrong second-factor code counts as a failure like a wrong password.
5. A complete login ends the series of that name from that network and records the network as
   known; a completed password reset ends every series of the account (``clear_account``).
6. The first failure of a series, every lockout, and the first delay of an account's series are
   recorded in the audit trail (channel web, with the address). Later failures are not, so that
   guessing cannot flood the append-only trail. A name that matches no account is not written
   into the trail either. The owner of a real account is told (notification
   ``account.login_failures``, once per series) when guessing at it starts the delay or locks it
   from some network.

State lives in ``LoginThrottle`` rows, changed under a row lock, so every gunicorn worker (and
every server sharing the database) sees the same counts.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from waspada.audit.actions import record
from waspada.audit.models import Channel
from waspada.lib.taxonomy import AlertLevel
from waspada.notify.events import emit
from waspada.notify.texts import indonesian_body, indonesian_title
from waspada.security.addresses import network_key
from waspada.security.models import KnownAddress, LoginThrottle, ThrottleScope

if TYPE_CHECKING:
    from waspada.people.models import Person

logger = logging.getLogger(__name__)

SERIES_QUIET = timedelta(days=1)
ATTACK_NOTICE = "account.login_failures"


def account_key(username: str) -> str:
    """The name as counted: NFKC (full-width letters become plain ones), stripped, case-folded."""
    return unicodedata.normalize("NFKC", username).strip().casefold()[:150]


def pair_key(account: str, network: str) -> str:
    # The network goes last: it never contains "|", so an account's pairs share one prefix.
    return f"{account}|{network}"


def person_for(username: str) -> Person | None:
    """The account a typed name means (after normalising), if any."""
    from waspada.people.models import Person

    key = account_key(username)
    if not key:
        return None
    return Person.objects.filter(username__iexact=key).first()


@dataclass(frozen=True)
class Lockout:
    until: datetime

    @property
    def minutes(self) -> int:
        """Whole minutes left, at least one (what the login page tells the person)."""
        seconds = (self.until - timezone.now()).total_seconds()
        return max(1, int(-(-seconds // 60)))


def _keys(username: str, request: HttpRequest) -> list[tuple[str, str, int]]:
    account, network = account_key(username), network_key(request)
    return [
        (ThrottleScope.PAIR, pair_key(account, network), settings.WASPADA_LOGIN_MAX_FAILURES),
        (ThrottleScope.ACCOUNT, account, settings.WASPADA_LOGIN_MAX_FAILURES),
        (ThrottleScope.ADDRESS, network, settings.WASPADA_LOGIN_MAX_FAILURES_PER_ADDRESS),
    ]


def is_known_address(username: str, request: HttpRequest) -> bool:
    """Whether the account this name means has completed a login from the client's network."""
    return KnownAddress.objects.filter(
        person__username__iexact=account_key(username), network=network_key(request)
    ).exists()


def current_lockout(*, username: str, request: HttpRequest) -> Lockout | None:
    """The lockout or delay in force for this name from this client network, if any."""
    now = timezone.now()
    wanted = Q(pk__in=[])
    for scope, key, _limit in _keys(username, request):
        if scope == ThrottleScope.ACCOUNT:
            continue
        wanted |= Q(scope=scope, key=key)
    if not is_known_address(username, request):
        wanted |= Q(scope=ThrottleScope.ACCOUNT, key=account_key(username))
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


def _account_delay(failures_beyond: int) -> timedelta:
    base = settings.WASPADA_LOGIN_ACCOUNT_DELAY
    longest = settings.WASPADA_LOGIN_ACCOUNT_DELAY_MAX
    return timedelta(seconds=min(base * 2 ** min(failures_beyond, 20), longest))


def register_failure(
    *, username: str, request: HttpRequest, person: Person | None, reason: str = "password"
) -> Lockout | None:
    """Count one failed login (``reason``: "password" or "second_factor"); returns the lockout or
    delay it caused for this client, if any. ``person`` is the account the name belongs to, if any."""
    now = timezone.now()
    window = timedelta(seconds=settings.WASPADA_LOGIN_FAILURE_WINDOW)
    known = is_known_address(username, request)
    started: list[str] = []
    locked: dict[str, dict[str, Any]] = {}
    lockout: Lockout | None = None
    account_row: LoginThrottle | None = None
    with transaction.atomic():
        for scope, key, limit in _keys(username, request):
            # Locked as it is read: a complete login in another session may delete the row
            # between a plain read and the lock (the same code sent twice at once), which
            # get_or_create under the lock answers by creating it again.
            row, _created = LoginThrottle.objects.select_for_update().get_or_create(
                scope=scope, key=key, defaults={"series_started_at": now, "last_failure_at": now}
            )
            if (row.failures == 0 and row.lockouts == 0) or now - row.last_failure_at > SERIES_QUIET:
                row.failures, row.lockouts, row.series_started_at = 0, 0, now
                started.append(scope)
            elif now - row.last_failure_at > window and scope != ThrottleScope.ACCOUNT:
                row.failures = 0  # a slow trickle restarts the count, not the lockout ladder
            row.failures += 1
            row.last_failure_at = now
            if scope == ThrottleScope.ACCOUNT:
                account_row = row
                if row.failures >= limit:
                    # Never a lock: a short, growing wait for networks the owner does not use.
                    length = _account_delay(row.failures - limit)
                    row.locked_until = now + length
                    row.lockouts += 1
                    if row.failures == limit:
                        locked[scope] = {
                            "failures": row.failures,
                            "delay": int(length.total_seconds()),
                            "until": row.locked_until,
                        }
                    if not known and (lockout is None or row.locked_until > lockout.until):
                        lockout = Lockout(until=row.locked_until)
            elif row.failures >= limit:
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
                    "known_network": known,
                },
                request=request,
                channel=Channel.WEB,
            )
        if person is not None and account_row is not None and set(locked) & {"account", "pair"}:
            _tell_owner(person, account_row)
    return lockout


def _tell_owner(person: Person, row: LoginThrottle) -> None:
    """Tell the account's owner, once per series, that someone is guessing their password."""
    params = {
        "body_key": "login_failures",
        "body_params": {"failures": row.failures},
    }
    emit(
        ATTACK_NOTICE,
        level=AlertLevel.WASPADA,
        title=indonesian_title(ATTACK_NOTICE, params),
        body=indonesian_body(params),
        params=params,
        persons=[person],
        url=reverse("password_change"),
        dedupe_key=f"{ATTACK_NOTICE}:{person.pk}:{row.series_started_at.isoformat()}",
    )


def register_success(*, person: Person, request: HttpRequest) -> None:
    """A complete login (both steps) ends the series of this name from this network and makes the
    network a known one for the person. The account's series goes on: one good login by the owner
    must not forgive the guessing from elsewhere. The network's goes on too: one good password from
    an address must not wipe out the guessing it did on other accounts."""
    network = network_key(request)
    LoginThrottle.objects.filter(
        scope=ThrottleScope.PAIR, key=pair_key(account_key(person.get_username()), network)
    ).delete()
    KnownAddress.objects.update_or_create(
        person=person, network=network, defaults={"last_login_at": timezone.now()}
    )


def clear_account(*, person: Person) -> int:
    """End every series of the person's account name (the account's own and from each network):
    what a completed password reset does. The caller records it. Returns the rows removed."""
    account = account_key(person.get_username())
    deleted, _ = LoginThrottle.objects.filter(
        Q(scope=ThrottleScope.ACCOUNT, key=account)
        | Q(scope=ThrottleScope.PAIR, key__startswith=pair_key(account, ""))
    ).delete()
    return deleted


def reset_mail_allowed(*, email: str, request: HttpRequest) -> bool:
    """Whether a password-reset mail may go out for this typed address from this client:
    ``WASPADA_PASSWORD_RESET_PER_ACCOUNT`` (3) an hour per address typed (known or not, so the
    answer says nothing), ``WASPADA_PASSWORD_RESET_PER_ADDRESS`` (10) an hour per client network.
    A limit of 0 turns it off. If the counter cannot be written, the mail goes (logged)."""
    from waspada.security import ratelimit

    typed = hashlib.sha256(unicodedata.normalize("NFKC", email).strip().casefold().encode()).hexdigest()[:32]
    limits = [
        (f"{ratelimit.HOURLY_PREFIX}reset:email:{typed}", settings.WASPADA_PASSWORD_RESET_PER_ACCOUNT),
        (
            f"{ratelimit.HOURLY_PREFIX}reset:net:{network_key(request)}",
            settings.WASPADA_PASSWORD_RESET_PER_ADDRESS,
        ),
    ]
    limits = [(key, allowed) for key, allowed in limits if allowed > 0]
    if not limits:
        return True
    try:
        counts, _retry = ratelimit.hit([key for key, _allowed in limits], window=ratelimit.HOUR)
    except DatabaseError:
        logger.warning("password-reset mail not counted", exc_info=True)
        return True
    allowed = all(counts.get(key, 0) <= limit for key, limit in limits)
    if not allowed:
        logger.warning(
            "password-reset mail withheld: over the hourly limit (network %s)", network_key(request)
        )
    return allowed


def prune(now: datetime | None = None) -> int:
    """Forget series that ended: no failure for a day and no lockout in force."""
    now = now or timezone.now()
    deleted, _ = (
        LoginThrottle.objects.filter(last_failure_at__lt=now - SERIES_QUIET)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .delete()
    )
    return deleted
