from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.commitments import (
    Commitment,
    CommitmentKind,
    Direction,
    Rollup,
    commitment_progress,
    format_number,
    parse_number,
    progress,
    roll_up,
    validate_commitment,
)
from bot.domain.errors import ValidationError

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


def refused(**kwargs: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        validate_commitment(**kwargs)  # type: ignore[arg-type]
    return caught.value.errors


def test_a_numeric_commitment() -> None:
    commitment = validate_commitment(
        title=" Discovery calls ", kind="activity", unit="calls", baseline="12", target="1,500"
    )
    assert commitment == Commitment(
        title="Discovery calls",
        kind=CommitmentKind.ACTIVITY,
        unit="calls",
        baseline=12.0,
        target=1500.0,
        direction=Direction.UP,
        rollup=Rollup.AVERAGE,
    )


def test_a_commitment_without_a_measure_is_refused_on_each_field() -> None:
    errors = refused(title="Be better at demos", kind="result")
    assert set(errors) == {"unit", "baseline", "target"}
    assert "number" in errors["baseline"]


def test_a_milestone_needs_a_due_date_in_the_quarter() -> None:
    assert "due_date" in refused(title="Certification", kind="milestone")
    errors = refused(
        title="Certification",
        kind="milestone",
        due_date=date(2027, 2, 1),
        quarter_start=date(2026, 10, 1),
        quarter_end=date(2027, 1, 1),
    )
    assert errors == {"due_date": "The due date is after this quarter ends."}
    milestone = validate_commitment(
        title="Certification", kind="milestone", due_date=date(2026, 12, 1)
    )
    assert (milestone.baseline, milestone.target, milestone.rollup) == (0, 1, Rollup.LATEST)


def test_a_target_on_the_wrong_side_of_its_baseline_is_refused() -> None:
    errors = refused(title="Calls", kind="activity", unit="calls", baseline="20", target="10")
    assert errors == {
        "target": "The target must be at or above the baseline (20), because higher is better."
    }
    errors = refused(
        title="Churn", kind="result", unit="%", baseline="5", target="7", direction="down"
    )
    assert "at or below" in errors["target"]
    # Lower is better: a target below the baseline is right.
    assert (
        validate_commitment(
            title="Churn", kind="result", unit="%", baseline="5", target="4", direction="down"
        ).target
        == 4
    )


@pytest.mark.parametrize("bad", ["nan", "inf", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused(bad: str) -> None:
    errors = refused(title="Calls", kind="activity", unit="calls", baseline=bad, target="10")
    assert errors["baseline"] == "The baseline must be a finite number."


def test_words_instead_of_numbers_are_refused_with_what_was_typed() -> None:
    errors = refused(title="Calls", kind="activity", unit="calls", baseline="ten", target="20")
    assert errors["baseline"] == "The baseline must be a number, like 12 or 3.5 (got 'ten')."


def test_unknown_kind_direction_and_rollup() -> None:
    errors = refused(
        title="x",
        kind="vibes",
        unit="u",
        baseline="1",
        target="2",
        direction="sideways",
        rollup="max",
    )
    assert set(errors) == {"kind", "direction", "rollup"}


def test_parse_number_accepts_what_people_type() -> None:
    assert parse_number(" 15% ", field="f", label="x") == 15
    assert parse_number("1,000.5", field="f", label="x") == 1000.5
    with pytest.raises(ValidationError):  # never a separator silently dropped
        parse_number("1_000.5", field="f", label="x")
    assert parse_number(3, field="f", label="x") == 3.0


def test_roll_ups() -> None:
    assert roll_up([], Rollup.SUM) is None
    assert roll_up([1, 2, 6], Rollup.SUM) == 9
    assert roll_up([1, 2, 6], Rollup.AVERAGE) == 3
    assert roll_up([1, 2, 6], Rollup.LATEST) == 6


def test_progress_in_both_directions() -> None:
    assert progress(baseline=10, target=20, actual=15) == 0.5
    assert progress(baseline=10, target=20, actual=25) == 1.5
    assert progress(baseline=10, target=20, actual=5) == 0.0
    assert progress(baseline=5, target=3, actual=4) == 0.5  # lower is better
    assert progress(baseline=5, target=5, actual=5) == 1.0
    assert progress(baseline=5, target=5, actual=4) == 0.0
    assert progress(baseline=5, target=10, actual=None) == 0.0


def test_summed_activity_is_measured_against_the_weekly_target_times_weeks() -> None:
    calls = validate_commitment(
        title="Calls", kind="activity", unit="calls", baseline="0", target="10", rollup="sum"
    )
    assert commitment_progress(calls, [10, 10, 5]) == pytest.approx(25 / 30)


def test_milestone_progress_is_done_or_not() -> None:
    milestone = validate_commitment(title="Cert", kind="milestone", due_date=date(2026, 12, 1))
    assert commitment_progress(milestone, []) == 0
    assert commitment_progress(milestone, [0, 0, 1]) == 1


def test_format_number() -> None:
    assert format_number(12.0) == "12"
    assert format_number(1234567) == "1,234,567"
    assert format_number(12.5) == "12.5"
    assert format_number(0.125) == "0.12" or format_number(0.125) == "0.13"


@given(st.lists(finite, min_size=1, max_size=20))
def test_roll_ups_stay_within_the_values(values: list[float]) -> None:
    low, high = min(values), max(values)
    average = roll_up(values, Rollup.AVERAGE)
    assert average is not None
    assert low - 1e-6 * abs(low) - 1e-9 <= average <= high + 1e-6 * abs(high) + 1e-9
    assert roll_up(values, Rollup.LATEST) == values[-1]
    total = roll_up(values, Rollup.SUM)
    assert total is not None and math.isclose(total, math.fsum(values))


@given(finite, finite, finite)
def test_progress_is_never_negative_and_reaches_one_at_target(
    baseline: float, target: float, actual: float
) -> None:
    assert progress(baseline=baseline, target=target, actual=actual) >= 0
    assert progress(baseline=baseline, target=target, actual=target) == pytest.approx(1.0)


# -- numbers as typed (issue 14, finding 5) -------------------------------------

from decimal import Decimal  # noqa: E402

from hypothesis import example, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from bot.domain.commitments import typed_number  # noqa: E402


@pytest.mark.parametrize("forged", [True, False, [1], {"a": 1}])
def test_a_boolean_or_a_structure_is_not_a_number(forged: object) -> None:
    with pytest.raises(ValidationError, match="must be a number"):
        parse_number(forged, field="target", label="target")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.125, "0.125"), (12.345, "12.345"), (0.004, "0.004"), (1e34, "1" + "0" * 34), (20.0, "20")],
)
def test_a_stored_number_is_shown_as_it_was_typed(value: float, shown: str) -> None:
    assert typed_number(value) == shown
    assert parse_number(typed_number(value, grouped=True), field="f", label="f") == value


@given(
    st.decimals(allow_nan=False, allow_infinity=False, places=None).filter(
        lambda d: len(d.normalize().as_tuple().digits) <= 15 and abs(d.adjusted()) < 30
    )
)
@example(Decimal("12.345"))
@example(Decimal("-0.004"))
def test_any_number_of_fifteen_digits_comes_back_as_typed(typed: Decimal) -> None:
    text = f"{typed:f}"
    value = parse_number(text, field="f", label="f")
    assert Decimal(typed_number(value)) == typed
    assert parse_number(typed_number(value), field="f", label="f") == value
