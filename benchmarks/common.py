"""What several benchmark scripts share: an empty database of their own for one run."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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
