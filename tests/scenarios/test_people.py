"""People change: Slack's user_change, `/myplan manager` and `/myplan team`,
through Slack's own payloads against the loopback Slack."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.scenarios.conftest import Bot
from tests.scenarios.test_rhythm import AT, parents, setup_team, tick

UTC = dt.UTC


def member(bot: Bot, user: str) -> Any:
    return bot.services.members.find(workspace_id=1, slack_user_id=user)


def user_change(bot: Bot, user: str, **changes: Any) -> None:
    """Slack's user_change event, with the user as Slack now has them."""
    slack_user = bot.slack.users[user]
    for name, value in changes.items():
        setattr(slack_user, name, value)
    ack = bot.driver.event({"type": "user_change", "user": slack_user.to_dict(bot.slack.team_id)})
    assert ack.status == 200
    assert bot.runner.wait_idle(10)


def test_a_new_name_or_time_zone_refreshes_the_member(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER",))
    assert member(bot, "UOWNER").timezone == "America/New_York"
    user_change(bot, "UOWNER", real_name="Dana Reyes-Okafor", tz="Europe/Paris")
    refreshed = member(bot, "UOWNER")
    assert (refreshed.display_name, refreshed.timezone) == ("Dana Reyes-Okafor", "Europe/Paris")


def test_someone_myplan_never_saw_is_not_added(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER",))
    user_change(bot, "ULEADER", real_name="Vera P.")
    assert member(bot, "ULEADER") is None


def test_a_deactivated_user_leaves_the_count_and_the_reminders(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER", "UPEER"))
    user_change(bot, "UPEER", deleted=True)
    assert member(bot, "UPEER") is not None  # never deleted
    assert tick(bot, AT).sent == {"checkin-prompt": 1}
    [parent] = parents(bot)
    assert "0 of 1 checked in" in str(parent.blocks)
    # Tuesday 15:00 in New York: Dana's reminder, and none to the leaver.
    assert tick(bot, dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)).sent == {"checkin-reminder": 1}
    assert bot.slack.dms("UPEER") == []
    assert len(bot.slack.dms("UOWNER")) == 1
