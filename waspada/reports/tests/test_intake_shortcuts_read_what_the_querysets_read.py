"""Intake's plain statements (docs/benchmarks.md, intake) give what the querysets they replace give.

Every report filed reads its token, its region, its deadline's days off and its deciding TKD, and
writes its event with the worker's task: each of these is one plain statement, so each is held
here against the queryset or the ``create()`` it stands for, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from waspada.forums.models import Forum
from waspada.notify import events
from waspada.notify.models import Event
from waspada.people.models import ApiToken
from waspada.people.tokens import _live_token, create_token, revoke_token
from waspada.regions.models import Region
from waspada.regions.places import region_by_code
from waspada.reports.tests.factories import submit
from waspada.response.calendar import regional_days_off
from waspada.response.models import DayOff

pytestmark = pytest.mark.django_db

VILLAGE = "64.01.06.2006"


def _values(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_a_live_token_reads_as_the_queryset_reads_it_with_its_person(desa_reporter: Any) -> None:
    token, _secret = create_token(person=desa_reporter, name="ponsel", by=None)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    expected = ApiToken.objects.live().select_related("person").get(pk=token.pk)
    with CaptureQueriesContext(connection) as queries:
        found = _live_token(expected.digest)
        assert found is not None
        assert _values(found) == _values(expected)
        assert _values(found.person) == _values(expected.person)  # no second query for the person
    assert len(queries.captured_queries) == 1
    assert found.last_used_at is not None and found.last_used_at.tzinfo is not None


def test_a_revoked_or_unknown_token_reads_as_none(desa_reporter: Any) -> None:
    token, _secret = create_token(person=desa_reporter, name="ponsel", by=None)
    revoke_token(token=token, by=None)
    assert _live_token(token.digest) is None
    assert _live_token("0" * 64) is None


def test_a_region_by_code_is_the_querysets_region_with_its_boundary_deferred(paser: Region) -> None:
    expected = Region.objects.defer("boundary").get(code=VILLAGE)
    found = region_by_code(VILLAGE)
    assert found is not None
    assert found.get_deferred_fields() == {"boundary"}
    assert {k: v for k, v in _values(found).items() if k != "boundary"} == {
        k: v for k, v in _values(expected).items() if k != "boundary"
    }
    assert region_by_code("64.01.06.9999") is None


def test_days_off_read_in_one_statement_are_the_places_own_with_the_most_specific_name(
    kaltim: Region,
) -> None:
    start = date(2027, 3, 1)
    DayOff.objects.create(date=start, name="Libur seluruh instalasi", region=None)
    DayOff.objects.create(date=start, name="Hari jadi Paser", region_id="64.01")
    DayOff.objects.create(date=start + timedelta(days=1), name="Libur provinsi", region_id="64")
    DayOff.objects.create(date=start + timedelta(days=2), name="Hari jadi PPU", region_id="64.09")
    DayOff.objects.create(date=start + timedelta(days=40), name="Di luar rentang", region=None)
    found = regional_days_off(start, start + timedelta(days=10), VILLAGE)
    assert found == {start: "Hari jadi Paser", start + timedelta(days=1): "Libur provinsi"}
    assert regional_days_off(start, start + timedelta(days=10), None) == {start: "Libur seluruh instalasi"}


def test_the_deciding_tkd_ids_are_the_deciding_tkds(personas: Any, province_analyst: Any) -> None:
    for code in (VILLAGE, "64.01", "64", "64.09.01"):
        assert Forum.objects.deciding_tkd_ids(code) == [f.pk for f in Forum.objects.deciding_tkds(code)]
    assert Forum.objects.deciding_tkd_ids("11.01") == []


def test_a_reports_event_and_task_in_one_statement_are_what_create_writes(
    desa_reporter: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the event, its forum links and the task row are one statement; the same
    report's event written through the models' create() must give the same rows."""
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement event is PostgreSQL's")
    from django_tasks_db.models import DBTaskResult

    report = submit(desa_reporter).report
    fast = Event.objects.get(report=report)
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        events.report_event(events.Kind.REPORT_SUBMITTED, report)
    inserts = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == 1
    monkeypatch.setattr(events, "_one_statement_possible", lambda: False)
    slow = events.report_event(events.Kind.REPORT_SUBMITTED, report)
    assert slow is not None
    skip = {"id", "created_at"}
    assert {k: v for k, v in _values(fast).items() if k not in skip} == {
        k: v for k, v in _values(slow).items() if k not in skip
    }
    assert (
        set(fast.forums.values_list("pk", flat=True))
        == set(slow.forums.values_list("pk", flat=True))
        != set()
    )
    tasks = {row.args_kwargs["args"][0]: row for row in DBTaskResult.objects.all()}
    assert set(tasks) >= {fast.pk, slow.pk}
    skip = {"id", "enqueued_at", "args_kwargs"}
    assert {k: v for k, v in _values(tasks[fast.pk]).items() if k not in skip} == {
        k: v for k, v in _values(tasks[slow.pk]).items() if k not in skip
    }
    assert tasks[fast.pk].args_kwargs == {"args": [fast.pk], "kwargs": {}}
