"""The read replica (core/dbrouter.py) against a real PostgreSQL standby streaming from its primary.

How a read is proven to come from the replica: the standby's replay is paused, a report is
filed on the primary, and the list does not show it (the replica has not applied it yet) while
a primary read would. Queries are also counted on each connection.

Runs only under ``python -m waspada.testing.replica`` (``scripts/test`` does it); skipped
otherwise, on SQLite among them (see the ``streaming_replica`` fixture in conftest.py).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings
from django.core.signals import request_finished
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from waspada.briefs.actions import create_situation_brief
from waspada.briefs.models import Brief
from waspada.briefs.tests.helpers import last_week
from waspada.core.dbrouter import (
    READ_YOUR_WRITES_COOKIE,
    ReplicaReadsMiddleware,
    forget_replica_health,
    measure_replica,
    replica_reads,
)
from waspada.forums.models import Membership
from waspada.people.models import Person
from waspada.regions.models import Region
from waspada.reports.models import Report
from waspada.reports.tests.factories import submit
from waspada.situation.models import SavedSearch
from waspada.situation.tests.helpers import incident
from waspada.testing.personas import ensure_persona
from waspada.testing.replica import StreamingReplica

pytestmark = [
    pytest.mark.skipif(
        "replica" not in settings.DATABASES,
        reason="no streaming replica: run `python -m waspada.testing.replica .venv/bin/pytest PATH` "
        "(scripts/test does)",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

LIST = "/situasi/laporan/"


def _signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _reads_on(context: CaptureQueriesContext) -> list[str]:
    """The queries the page made on one connection, without the router's own lag checks."""
    return [
        q["sql"]
        for q in context.captured_queries
        if "pg_is_in_recovery" not in q["sql"] and "pg_current_wal_lsn" not in q["sql"]
    ]


def _filed_while_replay_is_paused(pair: StreamingReplica, reporter: Any) -> None:
    submit(reporter, title="Bentrokan sudah direplikasi")
    pair.wait_caught_up()
    pair.pause_replay()
    submit(reporter, title="Sabu belum direplikasi")


def test_the_replica_is_a_standby_streaming_from_the_primary(streaming_replica: StreamingReplica) -> None:
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        assert cursor.fetchone() == (True, streaming_replica.standby_port)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        assert cursor.fetchone() == (False, streaming_replica.primary_port)


def test_a_list_reads_the_replica(
    streaming_replica: StreamingReplica, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    _filed_while_replay_is_paused(streaming_replica, desa_reporter)
    client = _signed_in(kesbangpol_analyst)
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        html = client.get(LIST).content.decode()
    assert "Bentrokan sudah direplikasi" in html
    assert "Sabu belum direplikasi" not in html  # on the primary only: the page read the replica
    assert any("reports_report" in sql for sql in _reads_on(on_replica))
    assert not any("reports_report" in sql for sql in _reads_on(on_primary))
    assert Report.objects.filter(title="Sabu belum direplikasi").exists()  # a test's own read: primary


def test_the_dashboard_reads_the_replica(
    streaming_replica: StreamingReplica, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    client = _signed_in(kesbangpol_analyst)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert client.get("/situasi/").status_code == 200
    assert any("reports_" in sql for sql in _reads_on(on_replica))


def test_what_the_dashboard_kept_from_a_lagging_replica_is_not_kept_past_its_catching_up(
    streaming_replica: StreamingReplica, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    """The situation's pages keep their answers in the cache under the newest audit entry. The
    entry and the answer must come from the same server: an answer counted on a replica that
    lags, kept under the primary's newer entry, would outlive the lag until the next change."""
    client = _signed_in(kesbangpol_analyst)
    client.get("/situasi/")
    streaming_replica.pause_replay()
    incident(desa_reporter, kesbangpol_analyst, title="Rumah ibadah ditolak warga")
    assert "Rumah ibadah ditolak warga" not in client.get("/situasi/").content.decode()  # the replica
    streaming_replica.resume_replay()
    streaming_replica.wait_caught_up()
    assert "Rumah ibadah ditolak warga" in client.get("/situasi/").content.decode()


def test_accounts_and_seats_are_read_on_the_primary_even_where_reads_may_go_to_the_replica(
    streaming_replica: StreamingReplica, desa_reporter: Any, paser: Region
) -> None:
    _filed_while_replay_is_paused(streaming_replica, desa_reporter)
    newcomer = ensure_persona("fkub_officer", regency=paser)  # an account and a seat, after the pause
    with replica_reads():
        assert not Report.objects.filter(title="Sabu belum direplikasi").exists()  # the replica
        assert Person.objects.filter(pk=newcomer.pk).exists()  # the primary
        assert Membership.objects.filter(person_id=newcomer.pk).exists()  # the primary


def test_a_page_not_opted_in_reads_the_primary(
    streaming_replica: StreamingReplica, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    _filed_while_replay_is_paused(streaming_replica, desa_reporter)
    client = _signed_in(kesbangpol_analyst)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        html = client.get("/laporan/verifikasi/").content.decode()
    assert "Sabu belum direplikasi" in html
    assert _reads_on(on_replica) == []


def test_a_write_goes_to_the_primary_and_its_writer_then_reads_the_primary(
    streaming_replica: StreamingReplica, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    _filed_while_replay_is_paused(streaming_replica, desa_reporter)
    writer = _signed_in(kesbangpol_analyst)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = writer.post(
            "/situasi/pencarian/", {"target": "laporan", "query": "isu=narkoba", "name": "Narkoba pekan ini"}
        )
    assert response.status_code == 302
    assert _reads_on(on_replica) == []  # the POST neither wrote nor read there
    assert SavedSearch.objects.filter(name="Narkoba pekan ini").exists()  # on the primary
    assert READ_YOUR_WRITES_COOKIE in response.cookies

    html = writer.get(LIST).content.decode()
    assert "Narkoba pekan ini" in html  # the writer's own search, from the primary
    assert "Sabu belum direplikasi" in html

    # The same person in another browser, without the marker: the replica, which has neither.
    html = _signed_in(kesbangpol_analyst).get(LIST).content.decode()
    assert "Narkoba pekan ini" not in html
    assert "Sabu belum direplikasi" not in html


def test_the_marker_lasts_the_lag_budget_and_the_check_interval(
    streaming_replica: StreamingReplica, kesbangpol_analyst: Any, settings: Settings
) -> None:
    settings.REPLICA_LAG_BUDGET = 10
    settings.REPLICA_CHECK_INTERVAL = 2
    response = _signed_in(kesbangpol_analyst).post(
        "/situasi/pencarian/", {"target": "laporan", "query": "", "name": "Semua"}
    )
    assert response.cookies[READ_YOUR_WRITES_COOKIE]["max-age"] == 12


def test_a_replica_beyond_the_lag_budget_is_left_for_the_primary(
    streaming_replica: StreamingReplica, desa_reporter: Any, kesbangpol_analyst: Any, settings: Settings
) -> None:
    settings.REPLICA_LAG_BUDGET = 1
    _filed_while_replay_is_paused(streaming_replica, desa_reporter)
    time.sleep(1.5)
    health = measure_replica()
    assert not health.usable and health.lag_seconds is not None and health.lag_seconds > 1

    client = _signed_in(kesbangpol_analyst)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        html = client.get(LIST).content.decode()
    assert "Sabu belum direplikasi" in html
    assert _reads_on(on_replica) == []

    streaming_replica.resume_replay()
    streaming_replica.wait_caught_up()
    assert measure_replica().usable and measure_replica().lag_seconds == 0


def test_a_replica_that_is_down_is_left_for_the_primary(
    streaming_replica: StreamingReplica, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    submit(desa_reporter, title="Banjir merendam jalan")
    client = _signed_in(kesbangpol_analyst)
    streaming_replica.stop_standby()
    connections["replica"].close()
    forget_replica_health()
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Banjir merendam jalan" in response.content.decode()
    assert not measure_replica().usable

    streaming_replica.start_standby()
    forget_replica_health()
    assert measure_replica().usable


def test_reads_inside_a_transaction_go_to_the_primary(
    streaming_replica: StreamingReplica, desa_reporter: Any
) -> None:
    from django.db import transaction

    _filed_while_replay_is_paused(streaming_replica, desa_reporter)
    with replica_reads():
        assert not Report.objects.filter(title="Sabu belum direplikasi").exists()  # the replica
        with transaction.atomic():
            assert Report.objects.filter(title="Sabu belum direplikasi").exists()  # the primary


def test_the_workers_brief_counts_on_the_replica(
    streaming_replica: StreamingReplica, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    submit(desa_reporter, title="Bentrokan warga")
    streaming_replica.wait_caught_up()
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        brief = create_situation_brief(
            period=last_week(), recipient=kesbangpol_analyst, by=None, scheduled=True
        )
    assert any("reports_report" in sql for sql in _reads_on(on_replica))  # the figures
    assert not any("reports_report" in sql for sql in _reads_on(on_primary))
    assert Brief.objects.filter(pk=brief.pk).exists()  # stored on the primary


def test_inside_a_request_only_the_page_decides(
    streaming_replica: StreamingReplica, desa_reporter: Any, kesbangpol_analyst: Any
) -> None:
    """A page not opted in, or a POST (a brief's copy asked for), reads the primary, even where
    the code would let a job read the replica."""
    _filed_while_replay_is_paused(streaming_replica, desa_reporter)
    seen: dict[str, bool] = {}

    def page(request: HttpRequest) -> HttpResponse:
        with replica_reads():
            seen["report"] = Report.objects.filter(title="Sabu belum direplikasi").exists()
        return HttpResponse()

    middleware = ReplicaReadsMiddleware(page)
    for method, path, on_primary in [
        ("get", "/ringkasan/rilis/", True),  # not opted in
        ("post", "/ringkasan/", True),  # a write
        ("get", "/ringkasan/", False),  # opted in: the brief list reads the replica
    ]:
        middleware(getattr(RequestFactory(), method)(path))
        request_finished.send(sender=None)
        assert seen.pop("report") is on_primary, (method, path)  # the paused replica lacks it
    with replica_reads():  # outside a request, a job
        assert not Report.objects.filter(title="Sabu belum direplikasi").exists()
