"""Raise the bar: what was achieved this quarter becomes next quarter's floor.

* next baseline = what was achieved, never worse than the old baseline;
* next target = the baseline stretched by the team's stretch (default 10%),
  never worse than the old target (a missed target stays the aim);
* a person may lower a proposed bar only with a written reason, which is kept;
* a team standard (a minimum bar per metric) is proposed up to the team's
  median achievement when that is better; the leader approves; an approved
  standard is the least a next target may be.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.domain.commitments import Direction, median
from bot.domain.errors import ValidationError

DEFAULT_STRETCH = 0.10
MAX_STRETCH = 1.0
REASON_MIN = 10


@dataclass(frozen=True)
class Bar:
    baseline: float
    target: float


@dataclass(frozen=True)
class BarDecision:
    bar: Bar
    lowered: bool
    reason: str | None


def validate_stretch(value: float) -> float:
    if not math.isfinite(value) or not 0 <= value <= MAX_STRETCH:
        raise ValidationError(
            {"stretch": "The stretch must be a percentage from 0 to 100, like 10."}
        )
    return value


def next_bar(
    *,
    baseline: float,
    target: float,
    achieved: float | None,
    direction: Direction,
    stretch: float = DEFAULT_STRETCH,
) -> Bar:
    """Propose next quarter's bar for a numeric commitment."""
    validate_stretch(stretch)
    whole_numbers = all(v == int(v) for v in (baseline, target)) and (
        achieved is None or achieved == int(achieved)
    )
    new_baseline = baseline if achieved is None else direction.better(achieved, baseline)
    # Stretch by a share of the baseline's size, so that negative baselines
    # (a net change, a margin) also move in the better direction.
    step = stretch * abs(new_baseline)
    stretched = new_baseline + step if direction is Direction.UP else new_baseline - step
    if whole_numbers:
        stretched = math.ceil(stretched) if direction is Direction.UP else math.floor(stretched)
    else:
        stretched = round(stretched, 2)
    new_target = direction.better(direction.better(stretched, target), new_baseline)
    return Bar(baseline=new_baseline, target=new_target)


def meet_standard(bar: Bar, *, minimum: float | None, direction: Direction) -> Bar:
    """A proposed bar raised to the team's approved standard for its metric:
    the target is never worse than the team's minimum. The baseline is what
    the person achieved, so it stays."""
    if minimum is None:
        return bar
    return Bar(baseline=bar.baseline, target=direction.better(bar.target, minimum))


def decide_bar(
    *, proposed: Bar, chosen: Bar, direction: Direction, reason: str | None
) -> BarDecision:
    """Accept the bar a person chose. Choosing a lower bar than proposed needs a
    written reason; the target may never be worse than the chosen baseline."""
    errors: dict[str, str] = {}
    if direction.is_worse(chosen.target, chosen.baseline):
        errors["target"] = "The target cannot be worse than the baseline."
    lowered = direction.is_worse(chosen.baseline, proposed.baseline) or direction.is_worse(
        chosen.target, proposed.target
    )
    clean_reason = (reason or "").strip() or None
    if lowered and (clean_reason is None or len(clean_reason) < REASON_MIN):
        errors["reason"] = (
            "This lowers the proposed bar: say why in a sentence "
            f"(at least {REASON_MIN} characters). The reason is kept with the plan."
        )
    if errors:
        raise ValidationError(errors)
    return BarDecision(bar=chosen, lowered=lowered, reason=clean_reason if lowered else None)


def propose_standard(
    *, current: float | None, achieved: Sequence[float], direction: Direction
) -> float | None:
    """A team's minimum bar for a metric, raised to last quarter's median
    achievement when that is better. None when there is nothing to go on."""
    if not achieved:
        return current
    team_median = median(achieved)
    if current is None:
        return team_median
    return direction.better(current, team_median)
