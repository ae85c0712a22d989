"""An unattended screen signs itself out: a page's background poll does not restart the idle
clock (security/sessions.py), while the person's own requests do."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def _session_writes(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        1
        for query in queries.captured_queries
        if "django_session" in query["sql"] and query["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


def test_the_live_poll_does_not_save_the_session_but_a_page_does(
    client: Client, kesbangpol_analyst: Any
) -> None:
    client.force_login(kesbangpol_analyst)
    assert _session_writes(client, "/situasi/") >= 1
    assert _session_writes(client, "/situasi/langsung.json") == 0
    assert _session_writes(client, "/api/v1/situation/langsung") == 0
