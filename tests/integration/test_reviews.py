from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.db import models as m
from bot.db.session import Database
from bot.domain.content import CommitmentInput, PlanInput
from bot.domain.errors import IllegalTransition, ValidationError
from bot.domain.plans import PlanState
from bot.services.reviews import ChosenBar
from tests.support import PerCallServices as Services

NOW = dt.datetime(2026, 12, 28, 15, 0, tzinfo=dt.UTC)  # the last week of Q4 FY2026
PLAN = PlanInput(
    aspiration="Become the go-to closer",
    commitments=[
        CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="20", target="25"),
        CommitmentInput(
            title="Pipeline",
            kind="result",
            unit="k$",
            baseline="100",
            target="150",
            rollup="latest",
        ),
        CommitmentInput(title="Cert", kind="milestone", due_date=dt.date(2026, 12, 1)),
    ],
    one_on_one_cadence="1",
)


@pytest.fixture
def services(db: Database) -> Services:
    return Services.build(db)


def active_plan_with_checkins(services: Services) -> tuple[int, int, int]:
    owner = services.members.ensure_member(slack_team_id="T1", slack_user_id="UOWNER")
    manager = services.members.ensure_member(slack_team_id="T1", slack_user_id="UMGR")
    services.members.set_manager(
        member_id=owner.id, manager_id=manager.id, changed_by_id=owner.id, now=NOW
    )
    plan = services.plans.start_plan(owner_id=owner.id, today=dt.date(2026, 10, 5))
    saved = services.plans.save(actor_id=owner.id, plan_id=plan.id, plan_input=PLAN, now=NOW)
    services.plans.propose(actor_id=owner.id, plan_id=plan.id, now=NOW)
    services.plans.acknowledge(actor_id=manager.id, plan_id=plan.id, revision=1, now=NOW)
    calls, pipeline, cert = (cv.id for cv in saved.plan.commitments)
    for week, (c, p) in enumerate([("26", "120"), ("30", "160"), ("28", "170")]):
        services.plans.record_checkin(
            actor_id=owner.id,
            plan_id=plan.id,
            day=dt.date(2026, 12, 7) + dt.timedelta(weeks=week),
            values={calls: c, pipeline: p, cert: "1"},
            confidence=4,
            now=NOW,
        )
    services.plans.add_win(actor_id=owner.id, text="Closed Acme", today=dt.date(2026, 12, 10))
    return owner.id, manager.id, plan.id


def test_the_review_raises_the_bar_and_drafts_next_quarter(
    services: Services, db: Database
) -> None:
    owner, manager, plan_id = active_plan_with_checkins(services)
    proposal = services.reviews.proposal(actor_id=manager, plan_id=plan_id)
    bars = {bar.title: bar for bar in proposal.bars}
    assert bars["Calls"].actual == 28  # the average of 26, 30, 28
    assert (bars["Calls"].proposed.baseline, bars["Calls"].proposed.target) == (28, 31)  # type: ignore[union-attr]
    assert (bars["Pipeline"].proposed.baseline, bars["Pipeline"].proposed.target) == (170, 187)  # type: ignore[union-attr]
    assert bars["Cert"].proposed is None
    assert proposal.wins == ("Dec 10: Closed Acme",)

    with pytest.raises(IllegalTransition):
        services.reviews.complete(
            actor_id=manager, plan_id=plan_id, reflection="", chosen={}, reason=None, now=NOW
        )

    next_plan = services.reviews.complete(
        actor_id=owner, plan_id=plan_id, reflection="Good quarter", chosen={}, reason=None, now=NOW
    )
    assert next_plan.quarter.label == "Q1 FY2027"
    assert next_plan.state is PlanState.DRAFT
    assert [
        (cv.commitment.title, cv.commitment.baseline, cv.commitment.target)
        for cv in next_plan.commitments
    ] == [
        ("Calls", 28, 31),
        ("Pipeline", 170, 187),
    ]
    assert next_plan.content.manager.one_on_one_cadence_weeks == 1
    closed = services.plans.get_plan(viewer_id=owner, plan_id=plan_id)
    assert closed.state is PlanState.CLOSED
    with db.sessions.begin() as session:
        review = session.scalars(select(m.Review)).one()
        assert review.wins_summary == "Dec 10: Closed Acme"
        assert review.next_plan_id == next_plan.id


def test_lowering_a_bar_needs_a_reason_which_is_kept(services: Services, db: Database) -> None:
    owner, _, plan_id = active_plan_with_checkins(services)
    calls = next(
        bar
        for bar in services.reviews.proposal(actor_id=owner, plan_id=plan_id).bars
        if bar.title == "Calls"
    )
    lower = {calls.commitment_id: ChosenBar(baseline="28", target="29")}
    with pytest.raises(ValidationError) as caught:
        services.reviews.complete(
            actor_id=owner, plan_id=plan_id, reflection="", chosen=lower, reason=None, now=NOW
        )
    assert set(caught.value.errors) == {"reason"}
    assert (
        services.plans.get_plan(viewer_id=owner, plan_id=plan_id).state is PlanState.ACTIVE
    )  # nothing changed
    services.reviews.complete(
        actor_id=owner,
        plan_id=plan_id,
        reflection="",
        chosen=lower,
        reason="Two weeks of parental leave in January",
        now=NOW,
    )
    with db.sessions.begin() as session:
        kept = session.scalars(
            select(m.ReviewBar).where(m.ReviewBar.commitment_id == calls.commitment_id)
        ).one()
        assert (kept.chosen_target, kept.proposed_target) == (29, 31)
        assert kept.lowered_reason == "Two weeks of parental leave in January"


def test_a_chosen_bar_that_is_not_a_number_is_refused_on_its_field(services: Services) -> None:
    owner, _, plan_id = active_plan_with_checkins(services)
    calls = next(
        bar
        for bar in services.reviews.proposal(actor_id=owner, plan_id=plan_id).bars
        if bar.title == "Calls"
    )
    with pytest.raises(ValidationError) as caught:
        services.reviews.complete(
            actor_id=owner,
            plan_id=plan_id,
            reflection="",
            reason=None,
            now=NOW,
            chosen={calls.commitment_id: ChosenBar(baseline="lots", target="31")},
        )
    assert set(caught.value.errors) == {f"commitment#{calls.commitment_id}.baseline"}


def test_raised_bars_reach_a_renamed_commitment_of_next_quarters_plan(
    services: Services, db: Database
) -> None:
    """Commitments keep their identity (``key``) across quarters and renames: the
    bars of a review reach next quarter's commitment that was renamed since it
    was drafted, and are not lost for want of the old title."""
    owner, _, plan_id = active_plan_with_checkins(services)
    services.reviews.complete(
        actor_id=owner,
        plan_id=plan_id,
        reflection="Early",
        chosen={},
        reason=None,
        now=NOW,
        closed_by="early",
    )
    q1 = services.plans.current_plan(owner_id=owner, today=dt.date(2027, 1, 4))
    assert q1 is not None and q1.revision == 0
    calls, pipeline = (cv.commitment for cv in q1.commitments)
    assert (calls.title, calls.baseline) == ("Calls", 28)
    renamed = PlanInput(  # the owner fixes a title in the draft: an edit of theirs
        aspiration="Become the go-to closer",
        commitments=[
            CommitmentInput(
                id=calls.id, title="Discovery calls", kind="activity", unit="calls",
                baseline="28", target="31",
            ),
            CommitmentInput(
                id=pipeline.id, title="Pipeline", kind="result", unit="k$",
                baseline="170", target="187", rollup="latest",
            ),
        ],
    )  # fmt: skip
    services.plans.save(actor_id=owner, plan_id=q1.id, plan_input=renamed, now=NOW)
    services.calendar.undo_early_close(actor_id=owner, plan_id=plan_id, today=dt.date(2026, 12, 29))
    q4 = services.plans.current_plan(owner_id=owner, today=dt.date(2026, 12, 29))
    assert q4 is not None
    services.plans.record_checkin(  # one more week: the average is 31 now
        actor_id=owner,
        plan_id=plan_id,
        day=dt.date(2026, 12, 28),
        values={q4.commitments[0].id: "40", q4.commitments[1].id: "170", q4.commitments[2].id: "1"},
        confidence=4,
        now=NOW,
    )
    services.reviews.complete(
        actor_id=owner, plan_id=plan_id, reflection="Done", chosen={}, reason=None, now=NOW
    )
    closed = services.calendar.closed(plan_id=plan_id)
    assert closed is not None and closed.next_plan_id == q1.id
    assert not closed.carried  # edited by its owner: asked, not overwritten
    taken = services.calendar.apply_bars(actor_id=owner, plan_id=plan_id)
    by_title = {cv.commitment.title: cv.commitment for cv in taken.commitments}
    assert (by_title["Discovery calls"].baseline, by_title["Discovery calls"].target) == (31, 35)
    assert services.calendar.closed(plan_id=plan_id).carried  # type: ignore[union-attr]
