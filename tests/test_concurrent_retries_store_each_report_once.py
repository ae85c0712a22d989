"""Many reporters at once, with retries racing their first attempt: each report stored once, and
counted once in the reports rollup.

Runs against Django's threaded live server on PostgreSQL, where every request thread has its own
connection and transactions really overlap. (The benchmark `benchmarks/intake.py` runs the full
20 x 50 case against gunicorn.)
"""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.utils import timezone

from waspada.people.tokens import create_token
from waspada.reports.models import IdempotencyRecord, Report
from waspada.reports.rollups import direct_counts, rollup_counts

CLIENTS = 8
PER_CLIENT = 9


def _body(n: int, when: str) -> bytes:
    return json.dumps(
        {
            "title": f"Laporan serentak {n}",
            "what": "Warga berkumpul di balai desa.",
            "athg": "gangguan",
            "isu": "agraria_warga",
            "alert_level": "waspada",
            "region_code": "64.01.06.2006",
            "occurred_at": when,
        }
    ).encode()


@pytest.mark.django_db(transaction=True)
def test_racing_retries_with_the_same_key_store_each_report_exactly_once(live_server, desa_reporter) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("overlapping transactions need a server database; idempotency on SQLite is unit-tested")
    _, token = create_token(person=desa_reporter, name="uji serentak", by=None)
    address = urlsplit(live_server.url)
    when = (timezone.now() - timedelta(hours=1)).isoformat()
    statuses: list[int] = []
    references: dict[str, set[str]] = {}
    lock = threading.Lock()

    def send(key: str, body: bytes) -> None:
        conn = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        conn.request(
            "POST",
            "/api/v1/reports/",
            body=body,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": key,
            },
        )
        response = conn.getresponse()
        data = response.read()
        with lock:
            statuses.append(response.status)
            if response.status == 201:
                references.setdefault(key, set()).add(json.loads(data)["reference"])

    def client(i: int) -> None:
        for n in range(PER_CLIENT):
            key = f"serentak-{i}-{n}-{uuid.uuid4()}"
            body = _body(i * 100 + n, when)
            if n % 3 == 0:
                # The retry races the first attempt: both in flight at once.
                twins = [threading.Thread(target=send, args=(key, body)) for _ in range(2)]
                for twin in twins:
                    twin.start()
                for twin in twins:
                    twin.join()
            else:
                send(key, body)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    reports = CLIENTS * PER_CLIENT
    retried = CLIENTS * len(range(0, PER_CLIENT, 3))
    assert len(statuses) == reports + retried
    assert all(status < 500 for status in statuses), statuses
    assert Report.objects.count() == reports
    assert IdempotencyRecord.objects.count() == reports
    # Both answers to a retried key name the same report.
    assert all(len(refs) == 1 for refs in references.values())
    assert len({ref for refs in references.values() for ref in refs}) == reports
    # Every one of them moved the same rollup bucket at once, and each move landed (an UPSERT adds
    # under the row's lock: reports/rollups.py), while the retries that lost moved nothing.
    assert rollup_counts() == direct_counts()
    assert sum(rollup_counts().values()) == reports
