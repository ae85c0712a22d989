"""WASPADA_SENDFILE takes empty (the app sends uploads) or nginx; anything else stops the start
with a message naming the variable, instead of serving files some third way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _load_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "WASPADA_DATA_DIR": str(tmp_path), **env}
    environ.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c", "import waspada.settings as s; print(s.WASPADA_SENDFILE or '-')"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_nginx_and_empty_are_accepted(tmp_path: Path) -> None:
    assert _load_settings(tmp_path, WASPADA_SENDFILE="nginx").stdout.strip() == "nginx"
    assert _load_settings(tmp_path, WASPADA_SENDFILE="").stdout.strip() == "-"


def test_another_value_stops_the_start_naming_the_variable(tmp_path: Path) -> None:
    result = _load_settings(tmp_path, WASPADA_SENDFILE="apache")
    assert result.returncode != 0
    assert "WASPADA_SENDFILE='apache'" in result.stderr
