"""The README's first command, end to end: `waspada demo` on SQLite answers on its address.

The demo runs as a real subprocess (gunicorn and the worker included) against a fresh data
folder; the test's own database is not involved.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from waspada.testing.smtp import free_port


def _children_of(pid: int) -> list[str]:
    """Command lines of the direct children of ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append(cmdline)
        except (OSError, IndexError, ValueError):
            continue
    return found


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own loopback server
        return response.status, response.read().decode("utf-8", "replace")


def test_demo_starts_web_server_and_worker_and_the_login_page_answers(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["WASPADA_DATA_DIR"] = str(tmp_path / "data")
    log = (tmp_path / "demo.log").open("w")
    demo = subprocess.Popen(
        [sys.executable, "-m", "waspada", "demo", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 120
        status, body = 0, ""
        while time.monotonic() < deadline and demo.poll() is None:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/akun/masuk/")
                break
            except OSError:
                time.sleep(0.5)
        output = (tmp_path / "demo.log").read_text()
        assert status == 200, output
        assert 'name="username"' in body
        assert "kesbangpol" in output  # credentials were printed
        assert (tmp_path / "data" / "waspada.sqlite3").exists()

        css_status, css = _get(f"http://127.0.0.1:{port}/static/waspada/waspada.css")
        assert css_status == 200 and "--awas" in css

        children = _children_of(demo.pid)
        assert any("gunicorn" in c for c in children), children
        assert any(" worker " in f" {c} " for c in children), children
    finally:
        demo.send_signal(signal.SIGTERM)
        try:
            demo.wait(timeout=30)
        finally:
            if demo.poll() is None:
                demo.kill()
            log.close()
    assert _children_of(demo.pid) == []
