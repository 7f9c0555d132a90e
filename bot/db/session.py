"""Engine and session factory: the one place that knows how to connect."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.config import parse_database_url

# The connection budget. PostgreSQL allows 100 connections by default, 3 of
# them kept for superusers. Every process that uses the database keeps a pool
# of POOL_SIZE and never opens more: a web process has at most 8 listeners at
# work (listeners/running.py), the clock's fan-out threads (scheduler/fanout.py)
# queue for theirs, and a connection past that waits for a free one rather
# than push the total past max_connections. The Procfile's processes are
# WEB_CONCURRENCY web processes (DEFAULT_WEB_CONCURRENCY at most), one clock
# and, during a deploy, the release step's one connection.
POOL_SIZE = 8
DEFAULT_WEB_CONCURRENCY = 4
RELEASE_CONNECTIONS = 1
POSTGRES_USABLE_CONNECTIONS = 100 - 3


def connection_budget(web_concurrency: int) -> int:
    """The most connections the Procfile's processes open at once: web, clock, release.
    A deploy that starts the new processes before stopping the old ones needs twice this."""
    return web_concurrency * POOL_SIZE + POOL_SIZE + RELEASE_CONNECTIONS


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    url = parse_database_url(database_url)
    in_memory = url.startswith("sqlite") and make_url(url).database in (None, "", ":memory:")
    if not in_memory:
        # A listener at work holds a connection, and a web process has 8 at
        # work (listeners/running.py), more only when admission gives up
        # waiting. Past the pool, SQLAlchemy would open an overflow
        # connection and close it after one use, a new connection per
        # request. No overflow: more wait for a free one rather than push the
        # budget above past max_connections.
        kwargs = {"pool_size": POOL_SIZE, "max_overflow": 0, **kwargs}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        # A server can drop a connection that sat idle; a SQLite file cannot.
        event.listen(engine, "checkin", _checked_in)
        event.listen(engine, "checkout", _ping_if_idle)
    return engine


# A connection back in the pool for longer than this is pinged before use,
# and replaced if the server dropped it. SQLAlchemy's pool_pre_ping pings on
# every checkout: a round trip per transaction, under load a request's worth
# of them, for connections that were in use a moment ago.
PING_AFTER_IDLE_SECONDS = 10.0


def _checked_in(_dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, *_: Any) -> None:
    idle_since = record.info.get("checked_in")
    if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT 1")
        finally:
            cursor.close()
    except Exception as error:  # the server dropped it: the pool opens another
        raise exc.DisconnectionError(str(error)) from error


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
