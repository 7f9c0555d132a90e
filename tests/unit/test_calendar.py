"""The calendar's rules as plain values: working days, holidays, the review
window, the grace close, proposal nudges, and dates as people type them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from bot.domain.calendar import (
    WorkingCalendar,
    calendar_of,
    grace_close_at,
    grace_close_due,
    grace_close_quarter,
    grace_closes_on,
    may_undo_early_close,
    nudge_quarters,
    parse_days_setting,
    parse_holidays,
    parse_working_days,
    proposal_nudge_days,
    proposal_nudge_due,
    show_working_days,
    store_working_days,
    understand_date,
)
from bot.domain.errors import ValidationError
from bot.domain.quarters import Quarter
from bot.domain.rhythm import review_window

UTC = dt.UTC
Q4 = Quarter(2026, 4)  # Oct 1 (a Thursday) to Dec 31, 2026 (a Thursday)


def test_working_days_as_people_write_them() -> None:
    assert parse_working_days("Mon-Fri", field_name="f") == frozenset(range(5))
    assert parse_working_days("Monday to Friday", field_name="f") == frozenset(range(5))
    assert parse_working_days("sun-thu", field_name="f") == frozenset({6, 0, 1, 2, 3})
    assert parse_working_days("Mon, Tue, Thu", field_name="f") == frozenset({0, 1, 3})
    assert parse_working_days("Fri-Mon", field_name="f") == frozenset({4, 5, 6, 0})
    for bad in ("", "someday", "Mon-Tue-Wed"):
        with pytest.raises(ValidationError) as refused:
            parse_working_days(bad, field_name="working_days")
        assert list(refused.value.errors) == ["working_days"]
    assert show_working_days(frozenset(range(5))) == "Mon-Fri"
    assert show_working_days(frozenset({0, 1, 3})) == "Mon, Tue, Thu"
    assert calendar_of(store_working_days(frozenset({6, 0}))).working_weekdays == {6, 0}
    assert calendar_of("garbage").working_weekdays == frozenset(range(5))  # never fails


def test_holidays_and_day_counts_are_refused_on_their_field() -> None:
    assert parse_holidays("2026-12-25, 2027-01-01\n2026-12-24", field_name="h") == {
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 25),
        dt.date(2027, 1, 1),
    }
    with pytest.raises(ValidationError) as refused:
        parse_holidays("Dec 25", field_name="holidays")
    assert "is not a date" in refused.value.errors["holidays"]
    assert parse_days_setting(" 14 ", field_name="g", low=0, high=90, what="The grace") == 14
    for bad in ("-1", "91", "two", "1.5"):
        with pytest.raises(ValidationError):
            parse_days_setting(bad, field_name="g", low=0, high=90, what="The grace")


def test_a_holiday_is_no_working_day() -> None:
    christmas = WorkingCalendar(holidays=frozenset({dt.date(2026, 12, 25)}))
    thursday = dt.date(2026, 12, 24)
    assert christmas.next_working_day(thursday) == dt.date(2026, 12, 28)
    assert not christmas.is_working(dt.date(2026, 12, 25))
    # The review window counts working days: Christmas pushes its opening back a day.
    assert review_window(Q4).opens_on == dt.date(2026, 12, 25)
    assert review_window(Q4, calendar=christmas).opens_on == dt.date(2026, 12, 24)
    # A Sunday-to-Thursday week: the window's five are Sun Dec 27 to Thu Dec 31.
    sun_thu = WorkingCalendar(frozenset({6, 0, 1, 2, 3}))
    assert review_window(Q4, calendar=sun_thu).opens_on == dt.date(2026, 12, 27)


def test_the_grace_close_and_the_early_close_undo() -> None:
    assert grace_closes_on(Q4, 14) == dt.date(2027, 1, 15)
    tokyo = ZoneInfo("Asia/Tokyo")
    assert grace_close_at(Q4, grace_days=0, tz=tokyo) == dt.datetime(2027, 1, 1, 0, tzinfo=UTC)
    assert may_undo_early_close(Q4, today=dt.date(2026, 12, 31))
    assert not may_undo_early_close(Q4, today=dt.date(2027, 1, 1))


def test_proposal_nudges_weekly_from_the_quarters_first_working_day() -> None:
    q1 = Quarter(2027, 1)  # starts on Friday Jan 1
    new_year = WorkingCalendar(holidays=frozenset({dt.date(2027, 1, 1), dt.date(2027, 1, 11)}))
    days = list(proposal_nudge_days(q1, new_year))
    # Monday Jan 4 (Jan 1 is a holiday), then Mondays; Jan 11 is one too: Tuesday Jan 12.
    assert days[:3] == [dt.date(2027, 1, 4), dt.date(2027, 1, 12), dt.date(2027, 1, 18)]
    assert days[-1] == dt.date(2027, 3, 29)
    paris = ZoneInfo("Europe/Paris")
    at_nine = dt.datetime(2027, 1, 4, 8, tzinfo=UTC)  # 09:00 in Paris
    assert proposal_nudge_due(q1, new_year, now=at_nine, tz=paris) == 1
    assert proposal_nudge_due(q1, new_year, now=at_nine - dt.timedelta(minutes=1), tz=paris) is None
    assert proposal_nudge_due(q1, new_year, now=at_nine + dt.timedelta(days=1), tz=paris) is None


def test_the_clock_looks_for_grace_closes_in_their_catch_up_week() -> None:
    # Q4's grace of 14 days ends Jan 15, 2027: a day early for members east of
    # the team, and a week late for a clock that slept.
    window = [dt.date(2027, 1, 14), dt.date(2027, 1, 22)]
    for today in window:
        assert grace_close_quarter(today, fiscal_start_month=1, grace_days=14) == Q4
    for today in (dt.date(2027, 1, 13), dt.date(2027, 1, 23)):
        assert grace_close_quarter(today, fiscal_start_month=1, grace_days=14) is None
    tokyo = ZoneInfo("Asia/Tokyo")
    at = grace_close_at(Q4, grace_days=14, tz=tokyo)
    assert grace_close_due(Q4, grace_days=14, now=at, tz=tokyo)
    assert not grace_close_due(Q4, grace_days=14, now=at - dt.timedelta(minutes=1), tz=tokyo)


def test_the_clock_looks_for_nudges_a_day_either_side_of_a_nudge_day() -> None:
    q1 = Quarter(2027, 1)
    new_year = WorkingCalendar(holidays=frozenset({dt.date(2027, 1, 1)}))  # Q1's first: Jan 4
    assert nudge_quarters(dt.date(2027, 1, 5), fiscal_start_month=1, calendar=new_year) == [q1]
    assert nudge_quarters(dt.date(2027, 1, 6), fiscal_start_month=1, calendar=new_year) == []
    # Thursday Dec 31 is Q4's last nudge day, and Friday Jan 1 Q1's first.
    both = nudge_quarters(dt.date(2026, 12, 31), fiscal_start_month=1, calendar=WorkingCalendar())
    assert both == [Q4, q1]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Friday", dt.date(2026, 12, 4)),
        ("next week", dt.date(2026, 12, 13)),  # to its Sunday
        ("Dec 24", dt.date(2026, 12, 24)),
        ("24 December", dt.date(2026, 12, 24)),
        ("2026-12-24", dt.date(2026, 12, 24)),
        ("tomorrow", dt.date(2026, 12, 3)),
        ("in two weeks", dt.date(2026, 12, 16)),  # a day, not a week: that day
        ("whenever", None),
        ("", None),
    ],
)
def test_dates_as_people_type_them(typed: str, meant: dt.date | None) -> None:
    assert understand_date(typed, today=dt.date(2026, 12, 2)) == meant  # a Wednesday
