"""When the weekly rhythm is due, from "now" as a value.

Missed work is caught up the same local day and never later: a prompt the
process slept through on Monday is posted on Monday evening, but not on
Tuesday, when it would be stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain.quarters import at_local_time, week_start

REMINDER_TIME = dt.time(15, 0)


def prompt_at(monday: dt.date, *, weekday: int, wall_clock: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The instant of a team's check-in prompt in the week starting ``monday``."""
    return at_local_time(monday + dt.timedelta(days=weekday), wall_clock, tz=tz)


def due_prompt_week(
    now: dt.datetime, *, weekday: int, wall_clock: dt.time, tz: ZoneInfo
) -> dt.date | None:
    """The Monday of the week whose prompt is due at ``now``, or None when
    nothing is due (too early, or the prompt's local day is over)."""
    local_today = now.astimezone(tz).date()
    monday = week_start(local_today)
    due = prompt_at(monday, weekday=weekday, wall_clock=wall_clock, tz=tz)
    if now >= due and due.astimezone(tz).date() == local_today:
        return monday
    return None


def reminder_at(prompt_day: dt.date, tz: ZoneInfo) -> dt.datetime:
    """One reminder, at 15:00 in the member's own time zone, the day after the prompt."""
    return at_local_time(prompt_day + dt.timedelta(days=1), REMINDER_TIME, tz=tz)


def reminder_due(now: dt.datetime, *, prompt_day: dt.date, tz: ZoneInfo) -> bool:
    due = reminder_at(prompt_day, tz)
    return now >= due and now.astimezone(tz).date() == due.astimezone(tz).date()


@dataclass(frozen=True)
class OneOnOnes:
    """How the manager's 1:1 commitment is going, from the weekly check-ins."""

    happened: int
    expected: int

    @property
    def label(self) -> str:
        return f"{self.happened} of {self.expected} 1:1s happened"


def one_on_ones(*, cadence_weeks: int | None, answers: Sequence[bool | None]) -> OneOnOnes | None:
    """``answers`` holds each checked-in week's "did the 1:1 happen?" (None:
    not answered). One 1:1 is expected every ``cadence_weeks`` weeks of
    check-ins, rounding up, so the first week already expects one."""
    if not cadence_weeks:
        return None
    weeks = len(answers)
    return OneOnOnes(
        happened=sum(1 for answer in answers if answer),
        expected=-(-weeks // cadence_weeks),
    )
