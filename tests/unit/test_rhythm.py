from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.calendar import WorkingCalendar
from bot.domain.rhythm import (
    due_prompt_week,
    next_working_day,
    prompt_at,
    reminder_at,
    reminder_due,
)

NY = ZoneInfo("America/New_York")
UTC = dt.UTC


def test_a_monday_9am_prompt_in_new_york_across_the_dst_change() -> None:
    # 2026-11-02 is the Monday after clocks went back (UTC-5); 2026-10-26 was UTC-4.
    assert prompt_at(dt.date(2026, 10, 26), weekday=0, wall_clock=dt.time(9), tz=NY) == dt.datetime(
        2026, 10, 26, 13, tzinfo=UTC
    )
    assert prompt_at(dt.date(2026, 11, 2), weekday=0, wall_clock=dt.time(9), tz=NY) == dt.datetime(
        2026, 11, 2, 14, tzinfo=UTC
    )


def test_due_from_the_prompt_time_until_the_end_of_that_local_day() -> None:
    rule = {"weekday": 0, "wall_clock": dt.time(9), "tz": NY}
    assert (
        due_prompt_week(dt.datetime(2026, 11, 2, 13, 59, tzinfo=UTC), **rule) is None
    )  # 08:59 local
    assert due_prompt_week(dt.datetime(2026, 11, 2, 14, 0, tzinfo=UTC), **rule) == dt.date(
        2026, 11, 2
    )
    # Caught up late the same day (23:30 local is 04:30 UTC the next day).
    assert due_prompt_week(dt.datetime(2026, 11, 3, 4, 30, tzinfo=UTC), **rule) == dt.date(
        2026, 11, 2
    )
    # Tuesday: stale, not sent.
    assert due_prompt_week(dt.datetime(2026, 11, 3, 14, 0, tzinfo=UTC), **rule) is None


def test_reminders_at_3pm_local_the_next_working_day() -> None:
    london = ZoneInfo("Europe/London")
    monday = dt.datetime(2026, 11, 2, 9, tzinfo=UTC)  # a Monday 09:00 prompt in London
    assert reminder_at(monday, london) == dt.datetime(2026, 11, 3, 15, tzinfo=UTC)
    assert not reminder_due(dt.datetime(2026, 11, 3, 14, 59, tzinfo=UTC), prompt=monday, tz=london)
    assert reminder_due(dt.datetime(2026, 11, 3, 15, 0, tzinfo=UTC), prompt=monday, tz=london)
    assert not reminder_due(dt.datetime(2026, 11, 4, 15, 0, tzinfo=UTC), prompt=monday, tz=london)
    # A Friday's prompt is reminded on Monday, a Saturday's and a Sunday's too.
    for day in (6, 7, 8):
        prompt = dt.datetime(2026, 11, day, 9, tzinfo=UTC)
        assert reminder_at(prompt, london) == dt.datetime(2026, 11, 9, 15, tzinfo=UTC)
    # The day the prompt reached the member, in their zone: a Tokyo team's Monday
    # 08:00 prompt is Sunday evening in New York, reminded there on Monday.
    tokyo_monday = dt.datetime(2026, 11, 8, 23, tzinfo=UTC)  # Mon 08:00 in Tokyo
    new_york = ZoneInfo("America/New_York")
    assert reminder_at(tokyo_monday, new_york) == dt.datetime(2026, 11, 9, 20, tzinfo=UTC)
    assert reminder_at(tokyo_monday, ZoneInfo("Asia/Tokyo")) == dt.datetime(
        2026, 11, 10, 6, tzinfo=UTC
    )


def test_the_next_working_day() -> None:
    friday = dt.date(2026, 11, 6)
    assert next_working_day(friday) == dt.date(2026, 11, 9)
    assert next_working_day(dt.date(2026, 11, 4)) == dt.date(2026, 11, 5)
    sunday_to_thursday = WorkingCalendar(frozenset({6, 0, 1, 2, 3}))
    assert next_working_day(friday, sunday_to_thursday) == dt.date(2026, 11, 8)
    # A holiday is no working day: Monday's holiday moves Friday's next one to Tuesday.
    holiday = WorkingCalendar(holidays=frozenset({dt.date(2026, 11, 9)}))
    assert next_working_day(friday, holiday) == dt.date(2026, 11, 10)


zones = st.sampled_from(
    ["UTC", "America/New_York", "Europe/Paris", "Australia/Sydney", "Asia/Kolkata"]
).map(ZoneInfo)
instants = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1), timezones=st.just(UTC)
)


@given(instants, zones, st.integers(0, 6), st.times())
def test_a_due_prompt_is_never_in_the_future_nor_from_an_earlier_day(
    now: dt.datetime, tz: ZoneInfo, weekday: int, wall: dt.time
) -> None:
    week = due_prompt_week(now, weekday=weekday, wall_clock=wall, tz=tz)
    if week is not None:
        due = prompt_at(week, weekday=weekday, wall_clock=wall, tz=tz)
        assert due <= now
        assert due.astimezone(tz).date() == now.astimezone(tz).date()


def test_one_on_ones_against_the_cadence() -> None:
    from bot.domain.rhythm import one_on_ones

    assert one_on_ones(cadence_weeks=None, answers=[True]) is None
    weekly = one_on_ones(cadence_weeks=1, answers=[True, False, None, True])
    assert weekly is not None
    assert (weekly.happened, weekly.expected, weekly.label) == (2, 4, "2 of 4 1:1s happened")
    fortnightly = one_on_ones(cadence_weeks=2, answers=[True, None, True])
    assert fortnightly is not None
    assert (fortnightly.happened, fortnightly.expected) == (2, 2)
