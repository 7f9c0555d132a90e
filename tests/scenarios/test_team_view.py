"""The team view (`/myplan team`) of a manager of many: every report, a page
at a time within a message's 50 blocks, each with what the manager can do,
for the same number of SQL statements with 30 reports as with 1."""

from __future__ import annotations

from typing import Any

from tests.scenarios.conftest import NOW, Bot
from tests.scenarios.test_home_queries import MAX_STATEMENTS, PLAN, command_of, onboarded
from tests.slack_emulator import wait_until

DM = "DMANY"  # where the manager typed /myplan team: their DM with myplan


def manager_of(bot: Bot, slack_id: str, *, reports: int) -> list[int]:
    """A manager whose reports have each proposed this quarter's plan."""
    manager = onboarded(bot, slack_id)
    plans = []
    for i in range(reports):
        report = onboarded(bot, f"{slack_id}R{i:02d}", manager=manager)
        plan = bot.services.plans.start_plan(owner_id=report, today=NOW.date())
        bot.services.plans.save(actor_id=report, plan_id=plan.id, plan_input=PLAN, now=NOW)
        bot.services.plans.propose(actor_id=report, plan_id=plan.id, now=NOW)
        plans.append(plan.id)
    return plans


def buttons(blocks: list[dict[str, Any]]) -> list[str]:
    found = []
    for block in blocks:
        if "accessory" in block:
            found.append(block["accessory"]["text"]["text"])
        if block.get("type") == "actions":
            found += [element["text"]["text"] for element in block["elements"]]
    return found


def test_the_team_view_costs_the_same_for_thirty_reports_as_for_one(bot: Bot) -> None:
    manager_of(bot, "UONE", reports=1)
    manager_of(bot, "UMANY", reports=30)
    one = command_of(bot, "UONE", "team")
    many = command_of(bot, "UMANY", "team")
    for counted in (one, many):
        assert len(counted.statements) <= MAX_STATEMENTS, counted.statements
        assert counted.transactions == 1
    assert len(one.statements) == len(many.statements)


def test_a_manager_of_thirty_pages_through_every_report_and_acts_on_each(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    plans = manager_of(bot, "UMANY", reports=30)
    driver.slash_command("UMANY", "team")
    first = wait_until(lambda: slack.responses, message="the team view")[0]
    assert len(first["blocks"]) <= 50
    text = str(first["blocks"])
    assert "30 reports · page 1 of 2" in text
    assert "umanyr00" in text.lower() and "umanyr19" in text.lower()
    assert "umanyr20" not in text.lower()
    shown = buttons(first["blocks"])
    assert shown.count("Open") == 20
    assert shown.count("Acknowledge revision 1") == 20
    assert shown[-1] == "Next" and "Previous" not in shown

    # Next: the rest, in place of the first page.
    driver.click_button_in("UMANY", "Next", blocks=first["blocks"], channel_id=DM)
    second = wait_until(lambda: len(slack.responses) > 1 and slack.responses[1], message="page 2")
    assert second.get("replace_original") is True
    assert "page 2 of 2" in str(second["blocks"])
    assert buttons(second["blocks"]).count("Open") == 10
    assert "umanyr29" in str(second["blocks"]).lower()
    assert buttons(second["blocks"])[-1] == "Previous"

    # Open one report's plan; acknowledge another's from the view itself.
    driver.click_button_in("UMANY", "Open", blocks=second["blocks"], channel_id=DM)
    card = wait_until(lambda: len(slack.responses) > 2 and slack.responses[2], message="a card")
    assert "umanyr20" in str(card).lower() and "Calls" in str(card)
    driver.click_button_in(
        "UMANY", "Acknowledge revision 1", blocks=second["blocks"], channel_id=DM
    )
    manager = bot.services.members.find(workspace_id=1, slack_user_id="UMANY")
    wait_until(
        lambda: (
            not bot.services.plans.get_plan(
                viewer_id=manager.id, plan_id=plans[20]
            ).acknowledgement.waiting_for
            - {bot.services.plans.get_plan(viewer_id=manager.id, plan_id=plans[20]).owner_id}
        ),
        message="the acknowledgement",
    )
    # Acknowledged (and told so where they clicked): the view no longer offers it.
    assert bot.runner.wait_idle(10)
    before = len(slack.responses)
    driver.slash_command("UMANY", "team")
    again = wait_until(
        lambda: len(slack.responses) > before and slack.responses[-1], message="again"
    )
    assert buttons(again["blocks"]).count("Acknowledge revision 1") == 20


def test_a_forged_page_or_report_is_refused_without_a_leak(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    manager_of(bot, "UMANY", reports=2)
    manager_of(bot, "UOTHER", reports=1)
    driver.slash_command("UMANY", "team")
    view = wait_until(lambda: slack.responses, message="the team view")[0]
    # The Open button names a report of another manager's (a forged value).
    forged = [dict(block) for block in view["blocks"]]
    for block in forged:
        if "accessory" in block:
            block["accessory"] = {**block["accessory"], "value": "UOTHERR00"}
    driver.click_button_in("UMANY", "Open", blocks=forged, channel_id=DM)
    said = wait_until(lambda: len(slack.responses) > 1 and slack.responses[1], message="refusal")
    assert said["text"] == "You can't see that plan."
    assert "Calls" not in str(said)
