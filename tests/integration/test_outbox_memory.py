"""A clock's outbox remembers what it saw settled, and asks the database nothing more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from bot.app import make_client
from bot.config import Settings
from bot.db.session import Database
from bot.outbox.delivery import Outcome, deliver
from bot.outbox.store import OutboxStore
from tests.slack_emulator import SlackEmulator
from tests.support import PerCallServices

NOW = dt.datetime(2026, 11, 24, 20, 0, tzinfo=dt.UTC)


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_a_settled_delivery_costs_no_statement_the_next_time_it_is_due(
    db: Database, slack: SlackEmulator
) -> None:
    workspace = PerCallServices(db).members.ensure_workspace(slack_team_id=slack.team_id)
    client = make_client(Settings(slack_bot_token=slack.bot_token, slack_api_url=slack.api_url))
    clock_store = OutboxStore(db)

    def send(store: OutboxStore) -> Outcome:
        return deliver(
            store=store,
            client=client,
            workspace_id=workspace,
            key="checkin-reminder:member=1:week=2026-11-23",
            kind="checkin-reminder",
            channel="UOWNER",
            due_at=NOW,
            now=NOW,
            text="A reminder",
        ).outcome

    assert send(clock_store) is Outcome.SENT
    with statements(db) as seen:
        assert send(clock_store) is Outcome.ALREADY
    assert seen == []
    # Another process (a store of its own) still finds it claimed in the database.
    with statements(db) as seen:
        assert send(OutboxStore(db)) is Outcome.ALREADY
    assert seen
    assert len(slack.dms("UOWNER")) == 1
