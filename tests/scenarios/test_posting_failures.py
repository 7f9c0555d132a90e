"""A scheduled post refused for a reason a person can fix is told in Slack,
with the fix, to whoever can fix it: once per channel, error and week."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from bot.db.models import Member
from tests.scenarios.conftest import Bot
from tests.scenarios.test_rhythm import AT, setup_team, tick


def manage(bot: Bot, *, manager: str, reports: tuple[str, ...]) -> None:
    services = bot.services
    boss = services.members.ensure_member(slack_team_id=bot.slack.team_id, slack_user_id=manager)
    for user in reports:
        ref = services.members.ensure_member(slack_team_id=bot.slack.team_id, slack_user_id=user)
        services.members.set_manager(
            member_id=ref.id, manager_id=boss.id, changed_by_id=ref.id, now=AT
        )


def test_the_bot_not_in_the_team_channel_is_told_once_to_the_teams_leader(bot: Bot) -> None:
    slack = bot.slack
    setup_team(bot)  # Dana and Lee on #sales-team...
    manage(bot, manager="UMANAGER", reports=("UOWNER", "UPEER"))  # ...both managed by Sam
    slack.channels["CTEAM"].members.discard(slack.bot_user_id)  # nobody invited the bot

    report = tick(bot, AT)
    assert report.failed == ["prompt for team 1: not_in_channel"]
    assert report.sent == {"posting-failure": 1}
    [notice] = slack.dms("UMANAGER")
    assert "I couldn't post this week's check-in thread in <#CTEAM>" in notice.text
    assert "type `/invite @myplan` in <#CTEAM>" in notice.text
    assert "choose another channel in `/myplan settings`" in notice.text
    assert not slack.dms("UOWNER") and not slack.dms("UPEER")

    # The next tick (and the one after) tells nobody again.
    assert tick(bot, AT + dt.timedelta(minutes=1)).sent == {}
    assert tick(bot, AT + dt.timedelta(minutes=2)).sent == {}
    assert len(slack.dms("UMANAGER")) == 1


def test_a_team_with_no_leader_has_its_settings_admins_told(bot: Bot) -> None:
    slack = bot.slack
    setup_team(bot)  # nobody on it has a manager
    with bot.db.sessions.begin() as session:
        session.execute(
            update(Member).where(Member.slack_user_id == "UPEER").values(is_settings_admin=True)
        )
    slack.channels["CTEAM"].is_archived = True

    assert tick(bot, AT).sent == {"posting-failure": 1}
    [notice] = slack.dms("UPEER")
    assert "that channel is archived" in notice.text and "unarchive it" in notice.text
    assert not slack.dms("UOWNER")
