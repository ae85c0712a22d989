"""What several benchmark scripts share: an empty database of their own for one run."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


@contextmanager
def fresh_database(label: str) -> Iterator[str]:
    """Point the settings at an empty database for the duration of the benchmark; yield its kind.

    SQLite unless ``DATABASE_URL`` names PostgreSQL; then a database ``waspada_bench_<label>_<pid>``
    is created on that server and dropped afterwards. Call before ``django.setup()``."""
    url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix=f"waspada-bench-{label}-") as data_dir:
        os.environ["WASPADA_DATA_DIR"] = data_dir
        if not url.startswith(("postgres://", "postgresql://")):
            os.environ.pop("DATABASE_URL", None)
            yield "sqlite"
            return
        import psycopg

        parts = urlsplit(url)
        name = f"waspada_bench_{label}_{os.getpid()}"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        try:
            yield "postgresql"
        finally:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


# Two revisions side by side (--against REV). The machine is shared, so a figure from one run is
# only comparable with a figure from the same run: each round runs the benchmark once on this tree
# and once on a git worktree of REV (the REV's own code, this tree's benchmark script, the same
# virtualenv), in alternating order, and prints both, their ratio and the load average.

TREE_VARIABLE = "WASPADA_BENCH_TREE"


def code_root(default: Path) -> Path:
    """The tree whose ``waspada`` a benchmark imports: ``WASPADA_BENCH_TREE`` when --against runs
    it on another revision, else the benchmark's own tree."""
    tree = os.environ.get(TREE_VARIABLE)
    return Path(tree) if tree else default


@contextmanager
def revision_tree(repository: Path, revision: str) -> Iterator[Path]:
    """A detached git worktree of ``revision`` in a temporary directory, removed afterwards."""
    commit = subprocess.run(
        ["git", "-C", str(repository), "rev-parse", "--verify", f"{revision}^{{commit}}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="waspada-bench-rev-") as parent:
        tree = Path(parent) / commit[:12]
        subprocess.run(
            ["git", "-C", str(repository), "worktree", "add", "--detach", "--quiet", str(tree), commit],
            check=True,
        )
        try:
            yield tree
        finally:
            subprocess.run(
                ["git", "-C", str(repository), "worktree", "remove", "--force", str(tree)], check=False
            )


def figures_of(output: str) -> dict[str, str]:
    """The key=value figures of a benchmark's last line that has any."""
    for line in reversed(output.strip().splitlines()):
        pairs = [part.split("=", 1) for part in line.split() if "=" in part]
        if pairs:
            return {key: value for key, value in pairs}
    return {}


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def run_against(
    script: Path,
    argv: list[str],
    *,
    revision: str,
    rounds: int,
    compare: list[str],
    environment: dict[str, str] | None = None,
) -> list[dict[str, dict[str, str]]]:
    """Run ``script`` with ``argv`` ``rounds`` times on this tree and on ``revision``, alternating
    which goes first, and print each round's figures named in ``compare``, the ratio this ÷ REV
    and the load average before each run. Returns the figures of each round by label."""
    here = script.resolve().parents[1]
    results: list[dict[str, dict[str, str]]] = []
    with revision_tree(here, revision) as other:
        trees = {"this": here, revision: other}
        for number in range(rounds):
            order = list(trees.items()) if number % 2 == 0 else list(reversed(trees.items()))
            figures: dict[str, dict[str, str]] = {}
            for label, tree in order:
                env = dict(os.environ, **(environment or {}))
                env[TREE_VARIABLE] = str(tree)
                env["PYTHONPATH"] = str(tree)
                load = os.getloadavg()[0]
                started = time.strftime("%H:%M:%S", time.gmtime())
                done = subprocess.run(
                    [sys.executable, str(script), *argv], env=env, cwd=tree, capture_output=True, text=True
                )
                if done.returncode != 0:
                    sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
                    raise SystemExit(f"{label}: the benchmark failed (exit {done.returncode})")
                figures[label] = figures_of(done.stdout) | {"load": f"{load:.1f}", "started": started}
                for line in done.stdout.strip().splitlines():
                    print(f"[round {number + 1} {label}] {line}")
                sys.stdout.flush()
            results.append(figures)
            mine, theirs = figures["this"], figures[revision]
            cells = []
            for key in compare:
                a, b = _number(mine.get(key)), _number(theirs.get(key))
                ratio = f"x{a / b:.2f}" if a is not None and b else "-"
                cells.append(
                    f"{key}: this {mine.get(key, '-')} / {revision} {theirs.get(key, '-')} ({ratio})"
                )
            print(
                f"round {number + 1} (this at {mine['started']} UTC load {mine['load']}, "
                f"{revision} at {theirs['started']} UTC load {theirs['load']}): " + "; ".join(cells)
            )
            sys.stdout.flush()
    return results
