"""Commitments and their objective measures, progress and quarter actuals.

A commitment is never a judgement call: it is either a number (unit,
baseline, target, direction) or a dated yes/no milestone.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from bot.domain.errors import ValidationError
from bot.domain.numbers import read_number, show
from bot.domain.text import TITLE_MAX, UNIT_MAX, clean_text


class CommitmentKind(StrEnum):
    ACTIVITY = "activity"  # a weekly count the person controls now (leading)
    RESULT = "result"  # a quarterly outcome (lagging)
    MILESTONE = "milestone"  # done or not, by a date

    @property
    def label(self) -> str:
        return {
            CommitmentKind.ACTIVITY: "Activity (weekly)",
            CommitmentKind.RESULT: "Result (quarterly)",
            CommitmentKind.MILESTONE: "Milestone (dated yes/no)",
        }[self]


class Direction(StrEnum):
    UP = "up"  # higher is better
    DOWN = "down"  # lower is better

    def better(self, a: float, b: float) -> float:
        """The better of two values in this direction."""
        return max(a, b) if self is Direction.UP else min(a, b)

    def is_worse(self, value: float, than: float) -> bool:
        return value < than if self is Direction.UP else value > than


class Rollup(StrEnum):
    SUM = "sum"
    AVERAGE = "average"
    LATEST = "latest"


@dataclass(frozen=True, kw_only=True)
class Commitment:
    """A validated commitment. Build one with :func:`validate_commitment`."""

    title: str
    kind: CommitmentKind
    unit: str
    baseline: float
    target: float
    direction: Direction
    rollup: Rollup
    due_date: date | None = None
    # The stored commitment this one is (its identity across revisions); None
    # for one not stored yet. A rename keeps it, and with it the history.
    id: int | None = None

    @property
    def is_milestone(self) -> bool:
        return self.kind is CommitmentKind.MILESTONE


def parse_number(
    text: str | float | int | None, *, field: str, label: str, locale: str | None = None
) -> float:
    """Read a number a person typed ("1,200", " 12.5 ", "15%") in their Slack
    ``locale`` (bot/domain/numbers.py), or say what is wrong. Never guesses:
    "1,5" in en-US could be 1.5 or 15 and is asked about, "true" is not a
    number, and more digits than a float keeps exactly are refused."""
    if text is None or (isinstance(text, str) and not text.strip()):
        raise ValidationError({field: f"Enter a number for the {label}."})
    if isinstance(text, bool) or not isinstance(text, str | int | float):
        raise ValidationError({field: f"The {label} must be a number, like 12 or 3.5."})
    if isinstance(text, str):
        return float(read_number(text, locale=locale, field=field, label=label))
    if not math.isfinite(text):
        raise ValidationError({field: f"The {label} must be a finite number."})
    return float(text)


Choice = TypeVar("Choice", bound=StrEnum)
Fallback = TypeVar("Fallback")


def validate_commitment(
    *,
    title: str | None,
    kind: str | CommitmentKind | None,
    unit: str | None = None,
    baseline: str | float | None = None,
    target: str | float | None = None,
    direction: str | Direction | None = Direction.UP,
    rollup: str | Rollup | None = None,
    due_date: date | None = None,
    quarter_start: date | None = None,
    quarter_end: date | None = None,
    locale: str | None = None,
) -> Commitment:
    """Check a commitment as a person entered it. All problems are reported at
    once, each on its own field, so a form can show them together."""
    errors: dict[str, str] = {}
    clean_title = _text(
        title,
        field="title",
        limit=TITLE_MAX,
        errors=errors,
        missing=("Give the commitment a title, like 'Discovery calls'."),
    )
    the_kind, the_direction = _kind_and_direction(kind, direction, errors=errors)
    if the_kind is CommitmentKind.MILESTONE:
        _check_due_date(due_date, start=quarter_start, end=quarter_end, errors=errors)
        if errors:
            raise ValidationError(errors)
        return _milestone(clean_title, due_date)
    clean_unit = _text(
        unit,
        field="unit",
        limit=UNIT_MAX,
        errors=errors,
        missing=("Say what is counted, like 'calls' or '% win rate'."),
    )
    numbers = _bar(baseline, target, direction=the_direction, errors=errors, locale=locale)
    the_rollup = _choice(
        rollup or _default_rollup(the_kind),
        Rollup,
        errors=errors,
        field="rollup",
        default=Rollup.SUM,
        refusal="Choose how weekly values add up: sum, average or latest.",
    )
    if errors or the_kind is None:
        raise ValidationError(errors)
    return Commitment(
        title=clean_title,
        kind=the_kind,
        unit=clean_unit,
        baseline=numbers["baseline"],
        target=numbers["target"],
        direction=the_direction,
        rollup=the_rollup,
        due_date=None,
    )


def _kind_and_direction(
    kind: str | CommitmentKind | None,
    direction: str | Direction | None,
    *,
    errors: dict[str, str],
) -> tuple[CommitmentKind | None, Direction]:
    the_kind = _choice(
        kind,
        CommitmentKind,
        errors=errors,
        field="kind",
        default=None,
        refusal=("Choose a kind: activity (weekly), result (quarterly) or milestone."),
    )
    the_direction = _choice(
        direction or Direction.UP,
        Direction,
        errors=errors,
        field="direction",
        default=Direction.UP,
        refusal="Choose whether higher or lower is better.",
    )
    return the_kind, the_direction


def _choice(
    value: str | Choice | None,
    choices: type[Choice],
    *,
    errors: dict[str, str],
    field: str,
    default: Fallback,
    refusal: str,
) -> Choice | Fallback:
    """One of ``choices``; else ``default``, with ``refusal`` on ``field``."""
    try:
        if value:
            return choices(value)
    except ValueError:
        pass
    errors[field] = refusal
    return default


def _text(
    value: str | None, *, field: str, limit: int, errors: dict[str, str], missing: str
) -> str:
    clean = clean_text(value, field=field, errors=errors, limit=limit, what=f"the {field}")
    if not clean and field not in errors:
        errors[field] = missing
    return clean


def _check_due_date(
    due_date: date | None, *, start: date | None, end: date | None, errors: dict[str, str]
) -> None:
    if due_date is None:
        errors["due_date"] = "A milestone needs a due date: it is measured as done by then."
    elif start is not None and due_date < start:
        errors["due_date"] = "The due date is before this quarter starts."
    elif end is not None and due_date >= end:
        errors["due_date"] = "The due date is after this quarter ends."


def _milestone(title: str, due_date: date | None) -> Commitment:
    """A dated yes/no: done (1) or not yet (0), by its due date."""
    return Commitment(
        title=title,
        kind=CommitmentKind.MILESTONE,
        unit="done",
        baseline=0.0,
        target=1.0,
        direction=Direction.UP,
        rollup=Rollup.LATEST,
        due_date=due_date,
    )


def _bar(
    baseline: str | float | None,
    target: str | float | None,
    *,
    direction: Direction,
    errors: dict[str, str],
    locale: str | None = None,
) -> dict[str, float]:
    """Baseline and target as numbers, the target no worse than the baseline."""
    numbers: dict[str, float] = {}
    for field, raw in (("baseline", baseline), ("target", target)):
        try:
            numbers[field] = parse_number(raw, field=field, label=field, locale=locale)
        except ValidationError as error:
            errors.update(error.errors)
    if (
        "baseline" in numbers
        and "target" in numbers
        and "direction" not in errors
        and direction.is_worse(numbers["target"], numbers["baseline"])
    ):
        side = "at or above" if direction is Direction.UP else "at or below"
        errors["target"] = (
            f"The target must be {side} the baseline "
            f"({typed_number(numbers['baseline'], grouped=True, locale=locale)}), "
            f"because {'higher' if direction is Direction.UP else 'lower'} is better."
        )
    return numbers


def _default_rollup(kind: CommitmentKind | None) -> Rollup:
    # Weekly activity is a rate (calls per week); a result is a running total.
    return Rollup.AVERAGE if kind is CommitmentKind.ACTIVITY else Rollup.LATEST


def roll_up(values: Sequence[float], rollup: Rollup) -> float | None:
    """Combine the weekly values of a quarter, oldest first; None with no data."""
    if not values:
        return None
    if rollup is Rollup.SUM:
        return math.fsum(values)
    if rollup is Rollup.AVERAGE:
        return math.fsum(values) / len(values)
    return values[-1]


def quarter_target(commitment: Commitment, weeks: int) -> float:
    """The quarter's target. An activity's target is per week, so summing its
    weekly values is compared with the weekly target times the weeks counted."""
    if commitment.kind is CommitmentKind.ACTIVITY and commitment.rollup is Rollup.SUM:
        return commitment.target * max(weeks, 1)
    return commitment.target


def progress(*, baseline: float, target: float, actual: float | None) -> float:
    """How far from baseline to target ``actual`` has come: 0 at the baseline,
    1 at the target, above 1 past it, never negative. The same formula serves
    both directions because baseline and target carry the direction's sign."""
    if actual is None:
        return 0.0
    span = target - baseline
    if span == 0:
        # A held bar (target == baseline): met or not.
        return 1.0 if actual == target else 0.0
    return max(0.0, (actual - baseline) / span)


def achieved_in_target_terms(
    commitment: Commitment, weekly_values: Sequence[float]
) -> float | None:
    """What a quarter achieved, in the terms of the commitment's target: a
    summed weekly activity ("25 calls per week") is judged per week."""
    achieved = roll_up(weekly_values, commitment.rollup)
    if (
        achieved is not None
        and commitment.kind is CommitmentKind.ACTIVITY
        and commitment.rollup is Rollup.SUM
        and weekly_values
    ):
        return achieved / len(weekly_values)
    return achieved


def commitment_progress(commitment: Commitment, weekly_values: Sequence[float]) -> float:
    """Progress of a commitment over a quarter from its weekly values."""
    actual = roll_up(weekly_values, commitment.rollup)
    if commitment.is_milestone:
        return 1.0 if actual is not None and actual >= 1 else 0.0
    baseline = commitment.baseline
    target = quarter_target(commitment, len(weekly_values))
    if commitment.kind is CommitmentKind.ACTIVITY and commitment.rollup is Rollup.SUM:
        baseline = commitment.baseline * max(len(weekly_values), 1)
    return progress(baseline=baseline, target=target, actual=actual)


def weeks_reported(rollup: Rollup, *, reported: int, so_far: int | None) -> str:
    """How a roll-up was made, and of how many weeks: "sum of 9 of 11 weeks",
    or, when the weeks so far are not known, "average of 3 weeks reported"."""
    if so_far is None or so_far < reported:
        return f"{rollup.value} of {reported} week{'s' * (reported != 1)} reported"
    return f"{rollup.value} of {reported} of {so_far} week{'s' * (so_far != 1)}"


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def typed_number(value: float, *, grouped: bool = False, locale: str | None = None) -> str:
    """A stored number as a person of ``locale`` would type it, so that a form
    shown and saved untouched keeps it: 0.125, 12.345, 0.004, all of a large
    integer's digits; ``grouped`` puts in thousands separators, which
    parse_number reads too."""
    return show(value, locale=locale, grouped=grouped)


def format_number(value: float) -> str:
    """12.0 -> '12', 12.5 -> '12.5', 1234567 -> '1,234,567'."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
