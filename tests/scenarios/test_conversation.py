"""The conversation on a plan: re-asking on every revision, comments and
answers, suggested edits applied in one click, the manager's own side."""

from __future__ import annotations

from typing import Any

from bot.domain.plans import PlanState
from tests.scenarios.conftest import NOW, Bot
from tests.scenarios.test_collaboration import onboard
from tests.slack_emulator import wait_until

PLAN = {
    "aspiration": "Close mid-market deals",
    "commitment_0_title": "Discovery calls",
    "commitment_0_kind": "activity",
    "commitment_0_unit": "calls",
    "commitment_0_baseline": "20",
    "commitment_0_target": "25",
}


def proposed(bot: Bot) -> Any:
    """Manager and owner onboarded; the owner's plan proposed; the manager's DM."""
    onboard(bot, "UMANAGER", manager="ULEADER")
    bot.driver.close_view("UMANAGER")
    onboard(bot, "UOWNER", manager="UMANAGER")
    assert bot.driver.submit_view("UOWNER", PLAN).status == 200
    wait_until(lambda: bot.slack.dms("UOWNER"), message="the saved plan")
    bot.driver.click_button("UOWNER", "Propose to my manager")
    return wait_until(
        lambda: next((m for m in bot.slack.dms("UMANAGER") if "revision 1" in str(m.blocks)), None),
        message="the manager's request",
    )


def owner_plan(bot: Bot) -> Any:
    owner = bot.services.members.find(workspace_id=1, slack_user_id="UOWNER")
    assert owner is not None
    return bot.services.plans.current_plan(owner_id=owner.id, today=NOW.date())


def test_an_edit_while_proposed_asks_the_manager_again_with_what_changed(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    first = proposed(bot)
    driver.slash_command("UOWNER", "edit")
    wait_until(lambda: slack.open_modal("UOWNER"), message="the builder")
    driver.submit_view("UOWNER", {"commitment_0_target": "30"})
    again = wait_until(
        lambda: next(
            (m for m in slack.dms("UMANAGER") if "Acknowledge revision 2" in str(m.blocks)), None
        ),
        message="the manager asked again",
    )
    assert "What changed" in str(again.blocks)
    assert "25 calls per week" in str(again.blocks) and "30 calls per week" in str(again.blocks)
    assert (owner_plan(bot).state, owner_plan(bot).revision) == (PlanState.PROPOSED, 2)

    # The older request's button is stale: clicking it says so and counts for nothing.
    driver.click_button("UMANAGER", "Acknowledge revision 1", message=first)
    wait_until(
        lambda: any("revision 2" in r.get("text", "") for r in slack.responses),
        message="the stale answer",
    )
    stale = next(r for r in slack.responses if "revision 2" in r.get("text", ""))
    assert "changed since" in stale["text"]
    assert owner_plan(bot).acknowledgement.waiting_for  # nobody acknowledged revision 2 yet
