"""Throw-away PostgreSQL databases for the variants that use PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from scaffold.errors import ScaffoldError

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432"


@contextmanager
def postgres_database(
    server: str = DEFAULT_SERVER, prefix: str = "scaffold_smoke"
) -> Iterator[str]:
    """Create an empty database on `server`, yield its URL, drop it afterwards (closing
    any session a stopped server left behind)."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = f"{server.rstrip('/')}/postgres"
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ScaffoldError(f"cannot create a database on {server}: {reason}") from None
    try:
        yield f"{server.rstrip('/')}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
