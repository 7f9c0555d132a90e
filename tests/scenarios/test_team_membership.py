"""A team is its Slack channel's members: naming a channel you are not in
(at onboarding, resubmitted, or with `/myplan team`) is refused on the
channel's field, as Slack counts the channel's members at that moment
(conversations.members), and gives no access to the team's plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.scenarios.conftest import Bot
from tests.scenarios.test_people import answers, member
from tests.scenarios.test_rhythm import AT, UTC, parents, setup_team, tick
from tests.slack_emulator import wait_until


def team_of(bot: Bot, user: str) -> Any:
    found = member(bot, user)
    return None if found is None else bot.services.rhythm.team_of_member(member_id=found.id)


def onboarding_errors(bot: Bot, user: str, channel: str) -> dict[str, str]:
    bot.driver.slash_command(user)
    wait_until(lambda: bot.slack.open_modal(user), message="onboarding")
    return dict(
        bot.driver.submit_view(user, {"team_channel": channel, "no_manager": ["none"]}).errors
    )


def test_onboarding_refuses_a_team_channel_the_person_is_not_in(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER",))
    # ULEADER is in the leaders channel, not in #sales-team.
    errors = onboarding_errors(bot, "ULEADER", "CTEAM")
    assert errors == {
        "team_channel": "You're not in <#CTEAM>: join it in Slack first, or choose your "
        "team's own channel."
    }
    assert team_of(bot, "ULEADER") is None
    # Once Slack counts them in, the same answer is taken.
    bot.slack.channels["CTEAM"].members.add("ULEADER")
    assert bot.driver.submit_view("ULEADER", {"team_channel": "CTEAM", "no_manager": ["none"]})
    wait_until(lambda: team_of(bot, "ULEADER") is not None, message="joined")
    assert team_of(bot, "ULEADER").channel_id == "CTEAM"


def test_a_resubmitted_onboarding_cannot_move_someone_into_a_team_they_are_not_in(
    bot: Bot,
) -> None:
    setup_team(bot, users=("UOWNER",))
    bot.slack.add_channel("COTHER", "other-team", members=["ULEADER"])
    # UPEER opens onboarding, then a forged submission names another team's channel.
    errors = onboarding_errors(bot, "UPEER", "COTHER")
    assert "You're not in <#COTHER>" in errors["team_channel"]
    assert team_of(bot, "UPEER") is None


def test_a_private_channel_myplan_is_not_in_asks_for_an_invitation(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER",))
    bot.slack.add_channel(
        "CSECRET", "secret-team", members=["UPEER"], is_private=True, bot_member=False
    )
    errors = onboarding_errors(bot, "UPEER", "CSECRET")
    assert errors == {
        "team_channel": "I can't see that channel: invite @myplan to it with `/invite @myplan` "
        "there, then choose it again."
    }


def test_moving_team_needs_the_channel_too(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER", "UPEER"))
    bot.slack.add_channel("CNEW", "new-team", members=["UOWNER"])
    bot.driver.slash_command("UPEER", "team <#CNEW|new-team>")
    said = answers(bot, 1)[0]
    assert said == (
        "You're not in <#CNEW>: join it in Slack first, or choose your team's own channel."
    )
    assert team_of(bot, "UPEER").channel_id == "CTEAM"
    bot.slack.channels["CNEW"].members.add("UPEER")
    bot.driver.slash_command("UPEER", "team <#CNEW|new-team>")
    assert answers(bot, 2)[1].startswith("You check in to <#CNEW> now")
    assert team_of(bot, "UPEER").channel_id == "CNEW"


def left_channel(bot: Bot, user: str, channel: str) -> None:
    """Slack's member_left_channel, once Slack has them out of the channel."""
    bot.slack.channels[channel].members.discard(user)
    ack = bot.driver.event(
        {"type": "member_left_channel", "user": user, "channel": channel, "channel_type": "C"}
    )
    assert ack.status == 200
    assert bot.runner.wait_idle(10)


def test_leaving_the_team_channel_leaves_the_team(bot: Bot) -> None:
    slack = bot.slack
    setup_team(bot, users=("UOWNER", "UPEER"))
    assert tick(bot, AT).sent == {"checkin-prompt": 1}
    [parent] = parents(bot)
    assert "0 of 2 checked in" in str(parent.blocks)
    left_channel(bot, "UPEER", "CTEAM")
    # Out of the team, its count and its reminders at once; told once where to go.
    assert team_of(bot, "UPEER") is None
    wait_until(lambda: "0 of 1 checked in" in str(slack.find_message("CTEAM", parent.ts).blocks))
    [told] = [m.text for m in slack.dms("UPEER")]
    assert told == (
        "You left <#CTEAM>, so you no longer check in with its team. To check in with "
        "another, type `/myplan team #channel`."
    )
    assert tick(bot, dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)).sent == {"checkin-reminder": 1}
    assert len(slack.dms("UPEER")) == 1
    # Leaving another channel, or one myplan never heard of, changes nothing.
    left_channel(bot, "UOWNER", "CLEADERS")
    assert team_of(bot, "UOWNER").channel_id == "CTEAM"
    left_channel(bot, "UNOBODY", "CTEAM")
    assert member(bot, "UNOBODY") is None


def test_what_onboarding_reads_from_slack_is_read_side_by_side(bot: Bot) -> None:
    """The ack waits for who the person and their manager are and whether the
    person is in the channel: three reads from Slack, sent at once, not in turn."""
    slack = bot.slack
    bot.driver.slash_command("UOWNER")
    wait_until(lambda: slack.open_modal("UOWNER"), message="onboarding")
    slack.fail_next("users.info", times=2, delay=0.5)
    slack.fail_next("conversations.members", delay=0.5)
    before = len(slack.calls)
    ack = bot.driver.submit_view("UOWNER", {"team_channel": "CTEAM", "manager": "UMANAGER"})
    assert ack.errors == {}
    reads = [c for c in slack.calls[before:] if c.method in ("users.info", "conversations.members")]
    assert sorted(c.method for c in reads) == ["conversations.members", "users.info", "users.info"]
    # In turn, each would start after the last one's half second.
    assert max(c.at for c in reads) - min(c.at for c in reads) < 0.4
    assert team_of(bot, "UOWNER").channel_id == "CTEAM"
