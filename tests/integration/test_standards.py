from __future__ import annotations

import datetime as dt

import pytest

from bot.db.session import Database
from bot.domain.content import CommitmentInput, PlanInput
from bot.domain.errors import PermissionDenied
from bot.domain.quarters import Quarter
from tests.support import PerCallServices as Services

NOW = dt.datetime(2026, 12, 28, 15, tzinfo=dt.UTC)
Q4 = Quarter(2026, 4)


def team_with_results(
    services: Services, results: dict[str, str], *, target: str = "40", rollup: str | None = None
) -> tuple[int, int, dict[str, int]]:
    workspace = services.members.ensure_workspace(slack_team_id="T1")
    team = services.members.configure_team(workspace_id=workspace, channel_id="CTEAM")
    lead = services.members.ensure_member(slack_team_id="T1", slack_user_id="ULEAD")
    ids = {}
    for user, calls in results.items():
        ref = services.members.ensure_member(slack_team_id="T1", slack_user_id=user)
        services.members.join_team(member_id=ref.id, team_id=team)
        services.members.set_manager(
            member_id=ref.id, manager_id=lead.id, changed_by_id=lead.id, now=NOW
        )
        plan = services.plans.start_plan(owner_id=ref.id, today=dt.date(2026, 12, 1))
        saved = services.plans.save(
            actor_id=ref.id,
            plan_id=plan.id,
            now=NOW,
            plan_input=PlanInput(
                aspiration="Grow",
                commitments=[
                    CommitmentInput(
                        title="Calls",
                        kind="activity",
                        unit="calls",
                        baseline="10",
                        target=target,
                        rollup=rollup,
                    ),
                    CommitmentInput(
                        title=f"Own metric {user}",
                        kind="result",
                        unit="x",
                        baseline="1",
                        target="2",
                    ),
                ],
            ),
        )
        services.plans.propose(actor_id=ref.id, plan_id=plan.id, now=NOW)
        services.plans.acknowledge(actor_id=lead.id, plan_id=plan.id, revision=1, now=NOW)
        calls_id, own_id = (cv.id for cv in saved.plan.commitments)
        services.plans.record_checkin(
            actor_id=ref.id,
            plan_id=plan.id,
            day=dt.date(2026, 12, 7),
            values={calls_id: calls, own_id: "2"},
            confidence=4,
            now=NOW,
        )
        ids[user] = ref.id
    return team, lead.id, ids


def test_standards_rise_to_the_team_median_when_the_leader_approves(db: Database) -> None:
    services = Services.build(db)
    team, lead, ids = team_with_results(services, {"UA": "20", "UB": "30", "UC": "45"})
    [standard] = services.standards.propose(
        team_id=team, quarter=Q4
    )  # own metrics: one member each
    assert (standard.title, standard.minimum, standard.proposed, standard.members) == (
        "Calls",
        None,
        30,
        3,
    )
    with pytest.raises(PermissionDenied):
        services.standards.approve(actor_id=ids["UA"], team_id=team, now=NOW)
    [approved] = services.standards.approve(actor_id=lead, team_id=team, now=NOW)
    assert (approved.minimum, approved.proposed) == (30, None)


def test_a_standard_never_goes_down(db: Database) -> None:
    services = Services.build(db)
    team, lead, _ = team_with_results(services, {"UA": "20", "UB": "30", "UC": "45"})
    services.standards.propose(team_id=team, quarter=Q4)
    services.standards.approve(actor_id=lead, team_id=team, now=NOW)
    services2 = Services.build(db)
    # A weaker quarter proposes nothing lower than the approved 30.
    for user in ("UA", "UB", "UC"):
        ref = services2.members.ensure_member(slack_team_id="T1", slack_user_id=user)
        plan = services2.plans.current_plan(owner_id=ref.id, today=dt.date(2026, 12, 1))
        assert plan is not None
        services2.plans.record_checkin(
            actor_id=ref.id,
            plan_id=plan.id,
            day=dt.date(2026, 12, 14),
            values={cv.id: "5" for cv in plan.commitments},
            confidence=2,
            now=NOW,
        )
    [standard] = services2.standards.propose(team_id=team, quarter=Q4)
    assert (standard.minimum, standard.proposed) == (30, None)


def test_an_approved_standard_is_the_least_next_quarters_target_may_be(db: Database) -> None:
    services = Services.build(db)
    team, lead, ids = team_with_results(
        services, {"UA": "20", "UB": "30", "UC": "45"}, target="12", rollup="sum"
    )
    # A second week like the first: the quarter's sums double, the weekly
    # rates (the terms of a "calls per week" target and of its standard) do not.
    for user, calls in {"UA": "20", "UB": "30", "UC": "45"}.items():
        plan_id = _plan_of(services, user)
        view = services.plans.get_plan(viewer_id=ids[user], plan_id=plan_id)
        services.plans.record_checkin(
            actor_id=ids[user],
            plan_id=plan_id,
            day=dt.date(2026, 12, 14),
            values={
                cv.id: calls if cv.commitment.title == "Calls" else "2" for cv in view.commitments
            },
            confidence=4,
            now=NOW,
        )
    before = services.reviews.proposal(actor_id=ids["UA"], plan_id=_plan_of(services, "UA"))
    calls = next(bar for bar in before.bars if bar.title == "Calls")
    assert calls.proposed is not None and calls.standard is None
    assert (calls.proposed.baseline, calls.proposed.target) == (20, 22)  # 20 stretched by 10%

    services.standards.propose(team_id=team, quarter=Q4)
    services.standards.approve(actor_id=lead, team_id=team, now=NOW)  # the median, 30
    after = services.reviews.proposal(actor_id=ids["UA"], plan_id=_plan_of(services, "UA"))
    calls = next(bar for bar in after.bars if bar.title == "Calls")
    assert calls.standard == 30
    assert calls.proposed is not None
    assert (calls.proposed.baseline, calls.proposed.target) == (20, 30)
    # UC did better than the standard: their own stretch stands.
    above = services.reviews.proposal(actor_id=ids["UC"], plan_id=_plan_of(services, "UC"))
    calls = next(bar for bar in above.bars if bar.title == "Calls")
    assert calls.proposed is not None and calls.proposed.target == 50  # 45 stretched


def _plan_of(services: Services, user: str) -> int:
    ref = services.members.ensure_member(slack_team_id="T1", slack_user_id=user)
    plan = services.plans.current_plan(owner_id=ref.id, today=dt.date(2026, 12, 1))
    assert plan is not None
    return plan.id
