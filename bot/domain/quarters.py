"""Fiscal quarters and weeks, in a workspace's fiscal year and a team's time zone.

A fiscal year is named after the calendar year in which it ends (a year that
starts in February 2026 is FY2027), the common convention in sales
organisations. Weeks run Monday to Sunday; week 1 of a quarter is the week
that contains its first day, so every check-in week has one stable key: the
date of its Monday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.errors import ValidationError


@dataclass(frozen=True, order=True)
class Quarter:
    fiscal_year: int
    number: int
    fiscal_start_month: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError(f"quarter number must be 1-4, not {self.number}")
        if not 1 <= self.fiscal_start_month <= 12:
            raise ValueError(f"fiscal start month must be 1-12, not {self.fiscal_start_month}")

    @property
    def start(self) -> date:
        """The first day of the quarter."""
        # Months since January of the calendar year in which the fiscal year began.
        first_year = self.fiscal_year - (1 if self.fiscal_start_month != 1 else 0)
        months = (self.fiscal_start_month - 1) + 3 * (self.number - 1)
        return date(first_year + months // 12, months % 12 + 1, 1)

    @property
    def end(self) -> date:
        """The day after the quarter's last day (exclusive)."""
        return self.next().start

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"Q{self.number} FY{self.fiscal_year}"

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.fiscal_year + 1, 1, self.fiscal_start_month)
        return Quarter(self.fiscal_year, self.number + 1, self.fiscal_start_month)

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.fiscal_year - 1, 4, self.fiscal_start_month)
        return Quarter(self.fiscal_year, self.number - 1, self.fiscal_start_month)

    def week_starts(self) -> list[date]:
        """The Monday of every week that has at least one day in the quarter."""
        return list(_week_starts(self))

    @property
    def week_count(self) -> int:
        return len(self.week_starts())

    def week_number(self, day: date) -> int:
        """1-based week of the quarter in which ``day`` falls."""
        if not self.contains(day):
            raise ValueError(f"{day} is not in {self.label}")
        return (week_start(day) - week_start(self.start)).days // 7 + 1

    def is_last_week(self, day: date) -> bool:
        return self.contains(day) and week_start(day) == week_start(self.last_day)


@lru_cache(maxsize=512)  # bounded: a forged button may name any quarter
def _week_starts(quarter: Quarter) -> tuple[date, ...]:
    # Asked for by every plan a view shows (App Home: a dozen plans, each
    # several times); a quarter's weeks never change.
    monday, end = week_start(quarter.start), quarter.end
    weeks = []
    while monday < end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return tuple(weeks)


def quarter_of(day: date, fiscal_start_month: int = 1) -> Quarter:
    """The fiscal quarter containing a calendar day."""
    months_into_year = (day.month - fiscal_start_month) % 12
    start_year = day.year if day.month >= fiscal_start_month else day.year - 1
    fiscal_year = start_year + (1 if fiscal_start_month != 1 else 0)
    return Quarter(fiscal_year, months_into_year // 3 + 1, fiscal_start_month)


def week_start(day: date) -> date:
    """The Monday of the week containing ``day``."""
    return day - timedelta(days=day.weekday())


def zone(name: str) -> ZoneInfo:
    """An IANA time zone, refused with a readable message when unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            {"timezone": f"{name!r} is not a time zone name; use one like Europe/Paris."}
        ) from None


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    """The calendar day an aware instant falls on in ``tz``."""
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(tz).date()


def quarter_at(instant: datetime, tz: ZoneInfo, *, fiscal_start_month: int = 1) -> Quarter:
    """The quarter an instant falls in, for people living in ``tz``."""
    return quarter_of(local_date(instant, tz), fiscal_start_month)


def week_of_quarter_at(
    instant: datetime, tz: ZoneInfo, *, fiscal_start_month: int = 1
) -> tuple[Quarter, int]:
    day = local_date(instant, tz)
    quarter = quarter_of(day, fiscal_start_month)
    return quarter, quarter.week_number(day)


def at_local_time(day: date, wall_clock: time, *, tz: ZoneInfo) -> datetime:
    """The UTC instant at which the clocks in ``tz`` show ``wall_clock`` on ``day``.

    On the night clocks go back, the first of the two moments is chosen; on the
    night they go forward, a wall time that does not exist is read with the
    offset in force before the change (so 02:30 becomes 03:30), as zoneinfo
    does; a meeting set for then happens an hour "late" rather than never.
    """
    local = datetime.combine(day, wall_clock.replace(tzinfo=None, fold=0), tzinfo=tz)
    return local.astimezone(UTC)
