"""Pooled connections: pinged only after sitting idle, replaced when the server dropped them."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from bot.config import parse_database_url
from bot.db import session as db_session
from bot.db.session import Database


def backend(db: Database) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_the_server_dropped_while_idle_is_replaced_before_use(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(database_url, pool_size=1)
    try:
        if db.engine.dialect.name == "sqlite":
            with db.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return  # a file cannot drop a connection: nothing to ping
        first = backend(db)
        assert backend(db) == first  # used again at once: the same connection, no ping needed
        admin = create_engine(parse_database_url(database_url))
        with admin.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        admin.dispose()
        monkeypatch.setattr(db_session, "PING_AFTER_IDLE_SECONDS", 0.0)
        assert backend(db) != first  # pinged, found dropped, replaced: no error for the request
    finally:
        db.dispose()
