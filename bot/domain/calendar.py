"""Each member's calendar: working days, holidays, and the quarter's turns
(review window, grace close, early close, proposal nudges), as plain values.

A day is a working day when its weekday is one of the workspace's working
weekdays and it is none of the workspace's or the team's holiday dates. Dates
are read in the member's own zone: a holiday on Dec 25 is Dec 25 wherever
they are.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from bot.domain.errors import ValidationError
from bot.domain.quarters import Quarter, at_local_time, quarter_of

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONDAY_TO_FRIDAY = frozenset(range(5))
DEFAULT_GRACE_DAYS = 14
GRACE_DAYS_MAX = 60  # within the next quarter, where the clock looks for it
REVIEW_WINDOW_MAX = 20
NUDGE_TIME = dt.time(9, 0)  # proposal nudges and grace closes, in the member's zone
GRACE_CATCH_UP_DAYS = 7  # a close the clock slept through is still made that week
HOLIDAYS_MAX = 100
HOLIDAYS_TEXT_MAX = 12 * HOLIDAYS_MAX  # "2026-12-25, " per date


@dataclass(frozen=True)
class WorkingCalendar:
    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    holidays: frozenset[dt.date] = field(default_factory=frozenset)

    def is_working(self, day: dt.date) -> bool:
        return day.weekday() in self.working_weekdays and day not in self.holidays

    def is_holiday(self, day: dt.date) -> bool:
        return day in self.holidays

    def on_or_after(self, day: dt.date) -> dt.date:
        """``day`` when it is a working day, else the next one (a calendar
        with no working day at all falls back to ``day``)."""
        probe = day
        for _ in range(7 + len(self.holidays)):
            if self.is_working(probe):
                return probe
            probe += dt.timedelta(days=1)
        return day

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day after ``day``: a Friday's is the Monday after."""
        return self.on_or_after(day + dt.timedelta(days=1))

    def working_days_back(self, last: dt.date, count: int) -> dt.date:
        """The ``count``-th working day counting back from ``last`` (itself the
        first when it is one): with 5, the Monday of a Friday's week."""
        day = last + dt.timedelta(days=1)
        left = max(1, count)
        for _ in range(366):
            day -= dt.timedelta(days=1)
            if self.is_working(day):
                left -= 1
                if not left:
                    return day
        return last


def calendar_of(
    working_days: str, *holiday_lists: str, zone_holidays: Iterable[dt.date] = ()
) -> WorkingCalendar:
    """The calendar from the stored settings (see ``store_working_days``,
    ``store_holidays``): bad stored text counts as the default, never fails."""
    try:
        weekdays = frozenset(int(part) for part in working_days.split(",") if part.strip())
    except ValueError:
        weekdays = MONDAY_TO_FRIDAY
    days: set[dt.date] = set(zone_holidays)
    for stored in holiday_lists:
        for part in stored.split(","):
            try:
                days.add(dt.date.fromisoformat(part.strip()))
            except ValueError:
                continue
    return WorkingCalendar(weekdays & frozenset(range(7)) or MONDAY_TO_FRIDAY, frozenset(days))


# ---- settings as people type them -------------------------------------------------------

_DAY = {name.lower(): i for i, name in enumerate(WEEKDAY_NAMES)}


def _weekday(word: str) -> int | None:
    return _DAY.get(word.strip().lower()[:3]) if len(word.strip()) >= 3 else None


def parse_working_days(text: str, *, field_name: str) -> frozenset[int]:
    """ "Mon-Fri", "Sun-Thu", "Mon, Tue, Thu" or "Monday to Friday"."""
    days: set[int] = set()
    joined = re.sub(r"\s*(-|\u2013|\bto\b)\s*", "-", text.strip().lower())
    for part in re.split(r"[,\s]+", joined):
        if not part:
            continue
        ends = part.split("-")
        found = [_weekday(end) for end in ends]
        if len(ends) > 2 or any(day is None for day in found):
            raise ValidationError(
                {field_name: f"{part!r} is not a day: write them like Mon-Fri or Mon, Tue, Thu."}
            )
        known = [day for day in found if day is not None]
        day, end = known[0], known[-1]
        days.add(day)
        while day != end:  # a run, wrapping past Sunday: "Fri-Mon"
            day = (day + 1) % 7
            days.add(day)
    if not days:
        raise ValidationError({field_name: "Name at least one working day, like Mon-Fri."})
    return frozenset(days)


def show_working_days(days: frozenset[int]) -> str:
    """The shortest way to write the days: a run as "Mon-Fri", else a list."""
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{WEEKDAY_NAMES[ordered[0]]}-{WEEKDAY_NAMES[ordered[-1]]}"
    return ", ".join(WEEKDAY_NAMES[day] for day in ordered)


def store_working_days(days: frozenset[int]) -> str:
    return ",".join(str(day) for day in sorted(days))


def parse_holidays(text: str, *, field_name: str) -> frozenset[dt.date]:
    """Dates as YYYY-MM-DD, separated by commas, spaces or lines."""
    days: set[dt.date] = set()
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        try:
            days.add(dt.date.fromisoformat(part))
        except ValueError:
            raise ValidationError(
                {field_name: f"{part!r} is not a date: write holidays like 2026-12-25, 2027-01-01."}
            ) from None
    if len(days) > HOLIDAYS_MAX:
        raise ValidationError({field_name: f"At most {HOLIDAYS_MAX} holiday dates."})
    return frozenset(days)


def store_holidays(days: Iterable[dt.date]) -> str:
    return ",".join(day.isoformat() for day in sorted(days))


def show_holidays(stored: str) -> str:
    return ", ".join(part for part in stored.split(",") if part)


def parse_days_setting(text: str, *, field_name: str, low: int, high: int, what: str) -> int:
    """A whole number of days between ``low`` and ``high``."""
    cleaned = text.strip()
    if not cleaned.isdigit() or not low <= int(cleaned) <= high:
        raise ValidationError({field_name: f"{what} is a whole number of days, {low} to {high}."})
    return int(cleaned)


# ---- the quarter's turns ---------------------------------------------------------------


def grace_closes_on(quarter: Quarter, grace_days: int) -> dt.date:
    """The day an unreviewed plan closes by itself: the quarter's last day
    plus the grace period (at 09:00 the owner's time, the day after it)."""
    return quarter.last_day + dt.timedelta(days=grace_days + 1)


def grace_close_at(quarter: Quarter, *, grace_days: int, tz: ZoneInfo) -> dt.datetime:
    return at_local_time(grace_closes_on(quarter, grace_days), NUDGE_TIME, tz=tz)


def grace_close_quarter(
    today: dt.date, *, fiscal_start_month: int, grace_days: int
) -> Quarter | None:
    """The past quarter whose grace may be over somewhere at ``today`` (the
    team's day): from the day before its grace ends (members east of the team
    are a day ahead) to GRACE_CATCH_UP_DAYS after."""
    quarter = quarter_of(today, fiscal_start_month).previous()
    closes_on = grace_closes_on(quarter, grace_days)
    if (
        closes_on - dt.timedelta(days=1)
        <= today
        <= closes_on + dt.timedelta(days=GRACE_CATCH_UP_DAYS)
    ):
        return quarter
    return None


def grace_close_due(quarter: Quarter, *, grace_days: int, now: dt.datetime, tz: ZoneInfo) -> bool:
    """An unreviewed plan of ``quarter`` owned in ``tz`` is closed by grace at ``now``."""
    return now >= grace_close_at(quarter, grace_days=grace_days, tz=tz)


def may_undo_early_close(quarter: Quarter, *, today: dt.date) -> bool:
    """A quarter closed early can be reopened until its last day is over."""
    return today <= quarter.last_day


@functools.lru_cache(maxsize=1024)
def proposal_nudge_days(quarter: Quarter, calendar: WorkingCalendar) -> tuple[dt.date, ...]:
    """When a member whose plan for ``quarter`` is still a draft is asked to
    propose it: the quarter's first working day, then a week later each
    week (on the next working day when that is a holiday), in the quarter."""
    days = []
    first = calendar.on_or_after(quarter.start)
    day = first
    while day <= quarter.last_day:
        on = calendar.on_or_after(day)
        if on <= quarter.last_day:
            days.append(on)
        day += dt.timedelta(days=7)
    return tuple(days)


def proposal_nudge_due(
    quarter: Quarter, calendar: WorkingCalendar, *, now: dt.datetime, tz: ZoneInfo
) -> int | None:
    """The number (1 = the first week's) of the proposal nudge due at ``now``
    in ``tz``: from 09:00 to the end of its day, caught up that day only."""
    today = now.astimezone(tz).date()
    for number, day in enumerate(proposal_nudge_days(quarter, calendar), start=1):
        if day == today and now >= at_local_time(day, NUDGE_TIME, tz=tz):
            return number
    return None


def nudge_quarters(
    today: dt.date, *, fiscal_start_month: int, calendar: WorkingCalendar
) -> list[Quarter]:
    """The quarters (in order) with a proposal nudge day on ``today`` (the
    team's day) or a day either side, which holds any member's today: on
    other days the nudges need no look at the database."""
    near = {today + dt.timedelta(days=d) for d in (-1, 0, 1)}
    return sorted(
        quarter
        for quarter in {quarter_of(day, fiscal_start_month) for day in near}
        if near & set(proposal_nudge_days(quarter, calendar))
    )


# ---- a date as people type it ------------------------------------------------------------


def understand_date(text: str, *, today: dt.date) -> dt.date | None:
    """The day someone means by "Friday", "next week", "Dec 24", "24/12" or
    "2026-12-24", on or after ``today`` (their own today, in their zone); a
    week ("next week", "this week") means its last day, Sunday. None when
    it is not a date."""
    import dateparser  # well kept, and slow to import: only when someone types a date

    cleaned = " ".join(text.strip().split())
    if not cleaned:
        return None
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        pass
    base = dt.datetime.combine(today, dt.time(12))
    parsed = dateparser.parse(
        cleaned,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": base,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if parsed is None:
        return None
    day: dt.date = parsed.date()
    if not today - dt.timedelta(days=366) <= day <= today + dt.timedelta(days=366):
        return None  # "12/24" read as a year a century away is not what anyone meant
    if re.search(r"\bweek\b", cleaned.lower()):
        day = day + dt.timedelta(days=6 - day.weekday())
    return day
