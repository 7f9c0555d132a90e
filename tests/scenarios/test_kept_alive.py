"""What listeners send to Slack goes over kept-alive connections: Web API
calls and answers on a response_url alike."""

from __future__ import annotations

from tests.scenarios.conftest import Bot
from tests.slack_emulator import wait_until


def test_listeners_calls_reuse_connections(bot: Bot) -> None:
    for user in ["UPEER", "UOWNER", "UMANAGER"] * 4:
        bot.driver.open_app_home(user)
        assert bot.runner.wait_idle(10)
    published = [c for c in bot.slack.calls if c.method == "views.publish" and c.status == 200]
    assert len(published) == 12
    # One request at a time, each listener on a thread of the pool: one
    # connection (auth.test's at start) serves them all, where slack_sdk's
    # urllib transport opens one a call.
    assert bot.slack.connections == 1


def test_answers_on_the_response_url_reuse_connections(bot: Bot) -> None:
    for n in range(6):
        bot.driver.slash_command("UPEER", "help")
        assert bot.runner.wait_idle(10)
        wait_until(lambda n=n: len(bot.slack.responses) > n, message="the help answer")
    assert len(bot.slack.responses) == 6
    assert bot.slack.connections == 1
