"""API parity (issue 20): since, until, q and the lists' filters on /api/v1/reports/ and
/api/v1/incidents/; a bad value is a 422 naming the parameter in the API's error shape."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from waspada.reports.models import Report
from waspada.reports.tests.factories import submit
from waspada.situation.tests.helpers import incident

pytestmark = pytest.mark.django_db
WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def analyst(kesbangpol_analyst: Any) -> Client:
    client = Client()
    client.force_login(kesbangpol_analyst)
    return client


def _refs(client: Client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return [item["reference"] for item in response.json()["items"]]


def test_reports_filter_by_day_or_moment_words_and_athg(desa_reporter: Any, analyst: Client) -> None:
    old = submit(desa_reporter, title="Tongkang batu bara kandas", athg="ancaman").report
    new = submit(desa_reporter, title="Gudang dibakar massa", athg="gangguan").report
    Report.objects.filter(pk=old.pk).update(reported_at=datetime(2026, 11, 1, 9, 0, tzinfo=WITA))
    Report.objects.filter(pk=new.pk).update(reported_at=datetime(2026, 11, 3, 23, 30, tzinfo=WITA))
    assert _refs(analyst, "/api/v1/reports/?q=batubara") == [old.reference]
    assert _refs(analyst, "/api/v1/reports/?q=membakar") == [new.reference]
    assert _refs(analyst, "/api/v1/reports/?athg=gangguan") == [new.reference]
    assert _refs(analyst, "/api/v1/reports/?since=2026-11-02") == [new.reference]
    assert _refs(analyst, "/api/v1/reports/?until=2026-11-03") == [new.reference, old.reference]  # whole day
    assert _refs(analyst, "/api/v1/reports/?until=2026-11-03T23:00:00%2B08:00") == [old.reference]
    assert _refs(analyst, "/api/v1/reports/?since=2026-11-01T09:00:00") == [new.reference, old.reference]
    assert _refs(analyst, "/api/v1/reports/?since=2026-11-01T01:00:01Z") == [new.reference]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("since=kemarin", "since"),
        ("until=2026-13-01", "until"),
        ("since=1800-01-01", "since"),
        ("until=9999-12-31", "until"),  # no day after it: refused before any arithmetic
        ("since=2026-11-05&until=2026-11-01", "until"),
        ("athg=perang", "athg"),
    ],
)
def test_a_bad_value_is_a_422_naming_the_parameter(analyst: Client, query: str, field: str) -> None:
    response = analyst.get(f"/api/v1/reports/?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] and [error["field"] for error in body["errors"]] == [field]


def test_incidents_filter_by_level_status_period_and_words(
    desa_reporter: Any, kesbangpol_analyst: Any, analyst: Client
) -> None:
    siaga = incident(desa_reporter, kesbangpol_analyst, title="Bentrokan di pelabuhan", alert_level="siaga")
    normal = incident(
        desa_reporter, kesbangpol_analyst, title="Banjir kecil", alert_level="normal", days_ago=10
    )
    assert _refs(analyst, "/api/v1/incidents/?alert_level=siaga") == [siaga.reference]
    assert _refs(analyst, "/api/v1/incidents/?q=bentrok") == [siaga.reference]
    since = (datetime.now(WITA) - timedelta(days=5)).date().isoformat()
    assert _refs(analyst, f"/api/v1/incidents/?since={since}") == [siaga.reference]
    assert _refs(analyst, f"/api/v1/incidents/?until={since}") == [normal.reference]
    assert _refs(analyst, "/api/v1/incidents/?status=digabung") == []
    assert analyst.get("/api/v1/incidents/?until=besok").status_code == 422


def test_the_api_search_keeps_to_what_the_person_may_see(desa_reporter: Any, fkub_officer: Any) -> None:
    submit(desa_reporter, title="Tongkang batu bara kandas")
    fkub = Client()
    fkub.force_login(fkub_officer)
    assert _refs(fkub, "/api/v1/reports/?q=batubara") == []
