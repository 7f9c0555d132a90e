"""Engine and session factory: the one place that knows how to connect."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.config import parse_database_url

POOL_SIZE = 16


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    url = parse_database_url(database_url)
    in_memory = url.startswith("sqlite") and make_url(url).database in (None, "", ":memory:")
    if not in_memory:
        # A listener at work holds a connection, and a web process has 8 at
        # work (listeners/running.py), more only when admission gives up
        # waiting. Keep that many open and some: past the pool, SQLAlchemy
        # opens an overflow connection and closes it after one use, a new
        # connection per request. No overflow: more wait for a free one
        # rather than push WEB_CONCURRENCY x POOL_SIZE past max_connections.
        kwargs = {"pool_size": POOL_SIZE, "max_overflow": 0, **kwargs}
    # A server can drop an idle connection; a SQLite file cannot, so SQLite
    # skips the extra round trip on every checkout.
    pre_ping = not url.startswith("sqlite")
    engine = create_engine(url, pool_pre_ping=pre_ping, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores foreign keys unless asked; wait for a lock rather than fail
    # when the web process and the scheduler write at the same moment.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    # WAL lets readers (every request looks up who is acting)
    # proceed while another thread commits, instead of sleeping in SQLite's
    # busy handler. In-memory databases have no journal to change.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


class Database:
    """An engine and its session factory, built once per process."""

    def __init__(self, database_url: str, **engine_kwargs: Any) -> None:
        self.engine = make_engine(database_url, **engine_kwargs)
        self.sessions: sessionmaker[Session] = sessionmaker(self.engine, expire_on_commit=False)

    def dispose(self) -> None:
        self.engine.dispose()
