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

from bot.domain.quarters import Quarter, at_local_time, local_date, week_start

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


WORKING_WEEKDAYS = frozenset(range(5))  # Monday to Friday


def next_working_day(day: dt.date, working: frozenset[int] = WORKING_WEEKDAYS) -> dt.date:
    """The first working day after ``day``: a Friday's is the Monday after."""
    following = day + dt.timedelta(days=1)
    for _ in range(7):
        if following.weekday() in working:
            return following
        following += dt.timedelta(days=1)
    return day + dt.timedelta(days=1)  # no working day at all: the day after


def reminder_at(prompt: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """One reminder, at 15:00 in the member's own time zone, on their next
    working day after the prompt (the day it reached them, in their zone):
    a Friday prompt is reminded on Monday, not on Saturday."""
    return at_local_time(next_working_day(local_date(prompt, tz)), REMINDER_TIME, tz=tz)


def reminder_due(now: dt.datetime, *, prompt: dt.datetime, tz: ZoneInfo) -> bool:
    """From 15:00 on the reminder's day to the end of it, in the member's zone."""
    due = reminder_at(prompt, tz)
    return now >= due and now.astimezone(tz).date() == due.astimezone(tz).date()


REVIEW_TIME = dt.time(9, 0)  # review requests and their reminder, in the member's zone
DEFAULT_REVIEW_WINDOW_DAYS = 5


def working_days_back(last: dt.date, count: int) -> dt.date:
    """The ``count``-th working day counting back from ``last`` (itself the
    first when it is one): with 5, the Monday of a Friday's week."""
    day = last + dt.timedelta(days=1)
    left = max(1, count)
    while left:
        day -= dt.timedelta(days=1)
        if day.weekday() in WORKING_WEEKDAYS:
            left -= 1
    return day


@dataclass(frozen=True, kw_only=True)
class ReviewWindow:
    """When a quarter's review is asked for, whatever the team's check-in day."""

    opens_on: dt.date  # the first working day of the window
    reminder_on: dt.date | None  # its last working day, if later: one reminder then
    last_day: dt.date  # the quarter's last day; after it, nothing is asked

    def opens_at(self, tz: ZoneInfo) -> dt.datetime:
        return at_local_time(self.opens_on, REVIEW_TIME, tz=tz)

    def is_open(self, now: dt.datetime, tz: ZoneInfo) -> bool:
        return now >= self.opens_at(tz) and now.astimezone(tz).date() <= self.last_day

    def reminder_due(self, now: dt.datetime, tz: ZoneInfo) -> bool:
        if self.reminder_on is None:
            return False
        due = at_local_time(self.reminder_on, REVIEW_TIME, tz=tz)
        return now >= due and now.astimezone(tz).date() <= self.last_day


def review_window(
    quarter: Quarter, *, working_days: int = DEFAULT_REVIEW_WINDOW_DAYS
) -> ReviewWindow:
    """The review window opens ``working_days`` working days before the
    quarter's last day (counting it) and stays open to its end; a request
    missed while the clock was down still goes out while it is open."""
    opens_on = working_days_back(quarter.last_day, working_days)
    last_working = working_days_back(quarter.last_day, 1)
    return ReviewWindow(
        opens_on=opens_on,
        reminder_on=last_working if last_working > opens_on else None,
        last_day=quarter.last_day,
    )


@dataclass(frozen=True)
class OneOnOnes:
    """How the manager's 1:1 commitment is going, from both sides' answers."""

    happened: int
    expected: int
    differ: int = 0  # weeks owner and manager answered differently: not counted as happened

    @property
    def label(self) -> str:
        label = f"{self.happened} of {self.expected} 1:1s happened"
        if self.differ:
            label += f" ({self.differ} week{'s' if self.differ > 1 else ''} answered differently)"
        return label


def week_one_on_one(owner: bool | None, manager: bool | None) -> bool | None:
    """A week's "did the 1:1 happen?" from both sides: what they agree on, one
    side's answer when the other gave none; a disagreement is not a 1:1 held."""
    if owner is None:
        return manager
    if manager is None or manager == owner:
        return owner
    return False


def one_on_ones(
    *,
    cadence_weeks: int | None,
    answers: Sequence[bool | None],
    manager_answers: Sequence[bool | None] = (),
) -> OneOnOnes | None:
    """``answers`` holds each checked-in week's "did the 1:1 happen?" as the
    owner answered it (None: not answered), ``manager_answers`` the same weeks
    as the manager did. One 1:1 is expected every ``cadence_weeks`` weeks of
    check-ins, rounding up, so the first week already expects one."""
    if not cadence_weeks:
        return None
    weeks = len(answers)
    theirs = list(manager_answers) + [None] * (weeks - len(manager_answers))
    both = [
        week_one_on_one(owner, manager) for owner, manager in zip(answers, theirs, strict=False)
    ]
    return OneOnOnes(
        happened=sum(1 for answer in both if answer),
        expected=-(-weeks // cadence_weeks),
        differ=sum(
            1
            for owner, manager in zip(answers, theirs, strict=False)
            if owner is not None and manager is not None and owner != manager
        ),
    )
