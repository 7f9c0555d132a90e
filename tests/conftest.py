"""Shared fixtures: a real database per test, on SQLite and on PostgreSQL.

Each PostgreSQL test gets its own schema (dropped afterwards), so tests never
see each other's rows and can commit as the services do.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.config import parse_database_url
from bot.db import models  # noqa: F401 - registers the tables on Base.metadata
from bot.db.base import Base
from bot.db.session import Database
from tests.slack_emulator import SlackEmulator

POSTGRES_URL = os.environ.get(
    "MYPLAN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
BACKENDS = [
    name.strip()
    for name in os.environ.get("MYPLAN_TEST_DATABASES", "sqlite,postgresql").split(",")
    if name.strip()
]


def pytest_configure(config: pytest.Config) -> None:
    """Without PostgreSQL, say so once and stop, rather than fail every test."""
    if "postgresql" not in BACKENDS:
        return
    url = make_url(parse_database_url(POSTGRES_URL))
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        # A usage error is printed as one line ("ERROR: ..."), and nothing runs.
        raise pytest.UsageError(
            f"PostgreSQL at {url.render_as_string(hide_password=True)} is not reachable "
            f"({reason}): start it (see the README's Run the tests), or run SQLite alone "
            "with MYPLAN_TEST_DATABASES=sqlite."
        ) from None
    finally:
        engine.dispose()


def _postgres_schema_url(schema: str) -> str:
    url = make_url(parse_database_url(POSTGRES_URL))
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The URL of an empty database of each backend under test."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "myplan.db"
        yield f"sqlite:///{path}"
        return
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(parse_database_url(POSTGRES_URL))
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # the suite must fail loudly, not skip, without PostgreSQL
        pytest.fail(
            f"PostgreSQL at {POSTGRES_URL} is not reachable ({error.__class__.__name__}); "
            "start it, or set MYPLAN_TEST_DATABASES=sqlite to test SQLite alone."
        )
    try:
        yield _postgres_schema_url(schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """A Database with the models' schema, on each backend."""
    database = Database(database_url)
    Base.metadata.create_all(database.engine)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def slack() -> Iterator[SlackEmulator]:
    """A loopback Slack with a workspace, a bot, people and a team channel.
    Any Block Kit violation during the test fails it, with the field's path."""
    emulator = SlackEmulator()
    emulator.add_user("UOWNER", "dana", real_name="Dana Reyes", tz="America/New_York")
    emulator.add_user("UMANAGER", "sam", real_name="Sam Okafor", tz="Europe/London")
    emulator.add_user(
        "ULEADER", "vp", real_name="Vera Park", tz="America/Los_Angeles", is_admin=True
    )
    emulator.add_user("UPEER", "lee", real_name="Lee Chen", tz="America/New_York")
    emulator.add_channel("CTEAM", "sales-team", members=["UOWNER", "UMANAGER", "UPEER"])
    emulator.add_channel("CLEADERS", "leaders", members=["UMANAGER", "ULEADER"])
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()
    assert not emulator.violations, "Block Kit violations:\n" + "\n".join(emulator.violations)
