"""Check-in reminders fall on the member's next working day, and each member
may turn theirs off."""

from __future__ import annotations

import datetime as dt
import json

from tests.scenarios.conftest import Bot
from tests.scenarios.test_rhythm import parents, setup_team, tick
from tests.slack_emulator import wait_until

UTC = dt.UTC
FRIDAY_PROMPT = dt.datetime(2026, 11, 27, 21, 0, tzinfo=UTC)  # Friday Nov 27, 16:00 in New York


def friday_team(bot: Bot) -> None:
    """Dana and Lee, in New York, check in on Fridays at 16:00."""
    team = setup_team(bot)
    workspace = bot.services.members.ensure_workspace(slack_team_id=bot.slack.team_id)
    assert team == bot.services.members.configure_team(
        workspace_id=workspace,
        channel_id="CTEAM",
        name="AEs",
        checkin_weekday=4,
        checkin_time=dt.time(16),
        timezone="America/New_York",
    )


def reminders(bot: Bot, user: str, word: str) -> str:
    before = len(bot.slack.responses)
    bot.driver.slash_command(user, f"reminders {word}")
    wait_until(lambda: len(bot.slack.responses) > before, message="the answer")
    return str(bot.slack.responses[-1]["text"])


def test_a_friday_team_is_reminded_on_monday_for_the_week_that_ended(bot: Bot) -> None:
    slack = bot.slack
    friday_team(bot)
    assert tick(bot, FRIDAY_PROMPT).sent == {"checkin-prompt": 1}
    [parent] = parents(bot)

    # Not on Saturday nor Sunday: on Monday at 15:00 in New York.
    for day in (28, 29):
        assert tick(bot, dt.datetime(2026, 11, day, 20, 0, tzinfo=UTC)).sent == {}
    assert tick(bot, dt.datetime(2026, 11, 30, 19, 59, tzinfo=UTC)).sent == {}
    assert tick(bot, dt.datetime(2026, 11, 30, 20, 0, tzinfo=UTC)).sent == {"checkin-reminder": 2}
    assert tick(bot, dt.datetime(2026, 12, 1, 20, 0, tzinfo=UTC)).sent == {}
    [reminder] = slack.dms("UPEER")
    assert "last week's check-in is waiting in <#CTEAM> (the week of Nov 23\u201329)" in (
        reminder.text
    )

    # Its button checks Lee in for that week, in that week's thread.
    bot.now = dt.datetime(2026, 11, 30, 20, 30, tzinfo=UTC)
    bot.driver.click_button("UPEER", "Check in", message=reminder)
    modal = wait_until(lambda: slack.open_modal("UPEER"), message="the check-in modal")
    assert json.loads(modal.view["private_metadata"])["monday"] == "2026-11-23"
    value_block = next(
        b["block_id"] for b in modal.view["blocks"] if b.get("block_id", "").startswith("value_")
    )
    assert bot.driver.submit_view("UPEER", {value_block: "24", "confidence": "4"}).errors == {}
    reply = wait_until(lambda: slack.thread("CTEAM", parent.ts), message="the reply")
    assert "upeer* checked in" in reply[0].text
    wait_until(
        lambda: "1 of 2 checked in: upeer" in str(slack.find_message("CTEAM", parent.ts).blocks),  # type: ignore[union-attr]
        message="the parent's count",
    )


def test_a_member_may_turn_reminders_off_and_on(bot: Bot) -> None:
    slack = bot.slack
    friday_team(bot)
    assert "reminders are off" in reminders(bot, "UOWNER", "off")
    tick(bot, FRIDAY_PROMPT)
    assert tick(bot, dt.datetime(2026, 11, 30, 20, 0, tzinfo=UTC)).sent == {"checkin-reminder": 1}
    assert slack.dms("UOWNER") == []
    assert len(slack.dms("UPEER")) == 1

    assert "reminders are on" in reminders(bot, "UOWNER", "on")
    tick(bot, FRIDAY_PROMPT + dt.timedelta(weeks=1))
    assert tick(bot, dt.datetime(2026, 12, 7, 20, 0, tzinfo=UTC)).sent == {"checkin-reminder": 2}
    assert len(slack.dms("UOWNER")) == 1
    assert reminders(bot, "UOWNER", "maybe") == (
        "Say `/myplan reminders off` or `/myplan reminders on`."
    )
