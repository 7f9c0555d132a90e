from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import ValidationError
from bot.domain.quarters import (
    Quarter,
    at_local_time,
    local_date,
    quarter_at,
    quarter_of,
    week_of_quarter_at,
    week_start,
    zone,
)

ZONES = [
    "UTC",
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Paris",
    "Europe/London",
    "Asia/Kolkata",
    "Australia/Sydney",  # southern hemisphere: DST at the other end of the year
    "Pacific/Auckland",
    "Pacific/Kiritimati",  # UTC+14
    "Pacific/Pago_Pago",  # UTC-11
    "America/St_Johns",  # a half-hour offset with DST
]

instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2080, 12, 31), timezones=st.just(UTC)
)
zones = st.sampled_from(ZONES).map(ZoneInfo)
months = st.integers(min_value=1, max_value=12)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31))


def test_calendar_quarters() -> None:
    q = quarter_of(date(2026, 11, 22))
    assert (q.fiscal_year, q.number, q.label) == (2026, 4, "Q4 FY2026")
    assert (q.start, q.end, q.last_day) == (date(2026, 10, 1), date(2027, 1, 1), date(2026, 12, 31))


def test_fiscal_year_named_after_the_year_it_ends() -> None:
    # A February fiscal year: Feb 2026 - Jan 2027 is FY2027.
    q = quarter_of(date(2026, 2, 1), fiscal_start_month=2)
    assert (q.fiscal_year, q.number, q.start) == (2027, 1, date(2026, 2, 1))
    q4 = quarter_of(date(2027, 1, 31), fiscal_start_month=2)
    assert (q4.fiscal_year, q4.number, q4.start, q4.end) == (
        2027,
        4,
        date(2026, 11, 1),
        date(2027, 2, 1),
    )
    assert q4.next() == Quarter(2028, 1, 2)


def test_the_same_instant_is_in_different_quarters_on_either_side_of_the_date_line() -> None:
    new_year_utc = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
    assert quarter_at(new_year_utc, ZoneInfo("Pacific/Kiritimati")).label == "Q1 FY2027"
    assert quarter_at(new_year_utc, ZoneInfo("Pacific/Pago_Pago")).label == "Q4 FY2026"


def test_weeks_of_a_quarter() -> None:
    q = Quarter(2026, 4)  # 2026-10-01 is a Thursday
    assert q.week_starts()[0] == date(2026, 9, 28)
    assert q.week_number(date(2026, 10, 4)) == 1
    assert q.week_number(date(2026, 10, 5)) == 2
    assert q.week_count == 14
    assert q.is_last_week(date(2026, 12, 31))
    assert not q.is_last_week(date(2026, 12, 27))
    with pytest.raises(ValueError, match="not in Q4"):
        q.week_number(date(2027, 1, 1))


def test_week_of_quarter_in_a_time_zone() -> None:
    # Monday 00:30 in Paris is still Sunday in UTC.
    instant = datetime(2026, 10, 4, 22, 30, tzinfo=UTC)
    assert week_of_quarter_at(instant, ZoneInfo("Europe/Paris"))[1] == 2
    assert week_of_quarter_at(instant, ZoneInfo("UTC"))[1] == 1


def test_local_time_across_daylight_saving_changes() -> None:
    paris = ZoneInfo("Europe/Paris")
    # 09:00 in Paris is 07:00 UTC in summer and 08:00 UTC in winter.
    assert at_local_time(date(2026, 10, 23), time(9), tz=paris) == datetime(
        2026, 10, 23, 7, tzinfo=UTC
    )
    assert at_local_time(date(2026, 10, 26), time(9), tz=paris) == datetime(
        2026, 10, 26, 8, tzinfo=UTC
    )
    # 02:30 does not exist on 2026-03-29 in Paris: it is read with the winter offset.
    assert at_local_time(date(2026, 3, 29), time(2, 30), tz=paris) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )
    # 02:30 happens twice on 2026-10-25: the first one is chosen.
    assert at_local_time(date(2026, 10, 25), time(2, 30), tz=paris) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_unknown_time_zone_is_refused_with_a_readable_message() -> None:
    with pytest.raises(ValidationError) as caught:
        zone("Mars/Olympus_Mons")
    assert "timezone" in caught.value.errors
    assert "Europe/Paris" in caught.value.errors["timezone"]


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2026, 1, 1), ZoneInfo("UTC"))


@given(instants, zones, months)
def test_an_instant_falls_in_the_quarter_of_its_local_day(
    instant: datetime, tz: ZoneInfo, month: int
) -> None:
    quarter = quarter_at(instant, tz, fiscal_start_month=month)
    day = local_date(instant, tz)
    assert quarter.contains(day)
    assert quarter.start.day == 1
    assert (quarter.start.month - month) % 3 == 0
    assert 1 <= quarter.week_number(day) <= quarter.week_count <= 14


@given(days, months)
def test_quarters_tile_the_calendar(day: date, month: int) -> None:
    quarter = quarter_of(day, month)
    assert quarter.next().start == quarter.end
    assert quarter.next().previous() == quarter
    assert quarter_of(quarter.end - timedelta(days=1), month) == quarter
    assert quarter_of(quarter.end, month) == quarter.next()
    assert 89 <= (quarter.end - quarter.start).days <= 92  # Feb-Apr: 89
    # Four quarters make a fiscal year that starts in the fiscal start month.
    assert Quarter(quarter.fiscal_year, 1, month).start.month == month


@given(days)
def test_week_start_is_the_monday_on_or_before(day: date) -> None:
    monday = week_start(day)
    assert monday.weekday() == 0
    assert 0 <= (day - monday).days < 7


@given(days, st.times(), zones)
def test_local_time_round_trips_except_in_the_spring_gap(
    day: date, wall: time, tz: ZoneInfo
) -> None:
    instant = at_local_time(day, wall, tz=tz)
    back = instant.astimezone(tz)
    if back.replace(tzinfo=None) != datetime.combine(day, wall):
        # Only a wall time skipped by a daylight-saving jump may move, and only forward.
        assert back.replace(tzinfo=None) > datetime.combine(day, wall)
        assert back.replace(tzinfo=None) - datetime.combine(day, wall) <= timedelta(hours=2)
    else:
        assert back.date() == day
