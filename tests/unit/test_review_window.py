"""The review window: working days before the quarter's last day, whatever the check-in day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.domain.quarters import Quarter
from bot.domain.rhythm import review_window, working_days_back

NY = ZoneInfo("America/New_York")


def test_working_days_are_counted_back_from_the_last_day_over_weekends() -> None:
    thursday = dt.date(2026, 12, 31)
    assert working_days_back(thursday, 1) == thursday
    assert working_days_back(thursday, 5) == dt.date(2026, 12, 25)  # Friday, over no weekend
    sunday = dt.date(2027, 3, 28)
    assert working_days_back(sunday, 1) == dt.date(2027, 3, 26)  # the Friday before


def test_every_quarter_of_2026_has_a_window_and_one_reminder_day() -> None:
    opened = [review_window(Quarter(2026, number)).opens_on for number in range(1, 5)]
    assert opened == [
        dt.date(2026, 3, 25),
        dt.date(2026, 6, 24),
        dt.date(2026, 9, 24),
        dt.date(2026, 12, 25),
    ]
    q4 = review_window(Quarter(2026, 4))
    assert q4.reminder_on == dt.date(2026, 12, 31)
    assert review_window(Quarter(2026, 4), working_days=1).reminder_on is None


def test_the_window_opens_at_nine_in_each_zone_and_closes_with_the_quarter() -> None:
    window = review_window(Quarter(2026, 4))
    assert not window.is_open(dt.datetime(2026, 12, 25, 13, 59, tzinfo=dt.UTC), NY)
    assert window.is_open(dt.datetime(2026, 12, 25, 14, 0, tzinfo=dt.UTC), NY)
    assert window.is_open(dt.datetime(2026, 12, 28, 14, 0, tzinfo=dt.UTC), NY)  # missed: still due
    assert not window.is_open(dt.datetime(2027, 1, 1, 5, 0, tzinfo=dt.UTC), NY)
    assert not window.reminder_due(dt.datetime(2026, 12, 30, 14, 0, tzinfo=dt.UTC), NY)
    assert window.reminder_due(dt.datetime(2026, 12, 31, 14, 0, tzinfo=dt.UTC), NY)
