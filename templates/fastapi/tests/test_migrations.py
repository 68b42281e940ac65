import sqlite3
import uuid
from pathlib import Path

from alembic import command
from alembic.config import Config

from tests.conftest import PROJECT_ROOT
from tests.helpers import make_settings


def alembic_config(database_url: str) -> Config:
    config = Config(PROJECT_ROOT / "alembic.ini")
    config.attributes["settings"] = make_settings(database_url)
    config.attributes["configure_logger"] = False
    return config


def test_models_and_migrations_agree(migrated: str) -> None:
    """`alembic check` fails when a model changed without a migration for it."""
    command.check(alembic_config(migrated))


def test_account_email_upgrades_a_database_that_has_users(tmp_path: Path) -> None:
    """0002 on a database of the initial schema: its users are there, unverified."""
    path = tmp_path / "old.db"
    config = alembic_config(f"sqlite:///{path}")
    command.upgrade(config, "0001")
    user_id = uuid.uuid4().hex
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO users (id, email, password_hash, full_name, role, is_active, created_at)"
            " VALUES (?, 'old@example.com', 'x', NULL, 'user', 1, '2026-01-01 00:00:00.000000')",
            (user_id,),
        )
    command.upgrade(config, "head")
    with sqlite3.connect(path) as connection:
        row = connection.execute("SELECT email_verified FROM users WHERE id = ?", (user_id,))
        assert row.fetchone() == (0,)
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
    assert "email_tokens" in tables
    command.downgrade(config, "0001")
