"""Alembic environment: the URL comes from myplan's settings."""

from __future__ import annotations

from alembic import context

from bot.config import Settings
from bot.db import (
    models,  # noqa: F401 - registers the tables on Base.metadata
    oauth,  # noqa: F401 - registers the OAuth tables on Base.metadata
)
from bot.db.base import Base
from bot.db.session import make_engine

config = context.config
url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url


def run_offline() -> None:
    context.configure(
        url=url,
        target_metadata=Base.metadata,
        literal_binds=True,
        compare_type=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            # Batch mode rebuilds a table (copy, DROP, rename). With foreign keys
            # enforced, the DROP runs their ON DELETE actions: rows referring to
            # the table would be deleted (plans of members) or nulled (managers).
            # SQLite ignores this pragma inside a transaction: set it first.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            compare_type=True,
            # SQLite cannot ALTER most things; batch mode rebuilds the table.
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
