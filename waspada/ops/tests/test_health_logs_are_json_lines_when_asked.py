"""Structured logs: LOG_FORMAT=json writes one JSON object per line; a bad value stops the start."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

from django.test import RequestFactory

from waspada.lib.jsonlog import JsonFormatter
from waspada.ops.tests.backup_helpers import clean_env

CODE = """
import logging, django
django.setup()
log = logging.getLogger("waspada.uji")
reference = "SKD-6401-2026-000001"
log.warning("laporan %s diterima", reference, extra={"reference": reference, "ms": 12.5})
try:
    1 / 0
except ZeroDivisionError:
    log.exception("pekerjaan gagal")
"""


def _run(tmp_path, log_format: str) -> subprocess.CompletedProcess[str]:
    env = clean_env(
        WASPADA_DATA_DIR=str(tmp_path), LOG_FORMAT=log_format, DJANGO_SETTINGS_MODULE="waspada.settings"
    )
    return subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True, check=False)


def test_with_log_format_json_every_line_is_one_json_object(tmp_path) -> None:
    result = _run(tmp_path, "json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert len(lines) == 2
    first, second = lines
    assert first["level"] == "WARNING" and first["logger"] == "waspada.uji"
    assert first["message"] == "laporan SKD-6401-2026-000001 diterima"
    assert first["reference"] == "SKD-6401-2026-000001" and first["ms"] == 12.5
    assert first["time"].endswith("+00:00")
    assert second["level"] == "ERROR" and "ZeroDivisionError" in second["exception"]


def test_the_default_stays_plain_text(tmp_path) -> None:
    result = _run(tmp_path, "plain")
    assert result.returncode == 0, result.stderr
    assert "WARNING waspada.uji laporan SKD-6401-2026-000001 diterima" in result.stderr
    assert not result.stderr.lstrip().startswith("{")


def test_an_unknown_format_stops_the_start_naming_the_variable(tmp_path) -> None:
    result = _run(tmp_path, "xml")
    assert result.returncode != 0
    assert "LOG_FORMAT='xml': harus plain atau json" in result.stderr


def test_a_request_in_a_record_is_written_as_method_and_path_only() -> None:
    request = RequestFactory().post("/laporan/baru/?token=rahasia", HTTP_AUTHORIZATION="Bearer wsp_rahasia")
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/x",), None)
    record.request = request
    record.status_code = 403
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request"] == {"method": "POST", "path": "/laporan/baru/"}
    assert entry["status_code"] == 403
    assert "rahasia" not in json.dumps(entry)
