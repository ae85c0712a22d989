"""Rate limits on the API (/api/) and on the report form's submission (POST /laporan/baru/).

Each request counts once against each of its keys in the current fixed window
(``WASPADA_RATE_WINDOW`` seconds, default 60):

- API: the caller (its bearer token, else its logged-in person), ``WASPADA_API_RATE_PER_CLIENT``
  requests per window (default 600); and the client network, ``WASPADA_API_RATE_PER_ADDRESS``
  (default 1200).
- Report form POST: the person, ``WASPADA_FORM_RATE_PER_PERSON`` (default 30); the client
  network, ``WASPADA_FORM_RATE_PER_ADDRESS`` (default 120).

The API's own description (``/api/openapi.json``, ``/api/docs``) is not counted. A limit of 0
turns that limit off. Over a limit the answer is 429 with ``Retry-After`` (seconds
to the next window) and, for the API and for the form's script (``Accept: application/json``),
the API's error body ``{"detail": "...", "errors": []}`` in Indonesian.

Counters are rows in the database, incremented with one ``INSERT … ON CONFLICT DO UPDATE …
RETURNING`` per request (SQLite ≥ 3.35 and PostgreSQL), so all gunicorn workers share them;
old windows are deleted by the ``security.prune`` periodic job. On PostgreSQL the counter table is
UNLOGGED, so counting never waits for the disk, see ``hit``.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from waspada.security.addresses import network_key
from waspada.security.models import RateCounter

logger = logging.getLogger(__name__)

# The API's description of itself: the same for everyone, no data, nothing to guess.
UNCOUNTED = frozenset({"/api/openapi.json", "/api/docs"})


@cache
def _form_path() -> str:
    return reverse("reports:new")


def _caller(request: HttpRequest) -> str | None:
    """The API caller: its token (hashed: the key must not hold the secret), else its person."""
    header = str(request.META.get("HTTP_AUTHORIZATION") or "")
    scheme, _space, credential = header.partition(" ")
    if scheme.lower() == "bearer" and credential.strip():
        return "token:" + hashlib.sha256(credential.strip().encode()).hexdigest()[:32]
    if request.user.is_authenticated:
        return f"person:{request.user.pk}"
    return None


def limits_for(request: HttpRequest) -> list[tuple[str, int]]:
    """The (counter key, allowed per window) pairs this request counts against."""
    path = request.path_info
    network = network_key(request)
    pairs: list[tuple[str, int]] = []
    if path.startswith("/api/") and path not in UNCOUNTED:
        caller = _caller(request)
        if caller is not None:
            pairs.append((f"api:{caller}", settings.WASPADA_API_RATE_PER_CLIENT))
        pairs.append((f"api:net:{network}", settings.WASPADA_API_RATE_PER_ADDRESS))
    elif request.method == "POST" and path == _form_path():
        if request.user.is_authenticated:
            pairs.append((f"form:person:{request.user.pk}", settings.WASPADA_FORM_RATE_PER_PERSON))
        pairs.append((f"form:net:{network}", settings.WASPADA_FORM_RATE_PER_ADDRESS))
    return [(key, allowed) for key, allowed in pairs if allowed > 0]


# Keys counted in hourly windows (password-reset mail, throttle.reset_mail_allowed).
HOURLY_PREFIX = "hour:"
HOUR = 3600


def hit(keys: list[str], now: float | None = None, window: int | None = None) -> tuple[dict[str, int], float]:
    """Count one request against each key; returns the counts in this window and the seconds
    until the next window begins. ``window``: seconds, by default ``WASPADA_RATE_WINDOW``;
    keys of an hourly window must start with ``HOURLY_PREFIX`` (so that ``prune`` keeps them)."""
    window = window or settings.WASPADA_RATE_WINDOW
    moment = time.time() if now is None else now
    start = int(moment // window * window)
    window_start = connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(start, tz=UTC))
    quote = connection.ops.quote_name
    table, key_column, window_column, hits_column = (
        quote(RateCounter._meta.db_table),
        quote("key"),
        quote("window_start"),
        quote("hits"),
    )
    rows = ", ".join(["(%s, %s, 1)"] * len(keys))
    params: list[Any] = []
    for key in keys:
        params += [key, window_start]
    # One statement in autocommit: no BEGIN/COMMIT round trips. On PostgreSQL the table is
    # UNLOGGED (migration 0002): its writes skip the WAL, so this commit never waits for the
    # disk, and every request of one token queues behind only this row's lock. A crash empties
    # the counters: they are only a limit.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_column}, {window_column}, {hits_column}) VALUES {rows} "  # noqa: S608
            f"ON CONFLICT ({key_column}, {window_column}) "
            f"DO UPDATE SET {hits_column} = {table}.{hits_column} + 1 "
            f"RETURNING {key_column}, {hits_column}",
            params,
        )
        counts = {str(key): int(hits) for key, hits in cursor.fetchall()}
    return counts, start + window - moment


def _too_many(request: HttpRequest, retry_after: float) -> HttpResponse:
    seconds = max(1, math.ceil(retry_after))
    detail = _("Terlalu banyak permintaan. Coba lagi dalam %(seconds)d detik.") % {"seconds": seconds}
    wants_json = request.path_info.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )
    if wants_json:
        response: HttpResponse = JsonResponse({"detail": detail, "errors": []}, status=429)
    else:
        response = render(request, "security/too_many_requests.html", {"detail": detail}, status=429)
    response["Retry-After"] = str(seconds)
    return response


class RateLimitMiddleware:
    """After AuthenticationMiddleware and SecondFactorMiddleware (it reads the person)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limits = limits_for(request)
        if limits:
            try:
                counts, retry_after = hit([key for key, _allowed in limits])
            except DatabaseError:
                # A limiter that cannot count must not take the service down with it.
                logger.warning("rate limit not counted for %s", request.path_info, exc_info=True)
            else:
                if any(counts.get(key, 0) > allowed for key, allowed in limits):
                    return _too_many(request, retry_after)
        return self.get_response(request)


def prune(now: datetime | None = None) -> int:
    """Delete counters of windows that ended more than a window ago."""
    now = now or timezone.now()
    cutoff = now.timestamp() - 2 * settings.WASPADA_RATE_WINDOW
    hourly_cutoff = now.timestamp() - 2 * HOUR
    deleted, _ = (
        RateCounter.objects.filter(window_start__lt=datetime.fromtimestamp(cutoff, tz=UTC))
        .exclude(
            key__startswith=HOURLY_PREFIX, window_start__gte=datetime.fromtimestamp(hourly_cutoff, tz=UTC)
        )
        .delete()
    )
    return deleted
