"""History reads cost the same number of SQL statements for 2 past quarters and for 8,
for the owner, their manager, and a former manager who sees them by the history."""

from __future__ import annotations

import datetime as dt

from bot.db.session import Database
from bot.domain.content import CommitmentInput, PlanInput
from bot.domain.quarters import Quarter
from tests.integration.test_query_counts import counting
from tests.support import PerCallServices as Services

PLAN = PlanInput(
    aspiration="Grow",
    commitments=[
        CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="1", target="2"),
        CommitmentInput(title="Pipeline", kind="result", unit="k$", baseline="1", target="2"),
    ],
)


def owner_with_quarters(services: Services, team: str, quarters: int) -> dict[str, int]:
    people = {
        who: services.members.ensure_member(slack_team_id=team, slack_user_id=who).id
        for who in ("UOWNER", "UFORMER", "UNOW")
    }
    first = Quarter(2027, 1).previous()
    for _ in range(quarters - 1):
        first = first.previous()
    start = dt.datetime.combine(first.start, dt.time(9), tzinfo=dt.UTC)
    services.members.set_manager(
        member_id=people["UOWNER"], manager_id=people["UFORMER"], changed_by_id=None, now=start
    )
    quarter = first
    plan_ids = []
    for _ in range(quarters):
        day = quarter.start + dt.timedelta(days=10)
        now = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        plan = services.plans.start_plan(owner_id=people["UOWNER"], today=day)
        saved = services.plans.save(
            actor_id=people["UOWNER"], plan_id=plan.id, plan_input=PLAN, now=now
        )
        services.plans.propose(actor_id=people["UOWNER"], plan_id=plan.id, now=now)
        for week in range(4):
            services.plans.record_checkin(
                actor_id=people["UOWNER"],
                plan_id=plan.id,
                day=day + dt.timedelta(weeks=week),
                values={cv.id: str(week) for cv in saved.plan.commitments},
                confidence=3,
                now=now,
            )
        plan_ids.append(plan.id)
        quarter = quarter.next()
    # The owner changes manager in the last quarter: the former one keeps the earlier ones.
    services.members.set_manager(
        member_id=people["UOWNER"],
        manager_id=people["UNOW"],
        changed_by_id=None,
        now=dt.datetime.combine(quarter.previous().start, dt.time(9), tzinfo=dt.UTC)
        + dt.timedelta(days=20),
    )
    return {**people, "last": plan_ids[-1], "first": plan_ids[0]}


def statements(db: Database, services: Services, ids: dict[str, int]) -> dict[str, int]:
    today = dt.date(2027, 1, 15)  # Q1 FY2027: every staged quarter is past
    counts = {}
    for viewer in ("UOWNER", "UFORMER", "UNOW"):
        with counting(db) as seen:
            listing = services.history.past_quarters(
                viewer_id=ids[viewer], owner_id=ids["UOWNER"], today=today
            )
        assert listing.quarters, viewer
        counts[f"list {viewer}"] = len(seen)
        with counting(db) as seen:
            services.history.past_quarter(viewer_id=ids[viewer], plan_id=ids["first"])
        counts[f"quarter {viewer}"] = len(seen)
        with counting(db) as seen:
            found = services.history.trends(viewer_id=ids[viewer], plan_id=ids["last"])
        assert found.trends[0].quarters, viewer
        counts[f"trends {viewer}"] = len(seen)
    return counts


def test_history_reads_do_not_grow_with_the_quarters(db: Database) -> None:
    services = Services.build(db)
    few = statements(db, services, owner_with_quarters(services, "T2", 2))
    many = statements(db, services, owner_with_quarters(services, "T8", 8))
    assert few == many
    assert max(many.values()) <= 20, many
