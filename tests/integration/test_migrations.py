from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.db import models  # noqa: F401 - registers the tables on Base.metadata
from bot.db.base import Base
from bot.db.migrate import downgrade, upgrade
from bot.db.session import make_engine


def pending_diff(database_url: str) -> list[object]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def tables(database_url: str) -> set[str]:
    engine = make_engine(database_url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_gives_exactly_the_models_schema(database_url: str) -> None:
    upgrade(database_url)
    assert pending_diff(database_url) == []
    assert tables(database_url) == set(Base.metadata.tables) | {"alembic_version"}


def test_downgrade_to_base_then_upgrade_again(database_url: str) -> None:
    upgrade(database_url)
    downgrade(database_url, "base")
    assert tables(database_url) == {"alembic_version"}
    upgrade(database_url)
    assert pending_diff(database_url) == []
