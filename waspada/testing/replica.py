"""A real PostgreSQL primary with a streaming standby on 127.0.0.1, for the read-replica tests.

Why a primary of its own rather than the machine's server at 127.0.0.1:5432: streaming from that
server needs a ``replication`` line in its pg_hba.conf (a fresh Debian install has none for TCP)
and copies every database on it, other people's included; changing it means a reload of a server
others use. A cluster made here with ``initdb`` in a temporary folder costs about a second, needs
only PostgreSQL's server binaries (Debian: ``postgresql``), and is the same on a fresh machine, a
developer's laptop and CI. The standby is made exactly as in production (docs/deployment.md §14):
``pg_basebackup -R`` (which writes ``standby.signal`` and ``primary_conninfo``), then ``pg_ctl start``.

Used two ways:

- ``python -m waspada.testing.replica COMMAND...`` starts the pair, runs COMMAND with
  ``DATABASE_URL`` (the primary), ``DATABASE_REPLICA_URL`` (the standby) and
  ``WASPADA_TEST_REPLICA`` (how to pause or stop the standby) set, then removes both
  (``scripts/test`` runs the replica tests so);
- :func:`streaming_replica`, a context manager, from Python.

PostgreSQL refuses to run as root: as root, the servers run as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from waspada.testing.smtp import free_port

DATABASE = "waspada_replica_test"
ENV = "WASPADA_TEST_REPLICA"


class ReplicaUnavailable(RuntimeError):
    """PostgreSQL's server binaries are not installed here."""


def postgres_bin_dir() -> Path | None:
    """``WASPADA_PG_BIN``, else the newest /usr/lib/postgresql/*/bin, else the folder of initdb on PATH."""
    configured = os.environ.get("WASPADA_PG_BIN")
    candidates = [Path(configured)] if configured else []
    candidates += sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for candidate in candidates:
        if all((candidate / tool).is_file() for tool in ("initdb", "pg_ctl", "pg_basebackup", "postgres")):
            return candidate
    return None


@dataclass
class StreamingReplica:
    """A running primary and its standby. Both trust connections from 127.0.0.1 as ``postgres``."""

    bin_dir: str
    base: str
    primary_port: int
    standby_port: int
    run_as: str | None  # "postgres" when we are root

    @property
    def primary_dir(self) -> str:
        return str(Path(self.base) / "primary")

    @property
    def standby_dir(self) -> str:
        return str(Path(self.base) / "standby")

    def url(self, port: int, database: str = DATABASE) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    @property
    def primary_url(self) -> str:
        return self.url(self.primary_port)

    @property
    def replica_url(self) -> str:
        return self.url(self.standby_port)

    # -- driving the standby from a test --------------------------------------------------

    def sql(self, port: int, statement: str, database: str = "postgres") -> str:
        out = _run(
            [
                str(Path(self.bin_dir) / "psql"),
                *f"-X -At -h 127.0.0.1 -p {port} -U postgres -d {database}".split(),
                "-c",
                statement,
            ],
            self.run_as,
        )
        return out.strip()

    def pause_replay(self) -> None:
        """The standby keeps receiving WAL but stops applying it: it falls behind as time passes."""
        self.sql(self.standby_port, "SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.sql(self.standby_port, "SELECT pg_wal_replay_resume()")

    def wait_caught_up(self, timeout: float = 30) -> None:
        """Until the standby has replayed everything the primary has written so far."""
        target = self.sql(self.primary_port, "SELECT pg_current_wal_lsn()")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.sql(self.standby_port, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") == "t":
                return
            time.sleep(0.05)
        raise TimeoutError(f"standby did not reach {target} in {timeout} s")

    def stop_standby(self) -> None:
        _pg_ctl(self, self.standby_dir, "stop", "-m", "fast")

    def start_standby(self) -> None:
        _pg_ctl(self, self.standby_dir, "start", "-l", str(Path(self.base) / "standby.log"))
        _wait_ready(self, self.standby_port)

    def stop(self) -> None:
        for folder in (self.standby_dir, self.primary_dir):
            if Path(folder, "postmaster.pid").exists():
                _pg_ctl(self, folder, "stop", "-m", "immediate", check=False)

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, value: str) -> StreamingReplica:
        return cls(**json.loads(value))


def _run(command: Sequence[str], run_as: str | None, check: bool = True) -> str:
    if run_as:
        command = ["runuser", "-u", run_as, "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout


def _pg_ctl(pair: StreamingReplica, folder: str, *args: str, check: bool = True) -> None:
    pg_ctl = str(Path(pair.bin_dir) / "pg_ctl")
    _run([pg_ctl, "-D", folder, "-w", "-t", "60", *args], pair.run_as, check=check)


def _wait_ready(pair: StreamingReplica, port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if pair.sql(port, "SELECT 1") == "1":
                return
        except RuntimeError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"PostgreSQL on port {port} did not answer in {timeout} s")


def start_streaming_replica(base: str) -> StreamingReplica:
    """initdb a primary in ``base``/primary, start it, copy it with pg_basebackup -R, start the standby."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise ReplicaUnavailable("PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) not found")
    run_as = "postgres" if os.geteuid() == 0 else None
    if run_as:
        shutil.chown(base, user=run_as)
    pair = StreamingReplica(str(bin_dir), base, free_port(), free_port(), run_as)
    # Trust on 127.0.0.1 only, replication included (initdb's pg_hba.conf has the lines).
    _run(
        [
            str(bin_dir / "initdb"),
            "-D",
            pair.primary_dir,
            *"-U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync".split(),
        ],
        run_as,
    )
    with open(Path(pair.primary_dir) / "postgresql.conf", "a") as conf:
        conf.write(
            "\n# waspada.testing.replica\n"
            "listen_addresses = '127.0.0.1'\n"
            f"port = {pair.primary_port}\n"
            f"unix_socket_directories = '{base}'\n"
            "wal_level = replica\n"
            "max_wal_senders = 4\n"
            "hot_standby = on\n"
            "fsync = off\n"  # a throwaway cluster: speed over durability
            "full_page_writes = off\n"
            "shared_buffers = 32MB\n"
            "max_connections = 60\n"
        )
    _pg_ctl(pair, pair.primary_dir, "start", "-l", str(Path(base) / "primary.log"))
    _wait_ready(pair, pair.primary_port)
    pair.sql(pair.primary_port, f"CREATE DATABASE {DATABASE}")
    # The standby, as in production: a base backup that writes standby.signal and primary_conninfo.
    _run(
        [
            str(bin_dir / "pg_basebackup"),
            *f"-h 127.0.0.1 -p {pair.primary_port} -U postgres".split(),
            "-D",
            pair.standby_dir,
            *"-R -X stream -c fast".split(),
        ],
        run_as,
    )
    with open(Path(pair.standby_dir) / "postgresql.conf", "a") as conf:
        conf.write(f"port = {pair.standby_port}\n")  # the last line wins over the primary's port
    if not Path(pair.standby_dir, "standby.signal").exists():
        raise RuntimeError("pg_basebackup -R wrote no standby.signal")
    pair.start_standby()
    return pair


@contextmanager
def streaming_replica() -> Iterator[StreamingReplica]:
    base = tempfile.mkdtemp(prefix="waspada-replica-")
    pair = None
    try:
        pair = start_streaming_replica(base)
        yield pair
    finally:
        if pair is not None:
            pair.stop()
        shutil.rmtree(base, ignore_errors=True)


def main(argv: Sequence[str]) -> int:
    if not argv:
        print("usage: python -m waspada.testing.replica COMMAND [ARGS...]", file=sys.stderr)
        return 2
    if postgres_bin_dir() is None:
        print(
            "replica: PostgreSQL server binaries not found; install Debian's postgresql package "
            "(or set WASPADA_PG_BIN)",
            file=sys.stderr,
        )
        return 2
    with streaming_replica() as pair:
        print(
            f"primary 127.0.0.1:{pair.primary_port}, standby 127.0.0.1:{pair.standby_port} ({pair.base})",
            file=sys.stderr,
        )
        env = {
            **os.environ,
            "DATABASE_URL": pair.primary_url,
            "DATABASE_REPLICA_URL": pair.replica_url,
            ENV: pair.to_env(),
        }
        return subprocess.run(list(argv), env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
