"""The whole collaborative flow, as two people and a leader would live it."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.plans import PlanState, Visibility
from tests.scenarios.conftest import Bot
from tests.slack_emulator import wait_until

# Onboarding and the plan, over HTTP and over Socket Mode alike.
pytestmark = pytest.mark.socket_mode

PLAN = {
    "aspiration": "Become the team's go-to closer for <!channel> mid-market deals",
    "strengths": "Discovery calls",
    "growth_areas": "Negotiation & forecasting",
    "commitment_0_title": "Discovery calls",
    "commitment_0_kind": "activity",
    "commitment_0_unit": "calls",
    "commitment_0_baseline": "20",
    "commitment_0_target": "25",
    "one_on_one_cadence": "1",
    "coaching_focus": "Negotiation role-play",
}


def onboard(bot: Bot, user: str, manager: str | None, channel: str = "CTEAM") -> None:
    bot.driver.slash_command(user)
    modal = wait_until(lambda: bot.slack.open_modal(user), message="the onboarding modal")
    assert modal.view["callback_id"] == "onboarding"
    values: dict[str, Any] = {"team_channel": channel}
    if manager:
        values["manager"] = manager
    ack = bot.driver.submit_view(user, values)
    assert ack.json["response_action"] == "update"
    assert bot.slack.open_modal(user).view["callback_id"] == "plan_builder"  # type: ignore[union-attr]


def last_dm(bot: Bot, user: str) -> Any:
    return bot.slack.dms(user)[-1]


def test_owner_and_manager_make_a_plan_together_and_a_leader_shares(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    slack.channels["CLEADERS"].members.add(slack.bot_user_id)

    # The manager and the leader arrive first; the owner is onboarded into the builder.
    onboard(bot, "UMANAGER", manager="ULEADER")
    driver.close_view("UMANAGER")
    onboard(bot, "UOWNER", manager="UMANAGER")

    # A refused submission names the exact fields and keeps the modal open.
    refused = driver.submit_view(
        "UOWNER",
        {
            **PLAN,
            "commitment_0_target": "15",
            "commitment_0_unit": "",
            "one_on_one_cadence": "often",
        },
    )
    assert set(refused.errors) == {"commitment_0_target", "commitment_0_unit", "one_on_one_cadence"}
    assert "at or above the baseline" in refused.errors["commitment_0_target"]
    assert slack.open_modal("UOWNER") is not None

    assert driver.submit_view("UOWNER", PLAN).status == 200
    assert slack.open_modal("UOWNER") is None
    saved = wait_until(lambda: slack.dms("UOWNER"), message="the saved plan")[-1]
    assert "revision 1" in saved.text
    # User text is escaped: the <!channel> in the aspiration pings nobody.
    rendered = str(saved.blocks)
    assert "&lt;!channel&gt;" in rendered
    assert "<!channel>" not in rendered

    # The owner proposes; the manager's digest of the day lists it, with its
    # buttons and what acknowledging means; Open shows the plan itself.
    driver.click_button("UOWNER", "Propose to my manager")
    proposal = wait_until(lambda: slack.dms("UMANAGER"), message="the manager's DM")[-1]
    assert "not an admission of poor performance" in str(proposal.blocks)
    assert "Revision 1 waits for your acknowledgement" in str(proposal.blocks)
    _, old_button = driver.find_button(proposal.blocks or [], "Acknowledge revision 1")
    driver.click_button("UMANAGER", "Open", message=proposal)
    card = wait_until(
        lambda: next((r for r in slack.responses if r["user"] == "UMANAGER"), None),
        message="the plan, opened",
    )
    assert "Discovery calls" in str(card["blocks"])
    driver.click_button("UMANAGER", "Acknowledge revision 1", message=proposal)
    wait_until(lambda: "is active" in last_dm(bot, "UOWNER").text, message="the plan to be active")
    owner = bot.services.members.find(workspace_id=1, slack_user_id="UOWNER")
    assert owner is not None
    plan = bot.services.plans.current_plan(owner_id=owner.id, today=bot_today())
    assert plan is not None
    assert plan.state is PlanState.ACTIVE

    # The manager comments; the owner sees it.
    driver.click_button_in("UMANAGER", "Comment", blocks=card["blocks"], channel_id="DMANAGER")
    wait_until(lambda: slack.open_modal("UMANAGER"))
    driver.submit_view("UMANAGER", {"comment": "Great focus. Let's add a <@UPEER> shadowing goal?"})
    comment = wait_until(
        lambda: next((m for m in slack.dms("UOWNER") if "commented" in m.text), None)
    )
    assert "&lt;@UPEER&gt;" in str(comment.blocks)

    # A later edit shows the diff and asks both again.
    driver.slash_command("UOWNER", "edit")
    wait_until(lambda: slack.open_modal("UOWNER"))
    driver.submit_view("UOWNER", {"commitment_0_target": "30"})
    again = wait_until(
        lambda: next(
            (m for m in slack.dms("UMANAGER") if "Acknowledge revision 2" in str(m.blocks)), None
        ),
        message="the re-acknowledgement request",
    )
    # Opened from the digest, the request says what changed.
    before = len(slack.responses)
    driver.click_button("UMANAGER", "Open", message=again)
    changed = wait_until(
        lambda: len(slack.responses) > before and slack.responses[before], message="what changed"
    )
    assert "25 calls per week" in str(changed["blocks"])
    assert "30 calls per week" in str(changed["blocks"])
    plan = bot.services.plans.current_plan(owner_id=owner.id, today=bot_today())
    assert plan is not None
    assert (plan.state, plan.revision) == (PlanState.PROPOSED, 2)
    # The old button names revision 1: it is gone from the request, and a click
    # on it all the same no longer counts.
    wait_until(
        lambda: (
            "Acknowledge revision 1" not in str(slack.find_message(proposal.channel, proposal.ts))
        ),
        message="the older request marked stale",
    )
    driver.block_action("UMANAGER", old_button, message=proposal)
    driver.click_button("UMANAGER", "Acknowledge revision 2", message=again)
    driver.click_button("UOWNER", "Acknowledge revision 2")
    wait_until(
        lambda: (
            bot.services.plans.current_plan(owner_id=owner.id, today=bot_today()).state  # type: ignore[union-attr]
            is PlanState.ACTIVE
        ),
        message="re-acknowledged",
    )

    # The leader (an admin) sets the leaders channel; the manager, a leader, shares their plan.
    driver.slash_command("ULEADER", "settings")
    wait_until(lambda: slack.open_modal("ULEADER"), message="the settings modal")
    driver.submit_view(
        "ULEADER",
        {"leaders_channel": "CLEADERS", "team_channel": "CTEAM", "timezone": "America/New_York"},
    )
    driver.slash_command("UMANAGER", "edit")
    wait_until(lambda: slack.open_modal("UMANAGER"))
    driver.submit_view("UMANAGER", {**PLAN, "aspiration": "Grow two closers into leads"})
    driver.slash_command("UMANAGER", "share")
    post = wait_until(lambda: slack.channel_messages("CLEADERS"), message="the leaders post")[0]
    assert "Grow two closers into leads" in str(post.blocks)
    manager = bot.services.members.find(workspace_id=1, slack_user_id="UMANAGER")
    assert manager is not None
    shared = bot.services.plans.current_plan(owner_id=manager.id, today=bot_today())
    assert shared is not None
    assert shared.content.visibility is Visibility.PUBLIC
    # An update to a shared plan updates that post in place.
    driver.slash_command("UMANAGER", "edit")
    wait_until(lambda: slack.open_modal("UMANAGER"))
    driver.submit_view("UMANAGER", {"aspiration": "Grow three closers into leads"})
    wait_until(
        lambda: "three closers" in str(slack.channel_messages("CLEADERS")[0].blocks),
        message="post update",
    )
    assert len(slack.channel_messages("CLEADERS")) == 1

    # Everyone sees the leader's public plan on their App Home; the manager sees the team.
    driver.open_app_home("UPEER")
    home = wait_until(lambda: slack.home.get("UPEER"), message="the peer's home")
    assert "Grow three closers into leads" in str(home)
    driver.open_app_home("UMANAGER")
    manager_home = wait_until(lambda: slack.home.get("UMANAGER"), message="the manager's home")
    assert "Your team" in str(manager_home)
    assert all(ack.seconds < 3 for ack in driver.acks)


def bot_today() -> Any:
    from tests.scenarios.conftest import NOW

    return NOW.date()
