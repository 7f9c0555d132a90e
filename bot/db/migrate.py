"""Alembic, driven from code so every command shares one configuration.

The migrations live in the repository's top-level ``migrations/`` and are
installed as the package ``bot.migrations`` (setup.py maps one onto the
other), so they are found the same way in a checkout, an editable install and
a wheel, whatever the current directory.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


def migrations_dir() -> Path:
    """The directory holding env.py and versions/, from the installed package."""
    return Path(str(resources.files("bot.migrations")))


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    # Percent signs in passwords would be read as interpolation by configparser.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


def head_revision() -> str | None:
    """The newest schema revision this version of myplan knows."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return ScriptDirectory.from_config(config).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at (None: never migrated).
    Raises SQLAlchemy's OperationalError when the database is unreachable."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
