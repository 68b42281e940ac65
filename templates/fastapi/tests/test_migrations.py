from alembic import command
from alembic.config import Config

from tests.conftest import PROJECT_ROOT
from tests.helpers import make_settings


def test_models_and_migrations_agree(migrated: str) -> None:
    """`alembic check` fails when a model changed without a migration for it."""
    config = Config(PROJECT_ROOT / "alembic.ini")
    config.attributes["settings"] = make_settings(migrated)
    config.attributes["configure_logger"] = False
    command.check(config)
