from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.domain.commitments import Direction
from bot.domain.errors import ValidationError
from bot.domain.raise_bar import Bar, decide_bar, meet_standard, next_bar, propose_standard

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
directions = st.sampled_from(list(Direction))
stretches = st.floats(min_value=0, max_value=1)


def test_achieved_becomes_the_baseline_and_the_target_is_stretched() -> None:
    bar = next_bar(baseline=20, target=25, achieved=30, direction=Direction.UP)
    assert bar == Bar(baseline=30, target=33)


def test_whole_numbers_round_in_the_better_direction() -> None:
    assert next_bar(baseline=20, target=25, achieved=26, direction=Direction.UP).target == 29
    assert next_bar(baseline=10, target=8, achieved=7, direction=Direction.DOWN).target == 6


def test_a_miss_keeps_the_old_baseline_and_the_old_target() -> None:
    bar = next_bar(baseline=20, target=25, achieved=15, direction=Direction.UP)
    assert bar == Bar(baseline=20, target=25)


def test_lower_is_better() -> None:
    bar = next_bar(baseline=5.0, target=4.0, achieved=3.5, direction=Direction.DOWN)
    assert bar.baseline == 3.5
    assert bar.target == pytest.approx(3.15)


def test_no_data_keeps_the_bar() -> None:
    assert next_bar(baseline=3, target=5, achieved=None, direction=Direction.UP) == Bar(3, 5)


def test_a_zero_baseline_still_aims_at_the_old_target() -> None:
    assert next_bar(baseline=0, target=4, achieved=0, direction=Direction.UP) == Bar(0, 4)


def test_the_team_stretch_is_used() -> None:
    assert next_bar(
        baseline=100, target=110, achieved=100, direction=Direction.UP, stretch=0.25
    ) == Bar(100, 125)
    with pytest.raises(ValidationError):
        next_bar(baseline=1, target=2, achieved=1, direction=Direction.UP, stretch=1.5)


def test_lowering_a_bar_needs_a_reason_which_is_kept() -> None:
    proposed = Bar(30, 33)
    with pytest.raises(ValidationError) as caught:
        decide_bar(proposed=proposed, chosen=Bar(30, 31), direction=Direction.UP, reason="")
    assert set(caught.value.errors) == {"reason"}
    decision = decide_bar(
        proposed=proposed,
        chosen=Bar(30, 31),
        direction=Direction.UP,
        reason="Parental leave for six weeks this quarter",
    )
    assert decision.lowered
    assert decision.reason == "Parental leave for six weeks this quarter"
    raised = decide_bar(proposed=proposed, chosen=Bar(31, 40), direction=Direction.UP, reason="x")
    assert not raised.lowered and raised.reason is None


def test_a_chosen_target_worse_than_its_baseline_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        decide_bar(
            proposed=Bar(3, 2), chosen=Bar(3, 4), direction=Direction.DOWN, reason="because reasons"
        )
    assert "target" in caught.value.errors


def test_team_standards_move_up_to_the_median() -> None:
    assert propose_standard(current=10, achieved=[8, 12, 14], direction=Direction.UP) == 12
    assert propose_standard(current=13, achieved=[8, 12, 14], direction=Direction.UP) == 13
    assert propose_standard(current=None, achieved=[8, 12], direction=Direction.UP) == 10
    assert propose_standard(current=5, achieved=[3, 4, 9], direction=Direction.DOWN) == 4
    assert propose_standard(current=5, achieved=[], direction=Direction.UP) == 5


@given(values, values, st.none() | values, directions, stretches)
def test_a_bar_never_goes_down_on_its_own(
    baseline: float, target: float, achieved: float | None, direction: Direction, stretch: float
) -> None:
    assume(not direction.is_worse(target, baseline))
    bar = next_bar(
        baseline=baseline, target=target, achieved=achieved, direction=direction, stretch=stretch
    )
    assert not direction.is_worse(bar.baseline, baseline)
    assert not direction.is_worse(bar.target, target)
    assert not direction.is_worse(bar.target, bar.baseline)
    if achieved is not None:
        assert not direction.is_worse(bar.baseline, achieved)


@given(values, values, values, values, directions)
def test_a_lower_bar_without_a_reason_is_always_refused(
    pb: float, pt: float, cb: float, ct: float, direction: Direction
) -> None:
    lowered = direction.is_worse(cb, pb) or direction.is_worse(ct, pt)
    try:
        decision = decide_bar(
            proposed=Bar(pb, pt), chosen=Bar(cb, ct), direction=direction, reason=None
        )
    except ValidationError as error:
        assert lowered or "target" in error.errors
    else:
        assert not decision.lowered and not lowered


@given(st.none() | values, st.lists(values, max_size=15), directions)
def test_a_standard_never_goes_down(
    current: float | None, achieved: list[float], direction: Direction
) -> None:
    proposed = propose_standard(current=current, achieved=achieved, direction=direction)
    if current is not None:
        assert proposed is not None
        assert not direction.is_worse(proposed, current)


def test_an_approved_standard_raises_a_lower_target_in_the_metrics_direction() -> None:
    up = Bar(baseline=20, target=22)
    assert meet_standard(up, minimum=30, direction=Direction.UP) == Bar(baseline=20, target=30)
    assert meet_standard(up, minimum=15, direction=Direction.UP) == up
    assert meet_standard(up, minimum=None, direction=Direction.UP) == up
    # Lower is better (days to close): the standard is a ceiling on the target.
    down = Bar(baseline=30, target=27)
    assert meet_standard(down, minimum=21, direction=Direction.DOWN) == Bar(baseline=30, target=21)
    assert meet_standard(down, minimum=28, direction=Direction.DOWN) == down
