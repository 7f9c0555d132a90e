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
    slack.channels["CTEAM"].members.add("ULEADER")  # Jordan checks in with the team
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


def test_a_manager_named_at_onboarding_is_known_by_their_slack_name_and_zone(bot: Bot) -> None:
    """Sam never used myplan: onboarding reads his name and zone from Slack,
    so no raw user id appears anywhere; the team Dana creates is in her zone."""
    slack, driver = bot.slack, bot.driver
    driver.slash_command("UOWNER")
    wait_until(lambda: slack.open_modal("UOWNER"), message="onboarding")
    assert (
        driver.submit_view("UOWNER", {"team_channel": "CTEAM", "manager": "UMANAGER"}).errors == {}
    )
    sam = bot.services.members.find(workspace_id=1, slack_user_id="UMANAGER")
    assert (sam.display_name, sam.timezone) == ("Sam Okafor", "Europe/London")
    dana = bot.services.members.find(workspace_id=1, slack_user_id="UOWNER")
    team = bot.services.rhythm.team_of_member(member_id=dana.id)
    assert (team.channel_id, team.timezone) == ("CTEAM", "America/New_York")
    driver.submit_view("UOWNER", PLAN)
    wait_until(lambda: slack.dms("UOWNER"), message="the saved plan")
    driver.click_button("UOWNER", "Propose to my manager")
    said = wait_until(lambda: [r["text"] for r in slack.responses], message="the answer")
    assert said == ["Sent to Sam Okafor to acknowledge."]
    request = wait_until(lambda: slack.dms("UMANAGER"), message="Sam's request")[0]
    assert "UMANAGER" not in request.text + str(request.blocks)


def test_onboarding_refuses_a_manager_of_another_workspace_or_a_bot(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    slack.add_user("UBOT", "helper", real_name="Helper Bot", is_bot=True)
    driver.slash_command("UOWNER")
    wait_until(lambda: slack.open_modal("UOWNER"), message="onboarding")
    bot_ack = driver.submit_view("UOWNER", {"team_channel": "CTEAM", "manager": "UBOT"})
    assert bot_ack.errors == {"manager": "A bot can't be your manager: choose a person."}
    forged = driver.submit_view("UOWNER", {"team_channel": "CTEAM", "manager": "UNOBODY"})
    assert forged.errors["manager"].startswith("I can't find that person in this workspace")
    assert bot.services.members.find(workspace_id=1, slack_user_id="UBOT") is None
