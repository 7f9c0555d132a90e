"""Uninstall, then install again: the workspace is served again from its next
due time, and nothing that fell due while it was uninstalled is sent late."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.app import create_app, installation_store, make_client
from bot.config import Settings
from bot.db.models import Workspace
from bot.db.session import Database
from bot.listeners.running import ListenerRunner
from bot.scheduler.jobs import TickReport
from bot.web import wsgi_app
from tests.scenarios.conftest import Bot
from tests.scenarios.test_oauth import get
from tests.scenarios.test_rhythm import parents, setup_team
from tests.slack_emulator import SlackDriver, SlackEmulator, serve_wsgi
from tests.support import PerCallServices, run_due

UTC = dt.UTC
CLIENT = {"client_id": "111.222", "client_secret": "client-secret"}


class Installed:
    """myplan installed through OAuth (many workspaces), served over HTTP."""

    def __init__(self, bot: Bot, url: str, settings: Settings) -> None:
        self.bot = bot
        self.url = url
        self.store = installation_store(settings, bot.db)

    def install(self, token: str) -> None:
        """A workspace admin installs the app from /slack/install."""
        status, page, headers = get(self.url, "/slack/install")
        assert status == 200
        state = re.search(r"state=([\w-]+)", page).group(1)  # type: ignore[union-attr]
        code = f"code-{token}"
        self.bot.slack.oauth_codes[code] = {**CLIENT, "access_token": token}
        status, page, _ = get(
            self.url,
            f"/slack/oauth_redirect?code={code}&state={state}",
            {"Cookie": headers["set-cookie"].split(";")[0]},
        )
        assert status == 200, page

    def tick(self, now: dt.datetime) -> TickReport:
        """The clock, posting with each workspace's installed token."""

        def clients(slack_team_id: str) -> WebClient | None:
            bot = self.store.find_bot(enterprise_id=None, team_id=slack_team_id)
            if bot is None or not bot.bot_token:
                return None
            return make_client(Settings(slack_api_url=self.bot.slack.api_url), token=bot.bot_token)

        return run_due(services=self.bot.services, clients=clients, now=now)

    def uninstalled_at(self) -> dt.datetime | None:
        with self.bot.db.sessions.begin() as session:
            return session.query(Workspace).one().uninstalled_at


@pytest.fixture
def installed(slack: SlackEmulator, db: Database) -> Iterator[Installed]:
    settings = Settings(
        database_url=db.engine.url.render_as_string(hide_password=False),
        slack_signing_secret=slack.signing_secret,
        slack_client_id=CLIENT["client_id"],
        slack_client_secret=CLIENT["client_secret"],
        slack_api_url=slack.api_url,
    )
    runner = ListenerRunner()
    app = create_app(settings, db=db, runner=runner)
    with serve_wsgi(wsgi_app(app, db, signing_secret=slack.signing_secret)) as url:
        bot = Bot(
            slack=slack,
            driver=SlackDriver(slack, url),
            services=PerCallServices.build(db),
            db=db,
            runner=runner,
        )
        yield Installed(bot, url, settings)
    runner.shutdown()


def test_a_reinstall_resumes_from_the_next_due_time(installed: Installed) -> None:
    bot, slack = installed.bot, installed.bot.slack
    installed.install("xoxb-installed-1")
    setup_team(bot)  # a Monday 09:00 team in New York: Dana and Lee
    assert installed.tick(dt.datetime(2026, 11, 23, 14, 0, tzinfo=UTC)).sent == {
        "checkin-prompt": 1
    }

    # Tuesday noon in New York the app is uninstalled: Slack revokes its token
    # and says so; the stored installation goes, and nothing more is sent.
    slack.revoke("xoxb-installed-1")
    assert bot.driver.app_uninstalled().status == 200
    assert bot.runner.wait_idle(10)
    assert installed.store.find_bot(enterprise_id=None, team_id=slack.team_id) is None
    assert installed.uninstalled_at() is not None
    tuesday_reminders = dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # 15:00 in New York
    report = installed.tick(tuesday_reminders)
    assert (report.sent, report.failed) == ({}, [])

    # Installed again on Wednesday: Tuesday's reminders are stale, Monday's
    # prompt was sent once and stays so.
    installed.install("xoxb-installed-2")
    assert installed.uninstalled_at() is None
    for now in (
        dt.datetime(2026, 11, 25, 16, 0, tzinfo=UTC),
        dt.datetime(2026, 11, 25, 20, 0, tzinfo=UTC),
    ):
        report = installed.tick(now)
        assert (report.sent, report.failed) == ({}, [])
    assert slack.dms("UOWNER") == [] and slack.dms("UPEER") == []

    # The next week goes out as usual, with the new installation's token.
    assert installed.tick(dt.datetime(2026, 11, 30, 14, 0, tzinfo=UTC)).sent == {
        "checkin-prompt": 1
    }
    assert len(parents(bot)) == 2
    assert slack.calls_to("chat.postMessage")[-1].token == "xoxb-installed-2"
    assert installed.tick(dt.datetime(2026, 12, 1, 20, 0, tzinfo=UTC)).sent == {
        "checkin-reminder": 2
    }


def test_revoking_only_a_user_token_keeps_the_workspace_served(installed: Installed) -> None:
    bot, slack = installed.bot, installed.bot.slack
    installed.install("xoxb-installed-1")
    setup_team(bot)
    assert (
        bot.driver.event({"type": "tokens_revoked", "tokens": {"oauth": ["UOWNER"]}}).status == 200
    )
    assert bot.runner.wait_idle(10)
    assert installed.uninstalled_at() is None
    assert installed.store.find_bot(enterprise_id=None, team_id=slack.team_id) is not None
    assert bot.driver.tokens_revoked().status == 200
    assert bot.runner.wait_idle(10)
    assert installed.uninstalled_at() is not None
    assert installed.store.find_bot(enterprise_id=None, team_id=slack.team_id) is None
