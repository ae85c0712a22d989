"""The service worker's app shell holds every script and style sheet the kept pages load, so the
report form works offline after one visit (docs/offline.md)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ASSET = re.compile(r'<(?:script|link)\b[^>]*(?:src|href)="(/static/[^"]+\.(?:js|css))"')


def _shell() -> set[str]:
    worker = Client().get("/sw.js").content.decode()
    found = re.search(r"self\.WASPADA_SHELL = (\[.*?\]);", worker)
    assert found, worker[:300]
    return set(json.loads(found.group(1)))


@pytest.mark.parametrize("path", ["/", "/laporan/baru/", "/laporan/", "/tindak-lanjut/"])
def test_every_script_and_style_sheet_of_a_kept_page_is_in_the_shell(desa_reporter: Any, path: str) -> None:
    client = Client()
    client.force_login(desa_reporter)
    page = client.get(path).content.decode()
    assets = set(ASSET.findall(page))
    assert "/static/reports/outbox.js" in assets or path != "/laporan/baru/"
    assert assets, page[:300]
    assert assets <= _shell(), sorted(assets - _shell())
