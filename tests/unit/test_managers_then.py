"""A former manager keeps the quarters they managed: the assignment history read as of then."""

from __future__ import annotations

import datetime as dt

from bot.domain.managers import Assignment, managers_during


def at(month: int, day: int = 1) -> dt.datetime:
    return dt.datetime(2026, month, day, tzinfo=dt.UTC)


# Dana (1): Sam (2) until Aug 15, then Vera (3). Sam reports to Ann (4) until
# Sep 1, then to Bo (5). Vera reports to Ann. A loop in bad data: Bo under Dana.
HISTORY = [
    Assignment(member_id=1, manager_id=2, started_at=at(1), ended_at=at(8, 15)),
    Assignment(member_id=1, manager_id=3, started_at=at(8, 15), ended_at=None),
    Assignment(member_id=2, manager_id=4, started_at=at(1), ended_at=at(9)),
    Assignment(member_id=2, manager_id=5, started_at=at(9), ended_at=None),
    Assignment(member_id=3, manager_id=4, started_at=at(1), ended_at=None),
    Assignment(member_id=5, manager_id=1, started_at=at(1), ended_at=None),
]


def test_managers_during_a_quarter_and_the_chain_above_them_at_its_end() -> None:
    q2 = managers_during(HISTORY, member_id=1, start=at(4), end=at(7))
    assert q2 == {2, 4}  # Sam, and Ann above him then
    q3 = managers_during(HISTORY, member_id=1, start=at(7), end=at(10))
    assert q3 == {2, 3, 5, 4}  # both managers; Sam's chain at Sep 30 is Bo (then Dana: stop)
    q4 = managers_during(HISTORY, member_id=1, start=at(10), end=at(12, 31))
    assert q4 == {3, 4}  # Sam no longer


def test_naive_datetimes_from_sqlite_read_as_utc() -> None:
    naive = [
        Assignment(member_id=1, manager_id=2, started_at=dt.datetime(2026, 1, 1), ended_at=None)
    ]
    assert managers_during(naive, member_id=1, start=at(4), end=at(7)) == {2}
