"""A commitment's trend: this quarter's weeks and its quarters side by side.

Plain values, no Slack, no SQL, no plotting: the chart (bot/charts.py), its
alt text and the numbers shown beside it are all drawn from a ``Trend``, so
what the picture shows and what the words say are the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain import commitments as c
from bot.domain.commitments import format_number

# Slack: an upload's alt_txt holds 1,000 characters (an image block's alt_text 2,000).
ALT_TEXT_MAX = 1000
QUARTERS_SHOWN = 8  # two years side by side
WEEKS_SHOWN = 14  # a quarter's weeks, and the one it straddles


@dataclass(frozen=True, kw_only=True)
class WeekPoint:
    week: dt.date  # its Monday
    value: float


@dataclass(frozen=True, kw_only=True)
class QuarterPoint:
    label: str  # "Q3 FY2026"
    achieved: float | None  # in the target's terms (per week for a summed activity)
    baseline: float
    target: float
    current: bool = False  # this quarter, so far


@dataclass(frozen=True, kw_only=True)
class Trend:
    title: str
    unit: str
    kind: c.CommitmentKind
    direction: c.Direction
    target: float  # this quarter's target, in weekly terms for an activity
    weeks: tuple[WeekPoint, ...]  # this quarter, oldest first
    quarters: tuple[QuarterPoint, ...]  # oldest first, this quarter last

    @property
    def per_week(self) -> bool:
        return self.kind is c.CommitmentKind.ACTIVITY


def quarter_point(
    commitment: c.Commitment, weekly: Sequence[float], *, label: str, current: bool = False
) -> QuarterPoint:
    return QuarterPoint(
        label=label,
        achieved=c.achieved_in_target_terms(commitment, weekly),
        baseline=commitment.baseline,
        target=commitment.target,
        current=current,
    )


def _number(value: float | None) -> str:
    return "no check-ins" if value is None else format_number(value)


def weeks_line(trend: Trend) -> str:
    """'Weekly this quarter: Oct 5: 20, Oct 12: 24 (target 25 per week)'."""
    per = " per week" if trend.per_week else ""
    target = f"target {format_number(trend.target)}{per}"
    if not trend.weeks:
        return f"Weekly this quarter: no check-ins yet ({target})"
    shown = trend.weeks[-WEEKS_SHOWN:]
    values = ", ".join(f"{p.week:%b %-d}: {format_number(p.value)}" for p in shown)
    return f"Weekly this quarter: {values} ({target})"


def quarters_line(trend: Trend) -> str:
    """'By quarter, achieved of target: Q2 FY2026 18 of 20; Q3 FY2026 22 of 22'."""
    shown = trend.quarters[-QUARTERS_SHOWN:]
    parts = [
        f"{q.label}{' so far' if q.current else ''} {_number(q.achieved)} of "
        f"{format_number(q.target)}"
        for q in shown
    ]
    return "By quarter, achieved of target: " + "; ".join(parts)


def bar_line(trend: Trend) -> str:
    """How the bar moved: 'The bar rose from 20 to 27.5 over 3 quarters'."""
    shown = trend.quarters[-QUARTERS_SHOWN:]
    if len(shown) < 2:
        return "First quarter of this commitment: no earlier bar."
    first, last = shown[0].target, shown[-1].target
    if first == last:
        movement = f"held at {format_number(last)}"
    else:
        raised = (last > first) == (trend.direction is c.Direction.UP)
        movement = (
            f"{'rose' if raised else 'eased'} from {format_number(first)} to {format_number(last)}"
        )
    return f"The bar {movement} over {len(shown)} quarters."


def summary(trend: Trend) -> str:
    """The numbers the chart shows, as sentences: its alt text, and the text beside it."""
    unit = f" ({trend.unit})" if trend.unit else ""
    text = f"{trend.title}{unit}. {weeks_line(trend)}. {quarters_line(trend)}. {bar_line(trend)}"
    return text if len(text) <= ALT_TEXT_MAX else text[: ALT_TEXT_MAX - 1] + "\u2026"
