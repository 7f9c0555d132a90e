"""Scenario harness: the real app over HTTP, a real database, the loopback Slack.

A scenario marked ``socket_mode`` (a test, or a module's ``pytestmark``) runs
twice: over HTTP, and over Socket Mode, the app connected to the loopback
Slack by Bolt's SocketModeHandler as ``myplan run`` connects it with
SLACK_APP_TOKEN, the driver sending envelopes. Its body does not change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pytest

from bot.app import create_app
from bot.config import Settings
from bot.db.session import Database
from bot.listeners.running import ListenerRunner
from bot.web import wsgi_app
from tests.slack_emulator import SlackDriver, SlackEmulator, connect_socket_mode, serve_wsgi
from tests.support import PerCallServices as Services

NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)  # a Monday in Q4 FY2026
TRANSPORTS = ("http", "socket_mode")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A ``socket_mode`` scenario runs over each transport; the rest over HTTP."""
    if "transport" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "socket_mode"
    ):
        metafunc.parametrize("transport", TRANSPORTS)


@pytest.fixture
def transport() -> str:
    """How Slack reaches the app: HTTP, unless the scenario is marked ``socket_mode``."""
    return "http"


@dataclass
class Bot:
    slack: SlackEmulator
    driver: SlackDriver
    services: Services
    db: Database
    runner: ListenerRunner  # the app's: a test can wait for its listeners to finish
    now: dt.datetime = NOW  # the bot's clock; a test may move it


@pytest.fixture
def bot(slack: SlackEmulator, db: Database, transport: str) -> Iterator[Bot]:
    settings = Settings(
        database_url=str(db.engine.url.render_as_string(hide_password=False)),
        slack_bot_token=slack.bot_token,
        slack_signing_secret=slack.signing_secret,
        slack_api_url=slack.api_url,
    )
    holder: list[Bot] = []
    runner = ListenerRunner()
    app = create_app(settings, db=db, clock=lambda: holder[0].now if holder else NOW, runner=runner)
    # Over HTTP as `myplan web` serves it: the request edge in front of Bolt.
    serving: AbstractContextManager[object] = (
        connect_socket_mode(app, slack)
        if transport == "socket_mode"
        else serve_wsgi(wsgi_app(app, db, signing_secret=slack.signing_secret))
    )
    with serving as url:
        driver = (
            SlackDriver(slack, transport="socket_mode")
            if transport == "socket_mode"
            else SlackDriver(slack, str(url))
        )
        holder.append(
            Bot(
                slack=slack,
                driver=driver,
                services=Services.build(db),
                db=db,
                runner=runner,
            )
        )
        yield holder[0]
    runner.shutdown()
