"""The leaders' weekly thread counts leaders' check-ins, as a team's thread does."""

from __future__ import annotations

import datetime as dt

from bot.db.models import Workspace
from tests.scenarios.conftest import Bot
from tests.scenarios.test_rhythm import AT, parents, setup_team, tick
from tests.slack_emulator import wait_until


def leaders_parent_status(bot: Bot) -> str:
    [parent] = parents(bot, "CLEADERS")
    return str(bot.slack.find_message("CLEADERS", parent.ts).blocks)  # type: ignore[union-attr]


def check_in(bot: Bot, user: str, calls: str) -> None:
    bot.driver.slash_command(user, "checkin")
    modal = wait_until(lambda: bot.slack.open_modal(user), message="the check-in modal")
    value_block = next(
        b["block_id"] for b in modal.view["blocks"] if b.get("block_id", "").startswith("value_")
    )
    assert bot.driver.submit_view(user, {value_block: calls, "confidence": "4"}).errors == {}


def test_the_leaders_parent_counts_the_leaders_who_checked_in(bot: Bot) -> None:
    slack, services = bot.slack, bot.services
    # Vera leads Sam, who leads Dana: two leaders, each with a proposed plan.
    setup_team(bot, users=("UOWNER", "UMANAGER", "ULEADER"))
    refs = {
        user: services.members.find(workspace_id=1, slack_user_id=user)
        for user in ("UOWNER", "UMANAGER", "ULEADER")
    }
    for report, manager in (("UOWNER", "UMANAGER"), ("UMANAGER", "ULEADER")):
        services.members.set_manager(
            member_id=refs[report].id,
            manager_id=refs[manager].id,
            changed_by_id=refs[report].id,
            now=AT,
        )
    with bot.db.sessions.begin() as session:
        session.query(Workspace).one().leaders_channel_id = "CLEADERS"
    slack.channels["CLEADERS"].members.add(slack.bot_user_id)

    assert tick(bot, AT).sent == {"checkin-prompt": 1, "leaders-prompt": 1}
    assert "0 of 2 checked in" in leaders_parent_status(bot)
    [leaders_parent] = parents(bot, "CLEADERS")
    assert leaders_parent.text == (
        "Leaders' check-ins for the week of Nov 23\u201329 · week 9 of Q4 FY2026"
    )

    bot.now = AT + dt.timedelta(hours=1)
    check_in(bot, "UMANAGER", "21")
    wait_until(
        lambda: "1 of 2 checked in: umanager" in leaders_parent_status(bot),
        message="the leaders' parent's count",
    )
    [team_parent] = parents(bot)
    assert "1 of 3 checked in: umanager" in str(
        slack.find_message("CTEAM", team_parent.ts).blocks  # type: ignore[union-attr]
    )

    # A member who leads nobody is counted in the team's thread only.
    check_in(bot, "UOWNER", "20")
    wait_until(
        lambda: "2 of 3 checked in" in str(slack.find_message("CTEAM", team_parent.ts).blocks),  # type: ignore[union-attr]
        message="the team parent's count",
    )
    assert "1 of 2 checked in: umanager" in leaders_parent_status(bot)
