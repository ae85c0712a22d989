"""The same second-factor code sent from two sessions at once (issue "Hardening from a hostile
review", point 5): one session gets in, the other is told the code was wrong. It was a 500
(``LoginThrottle.DoesNotExist``): the session that got in deleted its throttle row while the
other, counting its failure, had read the row and was waiting to lock it.

PostgreSQL only: there two transactions really interleave; SQLite lets one writer at a time in.
The interleaving is made exact: the login's transaction holds the deleted row until the counting
session is seen waiting for the lock.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import RequestFactory

from waspada.people.models import Person
from waspada.security.models import LoginThrottle, ThrottleScope
from waspada.security.throttle import register_failure, register_success

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two real concurrent transactions"),
]


def _waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


def test_a_failure_counted_while_a_login_removes_the_row_is_counted_again(kesbangpol_analyst: Person) -> None:
    request = RequestFactory().post("/akun/dua-langkah/", REMOTE_ADDR="10.1.2.3")
    name = kesbangpol_analyst.get_username()
    register_failure(username=name, request=request, person=kesbangpol_analyst, reason="second_factor")
    assert LoginThrottle.objects.filter(scope=ThrottleScope.PAIR).count() == 1

    deleted, go_on = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    outcome: dict[str, Any] = {}

    def the_session_that_gets_in() -> None:
        try:
            with transaction.atomic():
                register_success(person=kesbangpol_analyst, request=request)
                deleted.set()
                go_on.wait(20)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def the_session_with_the_same_code() -> None:
        try:
            deleted.wait(20)
            outcome["lockout"] = register_failure(
                username=name, request=request, person=kesbangpol_analyst, reason="second_factor"
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(target=the_session_that_gets_in)
    second = threading.Thread(target=the_session_with_the_same_code)
    first.start()
    second.start()
    deadline = time.monotonic() + 20
    while not _waiting_for_a_lock() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _waiting_for_a_lock(), "the second session never waited for the row"
    go_on.set()
    first.join(20)
    second.join(20)

    assert not errors, repr(errors)
    assert "lockout" in outcome
    # The failure is counted afresh on the pair's row, made again.
    pair = LoginThrottle.objects.get(scope=ThrottleScope.PAIR)
    assert pair.failures == 1
