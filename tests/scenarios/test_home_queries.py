"""App Home and the team view cost the same SQL for a manager of 1 and of 50."""

from __future__ import annotations

from sqlalchemy import event

from bot.domain.content import CommitmentInput, PlanInput
from tests.scenarios.conftest import NOW, Bot
from tests.slack_emulator import wait_until

PLAN = PlanInput(
    aspiration="Grow",
    commitments=[
        CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="1", target="2")
    ],
)


def manager_of(bot: Bot, slack_id: str, reports: int) -> None:
    bot.slack.add_user(slack_id, slack_id.lower())
    services = bot.services
    manager = services.members.ensure_member(
        slack_team_id=bot.slack.team_id, slack_user_id=slack_id
    )
    services.members.mark_onboarded(member_id=manager.id, now=NOW)
    for i in range(reports):
        report = services.members.ensure_member(
            slack_team_id=bot.slack.team_id, slack_user_id=f"{slack_id}R{i}"
        )
        services.members.set_manager(
            member_id=report.id, manager_id=manager.id, changed_by_id=report.id, now=NOW
        )
        plan = services.plans.start_plan(owner_id=report.id, today=NOW.date())
        services.plans.save(actor_id=report.id, plan_id=plan.id, plan_input=PLAN, now=NOW)


def statements_for_home(bot: Bot, slack_id: str) -> int:
    count = [0]

    def record(*_: object) -> None:
        count[0] += 1

    event.listen(bot.db.engine, "before_cursor_execute", record)
    try:
        bot.driver.open_app_home(slack_id)
        wait_until(lambda: slack_id in bot.slack.home, message="the home view")
    finally:
        event.remove(bot.db.engine, "before_cursor_execute", record)
    return count[0]


def test_app_home_statements_do_not_grow_with_the_team(bot: Bot) -> None:
    manager_of(bot, "USMALL", 1)
    manager_of(bot, "ULARGE", 50)
    small = statements_for_home(bot, "USMALL")
    large = statements_for_home(bot, "ULARGE")
    assert "1 report" in str(bot.slack.home["USMALL"])
    assert "50 reports" in str(bot.slack.home["ULARGE"])
    assert small == large
