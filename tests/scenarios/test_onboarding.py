"""Onboarding is the only way in, and it asks for a manager or the statement
that there is none; the names and zones it keeps come from Slack."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.domain.plans import PlanState
from tests.scenarios.conftest import Bot
from tests.scenarios.test_rhythm import AT, parents, setup_team, tick
from tests.slack_emulator import wait_until

PLAN = {
    "aspiration": "Lead the team",
    "commitment_0_title": "Discovery calls",
    "commitment_0_kind": "activity",
    "commitment_0_unit": "calls",
    "commitment_0_baseline": "20",
    "commitment_0_target": "25",
}


def opened(bot: Bot, user: str, entry: Callable[[], Any]) -> str:
    """The callback id of the modal ``entry`` opens for ``user`` (then closed)."""
    entry()
    modal = wait_until(lambda: bot.slack.open_modal(user), message="a modal")
    bot.driver.close_view(user)
    return str(modal.view["callback_id"])


def test_every_entry_passes_onboarding_first(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    setup_team(bot, users=("UOWNER",))
    tick(bot, AT)
    [parent] = parents(bot)
    driver.open_app_home("UPEER")
    wait_until(lambda: "Start my plan" in str(slack.home.get("UPEER")), message="App Home")
    message = slack.post_as_user("CTEAM", "UOWNER", "Great demo today, Lee!")
    entries = {
        "App Home's Start my plan": lambda: driver.click_button(
            "UPEER", "Start my plan", home=True
        ),
        "/myplan checkin": lambda: driver.slash_command("UPEER", "checkin"),
        "/myplan edit": lambda: driver.slash_command("UPEER", "edit"),
        "the message shortcut": lambda: driver.message_shortcut("UPEER", "save_to_plan", message),
        "the Check in button": lambda: driver.click_button("UPEER", "Check in", message=parent),
    }
    seen = {name: opened(bot, "UPEER", entry) for name, entry in entries.items()}
    assert seen == dict.fromkeys(entries, "onboarding")
    peer = bot.services.members.find(workspace_id=1, slack_user_id="UPEER")
    assert bot.services.plans.current_plan(owner_id=peer.id, today=AT.date()) is None


def test_onboarding_asks_for_a_manager_or_for_none_and_the_card_says_which(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    driver.slash_command("ULEADER")
    modal = wait_until(lambda: slack.open_modal("ULEADER"), message="onboarding")
    assert "I have no manager in this workspace" in str(modal.view)
    neither = driver.submit_view("ULEADER", {"team_channel": "CTEAM"})
    assert "tick “I have no manager in this workspace”" in neither.errors["manager"]
    both = driver.submit_view(
        "ULEADER", {"team_channel": "CTEAM", "manager": "UMANAGER", "no_manager": ["none"]}
    )
    assert "choose one" in both.errors["manager"]
    assert (
        driver.submit_view("ULEADER", {"team_channel": "CTEAM", "no_manager": ["none"]}).errors
        == {}
    )
    assert slack.open_modal("ULEADER").view["callback_id"] == "plan_builder"
    driver.submit_view("ULEADER", PLAN)
    wait_until(lambda: slack.dms("ULEADER"), message="the saved plan")
    driver.click_button("ULEADER", "Propose to my manager")
    wait_until(
        lambda: any("is active" in str(r.get("text")) for r in slack.responses), message="active"
    )
    assert not slack.dms("UMANAGER")  # nobody else was asked
    driver.slash_command("ULEADER")
    card = str(
        wait_until(lambda: [r for r in slack.responses if r.get("blocks")], message="the card")
    )
    assert "No manager in this workspace" in card
    vera = bot.services.members.find(workspace_id=1, slack_user_id="ULEADER")
    plan = bot.services.plans.current_plan(owner_id=vera.id, today=AT.date())
    assert plan.state is PlanState.ACTIVE
