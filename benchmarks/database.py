"""The database a service is measured on: a new SQLite file, or a throw-away database on
the machine's PostgreSQL server, whose own cost (CPU time of the server's processes,
connections opened) is read around each measured window."""

from __future__ import annotations

import contextlib
import secrets
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from benchmarks.server import parent, process_cpu_seconds, subtree
from tests.support.postgres import SERVER_URL, postgres_database


@dataclass(frozen=True)
class Usage:
    """The PostgreSQL server's counters at one moment."""

    cpu_seconds: float
    sessions: int


class PostgresServer:
    """The machine's PostgreSQL server, watched from a connection to its `postgres`
    database (so that it is not one of the benchmark database's sessions)."""

    def __init__(self) -> None:
        self._admin = psycopg.connect(f"{SERVER_URL.rstrip('/')}/postgres", autocommit=True)
        # Every backend is a child of the postmaster: ours names it.
        backend = self._value("SELECT pg_backend_pid()")
        self.postmaster = parent(str(backend))
        self.version: str = self._value("SHOW server_version")

    def close(self) -> None:
        self._admin.close()

    def usage(self, database: str) -> Usage:
        """utime + stime + cutime + cstime over the postmaster's process tree (the
        backends alive now, and those that exited since, through their parent's
        cutime/cstime), and the sessions ever opened on `database`
        (pg_stat_database.sessions, PostgreSQL 14+)."""
        cpu = sum(process_cpu_seconds(pid) for pid in subtree(self.postmaster))
        self._value("SELECT pg_stat_clear_snapshot()")  # read fresh, not a cached snapshot
        sessions = self._value(
            "SELECT sessions FROM pg_stat_database WHERE datname = %s", (database,)
        )
        return Usage(cpu, sessions)

    def _value(self, query: str, params: tuple[str, ...] = ()) -> Any:
        row = self._admin.execute(query, params).fetchone()
        assert row is not None, query
        return row[0]


@dataclass(frozen=True)
class Database:
    """Where one service keeps its data: `url` for its DATABASE_URL."""

    kind: str  # "sqlite" or "postgresql"
    url: str
    server: PostgresServer | None = None  # PostgreSQL's, when its usage is read

    @property
    def name(self) -> str:
        """The database's name on the PostgreSQL server."""
        return urllib.parse.urlsplit(self.url).path.lstrip("/")

    def usage(self) -> Usage | None:
        return self.server.usage(self.name) if self.server else None


@contextlib.contextmanager
def database(kind: str, work: Path, server: PostgresServer | None = None) -> Iterator[Database]:
    """A new, empty database of `kind`: a SQLite file in `work`, or a database on the
    machine's PostgreSQL server (whose usage `server` reads), dropped afterwards."""
    if kind == "sqlite":
        yield Database(kind, f"sqlite:///{work / f'bench-{secrets.token_hex(4)}.db'}")
        return
    with postgres_database("scaffold_bench") as url:
        yield Database(kind, url, server)
