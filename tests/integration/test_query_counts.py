"""The team view costs the same number of SQL statements for 1 report and for 50."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from bot.db.session import Database
from bot.domain.content import CommitmentInput, PlanInput
from tests.support import PerCallServices as Services

NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)
PLAN = PlanInput(
    aspiration="Grow",
    commitments=[
        CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="1", target="2")
    ],
)


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def team_of(services: Services, size: int, team: str) -> int:
    manager = services.members.ensure_member(slack_team_id=team, slack_user_id="UMGR")
    for i in range(size):
        report = services.members.ensure_member(slack_team_id=team, slack_user_id=f"UR{i}")
        services.members.set_manager(
            member_id=report.id, manager_id=manager.id, changed_by_id=report.id, now=NOW
        )
        plan = services.plans.start_plan(owner_id=report.id, today=NOW.date())
        services.plans.save(actor_id=report.id, plan_id=plan.id, plan_input=PLAN, now=NOW)
        services.plans.propose(actor_id=report.id, plan_id=plan.id, now=NOW)
        services.plans.acknowledge(actor_id=manager.id, plan_id=plan.id, revision=1, now=NOW)
        commitment = services.plans.get_plan(viewer_id=report.id, plan_id=plan.id).commitments[0].id
        services.plans.record_checkin(
            actor_id=report.id,
            plan_id=plan.id,
            day=NOW.date(),
            values={commitment: "2"},
            confidence=4,
            now=NOW,
        )
    return manager.id


def test_team_view_statements_do_not_grow_with_the_team(db: Database) -> None:
    services = Services.build(db)
    small = team_of(services, 1, "TSMALL")
    large = team_of(services, 50, "TLARGE")
    with counting(db) as one:
        rows_one = services.overview.team_overview(manager_id=small, today=NOW.date())
    with counting(db) as fifty:
        rows_fifty = services.overview.team_overview(manager_id=large, today=NOW.date())
    assert len(rows_one) == 1
    assert len(rows_fifty) == 50
    assert all(row.progress == 1.0 for row in rows_fifty)
    assert len(one) == len(fifty), (one, fifty)
