"""mrkdwn injection: every string a person supplies (names included) is hostile,
the main surfaces are driven, and nothing Slack received pings, mentions or
links from it (issue 14, finding 4)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

from bot.app import make_client
from bot.config import Settings
from tests.scenarios.conftest import Bot
from tests.slack_emulator import wait_until
from tests.support import run_due

# What a hostile person types: a channel ping, a mention, a channel link and
# a disguised link, each of which Slack would act on if it reached mrkdwn raw.
EVIL = "<!channel> Boss <@U0OTHER> <#C0EVIL> <https://evil.example|your bonus>"
MARKERS = re.compile(r"<!|<@U0OTHER|<#C0EVIL|<https?://evil")
AT = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)  # Monday 09:00 in New York


def mrkdwn_strings(value: Any, *, top: bool = True) -> Iterator[str]:
    """Every string Slack reads as mrkdwn in a call's arguments: a message's
    text, mrkdwn text objects and fields; never plain_text or input values."""
    if isinstance(value, str) and value[:1] in "[{":
        with contextlib.suppress(ValueError):
            value = json.loads(value)
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn" and isinstance(value.get("text"), str):
            yield value["text"]
        if top and isinstance(value.get("text"), str) and value.get("mrkdwn", True):
            yield value["text"]
        for key, inner in value.items():
            if key in ("text",) and not isinstance(inner, dict | list):
                continue
            if value.get("type") == "plain_text" or key in ("element", "initial_value"):
                continue
            yield from mrkdwn_strings(inner, top=False)
    elif isinstance(value, list):
        for inner in value:
            yield from mrkdwn_strings(inner, top=False)


def injected(bot: Bot) -> list[str]:
    """Whatever reached Slack as mrkdwn with a hostile marker in it."""
    seen = [call.args for call in bot.slack.calls]
    seen += bot.slack.responses
    return [text for args in seen for text in mrkdwn_strings(args) if MARKERS.search(text)]


def stage(bot: Bot) -> tuple[int, int]:
    """Dana (named by Slack with EVIL) and Sam her manager, on #sales-team,
    in the team's weekly thread; returns (Dana's member id, the team id)."""
    services = bot.services
    workspace = services.members.ensure_workspace(slack_team_id=bot.slack.team_id)
    team = services.members.configure_team(
        workspace_id=workspace,
        channel_id="CTEAM",
        name=EVIL,
        checkin_weekday=0,
        checkin_time=dt.time(9),
        timezone="America/New_York",
    )
    for user in ("UOWNER", "UMANAGER", "UPEER"):
        bot.slack.users[user].real_name = f"{user} {EVIL}"
    manager = services.members.ensure_member(
        slack_team_id=bot.slack.team_id, slack_user_id="UMANAGER", display_name=f"Sam {EVIL}"
    )
    services.members.mark_onboarded(member_id=manager.id, now=AT)
    services.members.join_team(member_id=manager.id, team_id=team)
    return manager.id, team


def onboard_and_build(bot: Bot) -> None:
    """Dana joins through the modals: her name is read from Slack's users.info."""
    bot.driver.slash_command("UOWNER")
    wait_until(lambda: bot.slack.open_modal("UOWNER"), message="onboarding")
    ack = bot.driver.submit_view("UOWNER", {"manager": "UMANAGER", "team_channel": "CTEAM"})
    assert ack.errors == {}
    assert (
        bot.driver.submit_view(
            "UOWNER",
            {
                "aspiration": f"Aim {EVIL}",
                "strengths": f"Strong {EVIL}",
                "growth_areas": f"Grow {EVIL}",
                "feedback_acted_on": f"Heard {EVIL}",
                "visibility": "team",
                "commitment_0_title": "Calls <!here>",
                "commitment_0_kind": "activity",
                "commitment_0_unit": "<@U0OTHER> calls",
                "commitment_0_baseline": "20",
                "commitment_0_target": "25",
                "coaching_focus": f"Coach {EVIL}",
                "other_support": f"Help {EVIL}",
            },
        ).errors
        == {}
    )
    wait_until(lambda: bot.slack.dms("UOWNER"), message="the plan card")


def test_no_hostile_string_reaches_slack_as_mrkdwn(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    slack.limits.post_channel_burst = 10
    stage(bot)
    onboard_and_build(bot)

    driver.slash_command("UOWNER", f"win Closed {EVIL}")
    driver.slash_command("UOWNER", "")  # the plan card
    driver.click_button("UOWNER", "Propose to my manager")
    wait_until(lambda: slack.dms("UMANAGER"), message="the proposal DM")

    # Sam comments, then acknowledges; Dana then edits, Sam acknowledges the
    # new revision first: "Waiting for <Dana>".
    driver.click_button("UMANAGER", "Comment")
    wait_until(lambda: slack.open_modal("UMANAGER"), message="the comment modal")
    assert driver.submit_view("UMANAGER", {"comment": f"Nice {EVIL}"}).errors == {}
    driver.click_button("UMANAGER", "Acknowledge revision 1")
    wait_until(lambda: any("is active" in m.text for m in slack.dms("UOWNER")), message="active")
    driver.slash_command("UOWNER", "edit")
    wait_until(lambda: slack.open_modal("UOWNER"), message="the builder")
    assert driver.submit_view("UOWNER", {"aspiration": f"Aim higher {EVIL}"}).errors == {}
    ask = wait_until(
        lambda: [m for m in slack.dms("UMANAGER") if "Acknowledge revision 2" in str(m.blocks)],
        message="the new revision's request",
    )
    driver.click_button("UMANAGER", "Acknowledge revision 2", message=ask[-1])
    wait_until(lambda: any("Waiting for" in str(r) for r in slack.responses), message="waiting for")
    # Dana acknowledges it too: the plan is active again (a proposed one is not reviewed).
    driver.slash_command("UOWNER", "")
    card = wait_until(
        lambda: next(
            (r for r in reversed(slack.responses) if "Acknowledge revision 2" in str(r)), None
        ),
        message="Dana's card",
    )
    driver.click_button_in("UOWNER", "Acknowledge revision 2", blocks=card["blocks"])
    wait_until(
        lambda: sum("is active" in m.text for m in slack.dms("UOWNER")) >= 2, message="active"
    )

    # The weekly thread and Dana's check-in in it, with a hostile win and blocker.
    web = make_client(Settings(slack_bot_token=slack.bot_token, slack_api_url=slack.api_url))
    run_due(services=bot.services, clients=lambda _team: web, now=AT)
    [parent] = slack.channel_messages("CTEAM", top_level=True)
    driver.click_button("UOWNER", "Check in", message=parent)
    modal = wait_until(lambda: slack.open_modal("UOWNER"), message="the check-in modal")
    value = next(
        b["block_id"] for b in modal.view["blocks"] if b.get("block_id", "")[:6] == "value_"
    )
    answers = {value: "23", "confidence": "4", "win": f"Won {EVIL}", "blocker": f"Stuck {EVIL}"}
    assert driver.submit_view("UOWNER", answers).errors == {}
    wait_until(lambda: slack.thread("CTEAM", parent.ts), message="the thread reply")

    # The App Home of each, Sam's team view, and the last week's review requests.
    for user in ("UOWNER", "UMANAGER"):
        driver.open_app_home(user)
        wait_until(lambda user=user: user in slack.home, message=f"{user}'s App Home")
    driver.slash_command("UMANAGER", "team")
    driver.slash_command("UPEER", "<@UOWNER>")
    last_week = dt.datetime(2026, 12, 28, 14, 0, tzinfo=dt.UTC)
    assert run_due(services=bot.services, clients=lambda _t: web, now=last_week).sent.get(
        "review-request"
    )
    wait_until(lambda: bot.runner.wait_idle(1), message="the listeners to finish")

    assert injected(bot) == []
    sent = json.dumps([c.args for c in slack.calls]) + json.dumps(slack.responses)
    assert "&lt;!channel&gt; Boss &lt;@U0OTHER&gt;" in sent  # the names were shown, escaped
