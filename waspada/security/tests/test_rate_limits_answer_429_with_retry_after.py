"""The API and the report form's submission are limited per caller and per address."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from waspada.people.tokens import create_token
from waspada.security import ratelimit
from waspada.security.models import RateCounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limits(settings: Settings) -> Settings:
    settings.WASPADA_API_RATE_PER_CLIENT = 3
    settings.WASPADA_API_RATE_PER_ADDRESS = 5
    settings.WASPADA_FORM_RATE_PER_PERSON = 2
    settings.WASPADA_FORM_RATE_PER_ADDRESS = 4
    settings.WASPADA_RATE_WINDOW = 3600  # no window ends during the test
    return settings


def test_a_token_over_its_limit_gets_429_with_retry_after_and_an_indonesian_detail(
    small_limits: Settings, desa_reporter: Any, fkub_officer: Any
) -> None:
    _token, raw = create_token(person=desa_reporter, name="uji", by=None)
    _other, other_raw = create_token(person=fkub_officer, name="uji", by=None)
    client = Client(REMOTE_ADDR="203.0.113.20")
    answers = [client.get("/api/v1/reports/", headers={"authorization": f"Bearer {raw}"}) for _n in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    refused = answers[3]
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert refused["Content-Type"] == "application/json"
    body = json.loads(refused.content)
    assert body["detail"].startswith("Terlalu banyak permintaan. Coba lagi dalam")
    assert body["errors"] == []
    # Another token from the same address still has room (4 of the address's 5 are used).
    assert client.get("/api/v1/reports/", headers={"authorization": f"Bearer {other_raw}"}).status_code == 200
    # Now the address is over its limit for everyone.
    assert client.get("/api/v1/reports/", headers={"authorization": f"Bearer {other_raw}"}).status_code == 429
    assert (
        Client(REMOTE_ADDR="203.0.113.21")
        .get("/api/v1/reports/", headers={"authorization": f"Bearer {other_raw}"})
        .status_code
        == 200
    )


def test_a_session_is_limited_as_its_person(
    small_limits: Settings, client: Client, desa_reporter: Any
) -> None:
    client.force_login(desa_reporter)
    statuses = [client.get("/api/v1/regions/64.01").status_code for _n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert RateCounter.objects.get(key=f"api:person:{desa_reporter.pk}").hits == 4


def test_no_token_in_the_counter_keys(small_limits: Settings, desa_reporter: Any) -> None:
    _token, raw = create_token(person=desa_reporter, name="uji", by=None)
    Client().get("/api/v1/reports/", headers={"authorization": f"Bearer {raw}"})
    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert len(keys) == 2 and not any(raw in key or raw[4:20] in key for key in keys)


def test_the_report_form_post_is_limited_with_json_for_its_script_and_a_page_otherwise(
    small_limits: Settings, client: Client, desa_reporter: Any
) -> None:
    client.force_login(desa_reporter)
    for _n in range(2):
        assert (
            client.post("/laporan/baru/", {"title": ""}, headers={"accept": "application/json"}).status_code
            != 429
        )
    refused = client.post("/laporan/baru/", {"title": ""}, headers={"accept": "application/json"})
    assert refused.status_code == 429
    assert json.loads(refused.content)["detail"].startswith("Terlalu banyak permintaan")
    page = client.post("/laporan/baru/", {"title": ""})
    assert page.status_code == 429 and "Retry-After" in page
    assert "Terlalu banyak permintaan" in page.content.decode()
    assert client.get("/laporan/baru/").status_code == 200  # reading the form is not limited


def test_by_default_the_limits_are_on_and_roomy(settings: Settings) -> None:
    assert settings.WASPADA_RATE_WINDOW == 60
    assert settings.WASPADA_API_RATE_PER_CLIENT == 600
    assert settings.WASPADA_API_RATE_PER_ADDRESS == 1200
    assert settings.WASPADA_FORM_RATE_PER_PERSON == 30
    assert settings.WASPADA_FORM_RATE_PER_ADDRESS == 120


def test_counts_are_shared_through_the_database_and_old_windows_are_pruned(settings: Settings) -> None:
    settings.WASPADA_RATE_WINDOW = 60
    counts, retry_after = ratelimit.hit(["a", "b"], now=1_000_000.0)
    assert counts == {"a": 1, "b": 1} and retry_after == pytest.approx(20.0)
    counts, _retry = ratelimit.hit(["a"], now=1_000_010.0)
    assert counts == {"a": 2}
    counts, _retry = ratelimit.hit(["a"], now=1_000_030.0)  # the next window
    assert counts == {"a": 1}
    assert RateCounter.objects.count() == 3
    from datetime import UTC, datetime

    assert ratelimit.prune(now=datetime.fromtimestamp(1_000_200, tz=UTC)) == 3


def test_hourly_counters_outlive_the_short_windows_prune(settings: Settings) -> None:
    """Password-reset mail is counted per hour: pruning the minute windows must not forget it."""
    from datetime import UTC, datetime

    settings.WASPADA_RATE_WINDOW = 60
    key = ratelimit.HOURLY_PREFIX + "reset:net:192.0.2.1"
    ratelimit.hit([key], now=3_600_000.0, window=ratelimit.HOUR)
    ratelimit.hit(["api:net:192.0.2.1"], now=3_600_000.0)
    assert ratelimit.prune(now=datetime.fromtimestamp(3_600_600, tz=UTC)) == 1
    counts, _retry = ratelimit.hit([key], now=3_601_000.0, window=ratelimit.HOUR)
    assert counts == {key: 2}
    assert ratelimit.prune(now=datetime.fromtimestamp(3_600_000 + 3 * 3600, tz=UTC)) == 1
