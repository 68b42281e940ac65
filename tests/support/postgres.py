"""Throw-away databases on the machine's real PostgreSQL (127.0.0.1:5432, trust auth)."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager

from scaffold.smoke import databases

SERVER_URL = os.environ.get("SCAFFOLD_TEST_POSTGRES", databases.DEFAULT_SERVER)


def postgres_database(prefix: str = "scaffold_test") -> AbstractContextManager[str]:
    """An empty database's `postgresql://` URL, dropped afterwards."""
    return databases.postgres_database(SERVER_URL, prefix)
