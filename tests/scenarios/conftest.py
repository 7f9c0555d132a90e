"""Scenario harness: the real app over HTTP, a real database, the loopback Slack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bot.app import create_app
from bot.config import Settings
from bot.db.session import Database
from bot.listeners.running import ListenerRunner
from bot.web import wsgi_app
from tests.slack_emulator import SlackDriver, SlackEmulator, serve_wsgi
from tests.support import PerCallServices as Services

NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)  # a Monday in Q4 FY2026


@dataclass
class Bot:
    slack: SlackEmulator
    driver: SlackDriver
    services: Services
    db: Database
    runner: ListenerRunner  # the app's: a test can wait for its listeners to finish
    now: dt.datetime = NOW  # the bot's clock; a test may move it


@pytest.fixture
def bot(slack: SlackEmulator, db: Database) -> Iterator[Bot]:
    settings = Settings(
        database_url=str(db.engine.url.render_as_string(hide_password=False)),
        slack_bot_token=slack.bot_token,
        slack_signing_secret=slack.signing_secret,
        slack_api_url=slack.api_url,
    )
    holder: list[Bot] = []
    runner = ListenerRunner()
    app = create_app(settings, db=db, clock=lambda: holder[0].now if holder else NOW, runner=runner)
    # As `myplan web` serves it: the request edge in front of Bolt.
    with serve_wsgi(wsgi_app(app, db, signing_secret=slack.signing_secret)) as url:
        holder.append(
            Bot(
                slack=slack,
                driver=SlackDriver(slack, url),
                services=Services.build(db),
                db=db,
                runner=runner,
            )
        )
        yield holder[0]
    runner.shutdown()
