"""Reads from a PostgreSQL streaming replica, when one is configured (``DATABASE_REPLICA_URL``).

The rules, in the order the router applies them (docs/configuration.md, docs/deployment.md §14):

1. Every write goes to the primary (``default``); migrations run on the primary only.
2. A read goes to the replica only while a caller has opted in: a GET of a view whose URL name is
   in ``REPLICA_READ_VIEWS`` (the dashboards, walls, lists, exports, briefs and the signals'
   pages; :class:`ReplicaReadsMiddleware` marks the request), or a job (not a request) inside
   :func:`replica_reads`. Everything else reads the primary. An opted-in request decides at its
   first read and then reads that one server to its end.
3. Inside a transaction every read goes to the primary: what a transaction reads, it may write.
4. The sessions, accounts, seats, outbox, task queue and scheduler are always read on the primary
   (``PRIMARY_ONLY_APPS``). The audit entries are not: an opted-in page reads the newest one, the
   stamp its cached answers are kept under, on the server its answers come from. So on those
   pages a seat revoked a moment ago may still open them, from what was kept under the replica's
   older stamp, until the replica has replayed the revocation (within the lag budget).
5. A person whose last POST (or other write) is younger than the read-your-writes window
   (``REPLICA_LAG_BUDGET + REPLICA_CHECK_INTERVAL`` seconds, a cookie) reads the primary.
6. The replica is used only while it is healthy: at most every ``REPLICA_CHECK_INTERVAL``
   seconds per process the router asks the primary for ``pg_current_wal_lsn()`` and the replica
   for ``pg_last_wal_replay_lsn()`` and ``pg_last_xact_replay_timestamp()``. A replica that has
   replayed everything the primary has written lags 0 s; otherwise its lag is the age of the last
   transaction it replayed. Beyond ``REPLICA_LAG_BUDGET`` seconds, or when it cannot be reached,
   reads fall back to the primary until the next check says otherwise.

Why the window of rule 5 is long enough: a read at time t uses the replica only if a check at
t - ``REPLICA_CHECK_INTERVAL`` or later found it within the budget, so it had replayed every
transaction committed before t - interval - budget; a write older than interval + budget is
therefore on the replica.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import request_finished
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"

# The apps whose tables decide who sees what, or hold the session: read on the primary always.
PRIMARY_ONLY_APPS = frozenset(
    {
        "sessions",
        "auth",
        "admin",
        "contenttypes",
        "people",  # accounts, second factors, tokens
        "forums",  # seats: who may see and do what
        "security",
        "core",  # the scheduler's leases
        "notify",  # the outbox: claimed and delivered by the worker
        "django_tasks_db",
    }
)

# The cookie set by every write request: while it lives, this browser reads the primary.
READ_YOUR_WRITES_COOKIE = "waspada_rw"

# Per request (or replica_reads block): None, not opted in; "?" opted in, not yet decided; then
# REPLICA or PRIMARY, decided at the first read and kept to the end, so that one page reads one
# server (the situation's pages keep answers under the newest audit entry: the entry and the
# answer must come from the same server, or a lagging replica's answer outlives the lag).
_UNDECIDED = "?"
_reads: contextvars.ContextVar[str | None] = contextvars.ContextVar("waspada_replica_reads", default=None)
# True while serving a request: there the middleware alone decides (by URL name, method and the
# read-your-writes cookie) and replica_reads() blocks change nothing. A page keeps its answers in
# the cache under the newest audit entry it read when it began: a block that switched to the
# replica halfway would keep the replica's older answer under the primary's newer entry.
_in_request: contextvars.ContextVar[bool] = contextvars.ContextVar("waspada_in_request", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def lag_budget() -> float:
    return float(getattr(settings, "REPLICA_LAG_BUDGET", 10))


def check_interval() -> float:
    return float(getattr(settings, "REPLICA_CHECK_INTERVAL", 2))


def read_your_writes_window() -> float:
    """Seconds after a write during which the writer reads the primary (see the module's note)."""
    return lag_budget() + check_interval()


@contextmanager
def replica_reads() -> Iterator[None]:
    """Outside a request, reads in this block may go to the replica (rules 3-6 still apply) and
    the block reads one server: for work that reads much and may be a few seconds behind (the
    worker's scheduled briefs). Inside a request it changes nothing: the request's page decides.
    """
    if _in_request.get():
        yield
        return
    token = _reads.set(_UNDECIDED)
    try:
        yield
    finally:
        _reads.reset(token)


# -- health ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplicaHealth:
    usable: bool
    lag_seconds: float | None  # None when the replica could not be asked
    reason: str
    checked_at: float


_health_lock = threading.Lock()
_last_health: ReplicaHealth | None = None


def measure_replica() -> ReplicaHealth:
    """Ask both servers now: how far the replica is behind, and whether it answers at all."""
    now = time.monotonic()
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            primary_lsn = cursor.fetchone()[0]
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(),"
                " pg_last_wal_replay_lsn() >= %s::pg_lsn,"
                " EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())",
                [primary_lsn],
            )
            in_recovery, caught_up, age = cursor.fetchone()
    except DatabaseError as exc:
        # Down, refusing connections, or not PostgreSQL: the next check tries again. The broken
        # connection is closed so that it is opened afresh then.
        connections[REPLICA].close()
        logger.warning("read replica unavailable, reading the primary: %s", exc)
        return ReplicaHealth(False, None, f"unavailable: {exc}".strip(), now)
    if not in_recovery:
        return ReplicaHealth(False, None, "not a standby (pg_is_in_recovery() is false)", now)
    lag = 0.0 if caught_up else (float(age) if age is not None else float("inf"))
    if lag > lag_budget():
        logger.warning("read replica %.1f s behind (budget %.1f s), reading the primary", lag, lag_budget())
        return ReplicaHealth(False, lag, f"lag {lag:.1f} s over the budget", now)
    return ReplicaHealth(True, lag, "ok", now)


def replica_health() -> ReplicaHealth:
    """The last measurement, taken afresh when it is older than the check interval."""
    global _last_health
    with _health_lock:
        last = _last_health
        if last is None or time.monotonic() - last.checked_at >= check_interval():
            last = _last_health = measure_replica()
        return last


def forget_replica_health() -> None:
    """The next read measures the replica again (tests, and after a failover)."""
    global _last_health
    with _health_lock:
        _last_health = None


# -- the router -----------------------------------------------------------------------------


class ReplicaRouter:
    """Installed by settings.py only when ``DATABASE_REPLICA_URL`` is set."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        state = _reads.get()
        if state is None or model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if state == _UNDECIDED:
            state = REPLICA if replica_health().usable else PRIMARY
            _reads.set(state)
        return state

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


# -- the request side -----------------------------------------------------------------------

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _end_of_request(**kwargs: Any) -> None:
    # A streamed export reads while it is sent, after the view returned: the opt-in lasts until
    # the response is closed, then ends here.
    _reads.set(None)
    _in_request.set(False)


request_finished.connect(_end_of_request, dispatch_uid="waspada.core.dbrouter.end_of_request")


class ReplicaReadsMiddleware:
    """Marks the requests whose reads may go to the replica, and the browsers that just wrote.

    Opt-in is by URL name (``REPLICA_READ_VIEWS``, e.g. ``situation:dashboard``): a GET to one of
    them, from a browser without a fresh read-your-writes cookie, may read the replica, from its
    first query on (the middlewares after this one read the audit stamp that keys the page's
    cache: it must come from the server the page reads). Any other method sets that cookie for
    :func:`read_your_writes_window` seconds.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.views = frozenset(getattr(settings, "REPLICA_READ_VIEWS", ()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        # A thread serves one request after another: both markers are set afresh for each.
        _in_request.set(True)
        may_read_replica = (
            request.method in _SAFE_METHODS and not _wrote_recently(request) and self._opts_in(request)
        )
        _reads.set(_UNDECIDED if may_read_replica else None)
        response = self.get_response(request)
        if request.method not in _SAFE_METHODS:
            window = read_your_writes_window()
            response.set_cookie(
                READ_YOUR_WRITES_COOKIE,
                f"{time.time() + window:.0f}",
                max_age=max(1, int(window + 0.999)),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def _opts_in(self, request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
        except Resolver404:
            return False
        return match.view_name in self.views


def _wrote_recently(request: HttpRequest) -> bool:
    value = request.COOKIES.get(READ_YOUR_WRITES_COOKIE)
    if not value:
        return False
    try:
        return float(value) > time.time()
    except ValueError:
        return True  # a mangled marker: the primary is always right
