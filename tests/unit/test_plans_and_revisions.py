from __future__ import annotations

from datetime import date

import pytest

from bot.domain.content import CommitmentInput, PlanInput, snapshot, validate_plan
from bot.domain.errors import IllegalTransition, ValidationError
from bot.domain.plans import PlanState, Visibility, can_move, move
from bot.domain.quarters import Quarter
from bot.domain.revisions import ACKNOWLEDGEMENT_MEANING, ack_status, diff

CALLS = CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="20", target="25")


def test_the_life_of_a_plan() -> None:
    state = PlanState.DRAFT
    for target in (
        PlanState.PROPOSED,
        PlanState.ACTIVE,
        PlanState.PROPOSED,
        PlanState.ACTIVE,
        PlanState.IN_REVIEW,
        PlanState.CLOSED,
    ):
        state = move(state, target)
    assert state is PlanState.CLOSED


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (PlanState.DRAFT, PlanState.ACTIVE, "acknowledge"),
        (PlanState.DRAFT, PlanState.CLOSED, "only a plan in review can be closed"),
        (PlanState.PROPOSED, PlanState.IN_REVIEW, "only an active plan can be reviewed"),
        (PlanState.CLOSED, PlanState.ACTIVE, "This plan is closed"),
    ],
)
def test_illegal_moves_say_why(current: PlanState, target: PlanState, message: str) -> None:
    with pytest.raises(IllegalTransition, match=message):
        move(current, target)


def test_every_state_has_a_way_forward_except_closed() -> None:
    for state in PlanState:
        onward = [t for t in PlanState if can_move(state, t)]
        assert bool(onward) == (state is not PlanState.CLOSED)


def test_a_plan_is_validated_field_by_field() -> None:
    plan = PlanInput(
        aspiration="",
        visibility="everyone",
        commitments=[
            CALLS,
            CommitmentInput(title="Demos", kind="result", unit="demos", baseline="5", target="2"),
        ],
        one_on_one_cadence="fortnightly",
    )
    with pytest.raises(ValidationError) as caught:
        validate_plan(plan)
    assert set(caught.value.errors) == {
        "aspiration",
        "visibility",
        "commitments[1].target",
        "one_on_one_cadence",
    }


def test_duplicate_commitment_titles_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_plan(PlanInput(aspiration="Grow", commitments=[CALLS, CALLS]))
    assert set(caught.value.errors) == {"commitments[1].title"}


def test_milestones_are_checked_against_the_quarter() -> None:
    milestone = CommitmentInput(title="Cert", kind="milestone", due_date=date(2027, 3, 1))
    with pytest.raises(ValidationError) as caught:
        validate_plan(
            PlanInput(aspiration="Grow", commitments=[milestone]), quarter=Quarter(2026, 4)
        )
    assert set(caught.value.errors) == {"commitments[0].due_date"}


def test_snapshot_and_readable_diff() -> None:
    before = validate_plan(
        PlanInput(aspiration="Grow", commitments=[CALLS], one_on_one_cadence="2")
    )
    after = validate_plan(
        PlanInput(
            aspiration="Grow into a team lead",
            visibility="public",
            commitments=[
                CommitmentInput(
                    title="Calls", kind="activity", unit="calls", baseline="20", target="30"
                )
            ],
        )
    )
    lines = [change.line for change in diff(snapshot(before), snapshot(after))]
    assert lines == [
        "Aspiration: \u201cGrow\u201d \u2192 \u201cGrow into a team lead\u201d",
        "Visibility: \u201cprivate\u201d \u2192 \u201cpublic\u201d",
        "Commitment \u201cCalls\u201d: \u201cactivity: 20 \u2192 25 calls per week (higher is better, "
        "average of weeks)\u201d \u2192 \u201cactivity: 20 \u2192 30 calls per week (higher is better, "
        "average of weeks)\u201d",
        "1:1 cadence: removed (was \u201cevery 2 week(s)\u201d)",
    ]
    assert Visibility.PUBLIC.value in snapshot(after)["Visibility"]


def test_acknowledgements_count_only_for_the_current_revision() -> None:
    status = ack_status(revision=2, owner_id=1, manager_id=2, acknowledgements=[(1, 2), (2, 1)])
    assert not status.complete and status.waiting_for == {2}
    status = ack_status(revision=2, owner_id=1, manager_id=2, acknowledgements=[(1, 2), (2, 2)])
    assert status.complete
    # The head of the company says they have no manager: their own acknowledgement is enough.
    assert ack_status(
        revision=1, owner_id=1, manager_id=None, acknowledgements=[(1, 1)], has_no_manager=True
    ).complete
    # Anyone else without a manager (theirs left) waits for one.
    waiting = ack_status(revision=1, owner_id=1, manager_id=None, acknowledgements=[(1, 1)])
    assert not waiting.complete and waiting.needs_manager and not waiting.waiting_for


def test_a_plan_closes_as_left_from_any_open_state_and_comes_back_as_a_draft() -> None:
    for state in (PlanState.DRAFT, PlanState.PROPOSED, PlanState.ACTIVE, PlanState.IN_REVIEW):
        assert move(state, PlanState.LEFT) is PlanState.LEFT
    with pytest.raises(IllegalTransition, match="This plan is closed"):
        move(PlanState.CLOSED, PlanState.LEFT)
    with pytest.raises(IllegalTransition, match="closed when its owner left"):
        move(PlanState.LEFT, PlanState.ACTIVE)
    assert move(PlanState.LEFT, PlanState.DRAFT) is PlanState.DRAFT


def test_acknowledgement_is_receipt_not_confession() -> None:
    assert "not an admission" in ACKNOWLEDGEMENT_MEANING
