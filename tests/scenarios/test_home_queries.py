"""App Home and every read view cost a bounded number of SQL statements in one
transaction, whatever the team size, the history and the public plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from bot.domain.content import CommitmentInput, PlanInput
from tests.scenarios.conftest import NOW, Bot
from tests.slack_emulator import wait_until

PLAN = PlanInput(
    aspiration="Grow",
    commitments=[
        CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="1", target="2"),
        CommitmentInput(title="Demos", kind="activity", unit="demos", baseline="2", target="4"),
    ],
)
MAX_STATEMENTS = 10


@dataclass
class Counted:
    statements: list[str] = field(default_factory=list)
    transactions: int = 0


@contextmanager
def counting(bot: Bot) -> Iterator[Counted]:
    counted = Counted()

    def statement(*args: object) -> None:
        counted.statements.append(" ".join(str(args[2]).split())[:120])

    def begin(*_: object) -> None:
        counted.transactions += 1

    event.listen(bot.db.engine, "before_cursor_execute", statement)
    event.listen(bot.db.engine, "begin", begin)
    try:
        yield counted
    finally:
        event.remove(bot.db.engine, "before_cursor_execute", statement)
        event.remove(bot.db.engine, "begin", begin)


def onboarded(bot: Bot, slack_id: str, *, manager: int | None = None) -> int:
    services = bot.services
    if slack_id not in bot.slack.users:
        bot.slack.add_user(slack_id, slack_id.lower())
    member = services.members.ensure_member(slack_team_id=bot.slack.team_id, slack_user_id=slack_id)
    services.members.mark_onboarded(member_id=member.id, now=NOW)
    if manager is not None:
        services.members.set_manager(
            member_id=member.id, manager_id=manager, changed_by_id=member.id, now=NOW
        )
    return int(member.id)


def quarters_of_plans(bot: Bot, member_id: int, *, quarters: int, public: bool = False) -> None:
    """A plan in each of the last ``quarters`` quarters (this one last), each
    with a check-in every fortnight, the current one public if asked."""
    services = bot.services
    for back in range(quarters - 1, -1, -1):
        day = NOW - dt.timedelta(days=91 * back)
        plan = services.plans.start_plan(owner_id=member_id, today=day.date())
        services.plans.save(actor_id=member_id, plan_id=plan.id, plan_input=PLAN, now=day)
        services.plans.propose(actor_id=member_id, plan_id=plan.id, now=day)
        view = services.plans.get_plan(viewer_id=member_id, plan_id=plan.id)
        for week in range(0, 10, 2):
            checkin_day = plan.quarter.start + dt.timedelta(days=7 * week)
            if checkin_day > NOW.date():
                break
            services.plans.record_checkin(
                actor_id=member_id,
                plan_id=plan.id,
                day=checkin_day,
                values={c.id: str(week + 1) for c in view.commitments},
                confidence=4,
                now=day,
            )
        if public and back == 0:
            services.sharing.share(actor_id=member_id, plan_id=plan.id)


def organisation(bot: Bot, slack_id: str, *, reports: int, public_leaders: int) -> None:
    """A manager with a plan of their own (public) and history, ``reports``
    reports with history, and other leaders' public plans in the workspace."""
    manager = onboarded(bot, slack_id)
    quarters_of_plans(bot, manager, quarters=3, public=True)
    for i in range(reports):
        quarters_of_plans(bot, onboarded(bot, f"{slack_id}R{i}", manager=manager), quarters=2)
    for i in range(public_leaders):
        leader = onboarded(bot, f"{slack_id}L{i}")
        quarters_of_plans(bot, leader, quarters=2, public=True)
        onboarded(bot, f"{slack_id}L{i}R", manager=leader)


def home_of(bot: Bot, slack_id: str) -> Counted:
    bot.slack.home.pop(slack_id, None)
    with counting(bot) as counted:
        bot.driver.open_app_home(slack_id)
        wait_until(lambda: slack_id in bot.slack.home, message="the home view")
        assert bot.runner.wait_idle(10)
    return counted


def test_app_home_costs_at_most_ten_statements_in_one_transaction(bot: Bot) -> None:
    organisation(bot, "USMALL", reports=1, public_leaders=1)
    organisation(bot, "ULARGE", reports=12, public_leaders=12)
    small = home_of(bot, "USMALL")
    large = home_of(bot, "ULARGE")
    home = str(bot.slack.home["ULARGE"])
    assert "12 reports" in home
    assert "ularger11" in home.lower()  # a report, with a plan
    assert "ULARGEL11".lower() in home.lower()  # a leader's public plan, among the newest
    assert "Q3 FY2026" in home  # the manager's past quarters
    for counted in (small, large):
        assert len(counted.statements) <= MAX_STATEMENTS, counted.statements
        assert counted.transactions == 1, counted.statements
    assert len(small.statements) == len(large.statements)


def command_of(bot: Bot, slack_id: str, text: str) -> Counted:
    replies = len(bot.slack.responses)
    with counting(bot) as counted:
        bot.driver.slash_command(slack_id, text)
        wait_until(lambda: len(bot.slack.responses) > replies, message=f"/myplan {text}")
        assert bot.runner.wait_idle(10)
    return counted


def test_every_read_view_costs_at_most_ten_statements_in_one_transaction(bot: Bot) -> None:
    organisation(bot, "UMGR", reports=12, public_leaders=3)
    leader = bot.slack.users["UMGRL2"].id
    for text in ("team", "", f"<@{leader}|leader>"):
        counted = command_of(bot, "UMGR", text)
        assert len(counted.statements) <= MAX_STATEMENTS, (text, counted.statements)
        assert counted.transactions == 1, (text, counted.statements)
    reply = str(bot.slack.responses[-1])
    assert "umgrl2" in reply.lower()  # the leader's public plan, seen by another
