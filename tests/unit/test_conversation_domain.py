"""The conversation's plain rules: the 1:1 count from both sides, a kept suggestion."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.content import CommitmentInput, PlanInput, input_as_json, input_from_json
from bot.domain.rhythm import one_on_ones, week_one_on_one


@pytest.mark.parametrize(
    ("owner", "manager", "held"),
    [
        (True, None, True),  # one side's answer stands when the other gave none
        (None, True, True),
        (None, None, None),
        (True, True, True),
        (False, False, False),
        (True, False, False),  # a disagreement is not a 1:1 held
        (False, True, False),
    ],
)
def test_a_weeks_one_on_one_from_both_answers(
    owner: bool | None, manager: bool | None, held: bool | None
) -> None:
    assert week_one_on_one(owner, manager) == held


def test_the_count_says_how_many_weeks_were_answered_differently() -> None:
    counted = one_on_ones(
        cadence_weeks=1, answers=[True, True, None, False], manager_answers=[True, False, True]
    )
    assert counted is not None
    assert (counted.happened, counted.expected, counted.differ) == (2, 4, 1)
    assert counted.label == "2 of 4 1:1s happened (1 week answered differently)"
    owner_only = one_on_ones(cadence_weeks=2, answers=[True, None, True])
    assert owner_only is not None and owner_only.label == "2 of 2 1:1s happened"


def test_a_suggested_plan_is_kept_and_read_back_exactly() -> None:
    typed = PlanInput(
        aspiration="Grow <!channel>",
        visibility="team",
        commitments=[
            CommitmentInput(title="Calls", kind="activity", unit="c", baseline="1", target="2"),
            CommitmentInput(title="Cert", kind="milestone", due_date=dt.date(2026, 12, 11)),
        ],
    )
    assert input_from_json(input_as_json(typed)) == typed


@pytest.mark.parametrize(
    "kept", [None, [], {"aspiration": 3}, {"commitments": "x"}, {"commitments": [{"title": 1}]}]
)
def test_a_kept_suggestion_that_is_not_one_is_refused(kept: object) -> None:
    with pytest.raises(ValueError, match="not"):
        input_from_json(kept)
