"""Numbers as typed: a plan or check-in reopened and saved untouched keeps
every number exactly, and what could be misread is asked about (issue 14,
finding 5)."""

from __future__ import annotations

import pytest

from bot.domain.content import CommitmentInput, PlanInput
from tests.scenarios.conftest import NOW, Bot
from tests.slack_emulator import wait_until

BIG = "123456789012345" + "0" * 20  # 35 digits
PLAN = PlanInput(
    aspiration="Be exact",
    visibility="team",
    commitments=[
        CommitmentInput(title="Rate", kind="result", unit="%", baseline="0.004", target="0.125"),
        CommitmentInput(
            title="Calls", kind="activity", unit="calls", baseline="12.345", target=BIG
        ),
    ],
)


def owner_with_plan(bot: Bot, *, propose: bool = False) -> tuple[int, int]:
    services = bot.services
    owner = services.members.ensure_member(slack_team_id=bot.slack.team_id, slack_user_id="UOWNER")
    services.members.mark_onboarded(member_id=owner.id, now=NOW)
    plan = services.plans.start_plan(owner_id=owner.id, today=NOW.date())
    services.plans.save(actor_id=owner.id, plan_id=plan.id, plan_input=PLAN, now=NOW)
    if propose:
        services.plans.propose(actor_id=owner.id, plan_id=plan.id, now=NOW)
    return owner.id, plan.id


def bars(bot: Bot, owner: int, plan: int) -> list[tuple[float, float]]:
    view = bot.services.plans.get_plan(viewer_id=owner, plan_id=plan)
    return [(c.commitment.baseline, c.commitment.target) for c in view.commitments]


def test_a_plan_saved_untouched_keeps_every_number(bot: Bot) -> None:
    owner, plan = owner_with_plan(bot)
    before = bars(bot, owner, plan)
    assert before == [(0.004, 0.125), (12.345, float(BIG))]
    bot.driver.slash_command("UOWNER", "edit")
    modal = wait_until(lambda: bot.slack.open_modal("UOWNER"), message="the builder")
    shown = {
        b["block_id"]: b["element"].get("initial_value")
        for b in modal.view["blocks"]
        if b["type"] == "input"
    }
    assert shown["commitment_0_baseline"] == "0.004"
    assert shown["commitment_1_baseline"] == "12.345"
    assert shown["commitment_1_target"] == BIG
    assert bot.driver.submit_view("UOWNER", {}).errors == {}
    bot.runner.wait_idle(5)
    assert bars(bot, owner, plan) == before
    assert bot.services.plans.get_plan(viewer_id=owner, plan_id=plan).revision == 1


def test_a_checkin_reopened_and_saved_untouched_keeps_its_values(bot: Bot) -> None:
    owner, plan = owner_with_plan(bot, propose=True)
    commitments = [
        c.id for c in bot.services.plans.get_plan(viewer_id=owner, plan_id=plan).commitments
    ]
    typed = {commitments[0]: "0.004", commitments[1]: "12.345"}
    bot.services.plans.record_checkin(
        actor_id=owner, plan_id=plan, day=NOW.date(), values=typed, confidence=3, now=NOW
    )
    bot.driver.slash_command("UOWNER", "checkin")
    wait_until(lambda: bot.slack.open_modal("UOWNER"), message="the check-in")
    assert bot.driver.submit_view("UOWNER", {"confidence": "3"}).errors == {}
    bot.runner.wait_idle(5)
    view = bot.services.plans.get_plan(viewer_id=owner, plan_id=plan)
    assert [c.weekly_values for c in view.commitments] == [(0.004,), (12.345,)]


@pytest.mark.parametrize(
    ("typed", "asks"),
    [
        ("1,5", "Is '1,5' 15 or 1.5?"),
        ("1,2,3", "'.' marks decimals and ',' thousands"),
        ("true", "must be a number"),
        ("1.2.3", "must be a number"),
        ("12345678901234567", "15 significant digits"),
    ],
)
def test_a_number_that_could_be_misread_is_asked_about(bot: Bot, typed: str, asks: str) -> None:
    owner_with_plan(bot)
    bot.driver.slash_command("UOWNER", "edit")
    wait_until(lambda: bot.slack.open_modal("UOWNER"), message="the builder")
    errors = bot.driver.submit_view("UOWNER", {"commitment_1_target": typed}).errors
    assert asks in errors["commitment_1_target"]
