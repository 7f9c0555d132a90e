"""Who managed whom, when: reading the assignment history as it stood at a time.

A former manager keeps read access to the quarters they managed (PRODUCT 2):
whoever managed the owner during a quarter, and the managers above each of
them as the chain stood when the quarter ended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

MAX_CHAIN = 32  # deeper than any org chart; stops a loop in bad data


@dataclass(frozen=True, kw_only=True)
class Assignment:
    member_id: int
    manager_id: int | None
    started_at: dt.datetime
    ended_at: dt.datetime | None  # None: still their manager


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every stored one is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _overlaps(a: Assignment, *, start: dt.datetime, end: dt.datetime) -> bool:
    return _utc(a.started_at) < end and (a.ended_at is None or _utc(a.ended_at) >= start)


def managers_during(
    history: Iterable[Assignment], *, member_id: int, start: dt.datetime, end: dt.datetime
) -> set[int]:
    """Whoever managed ``member_id`` between ``start`` and ``end``, and the
    managers above each of them as their chain stood at ``end``."""
    rows = list(history)
    direct = {
        a.manager_id
        for a in rows
        if a.member_id == member_id
        and a.manager_id is not None
        and _overlaps(a, start=start, end=end)
    }
    found = set(direct)
    for manager in direct:
        current: int | None = manager
        for _ in range(MAX_CHAIN):
            above = next(
                (
                    a.manager_id
                    for a in rows
                    if a.member_id == current
                    and _utc(a.started_at) < end
                    and (a.ended_at is None or _utc(a.ended_at) >= end)
                ),
                None,
            )
            if above is None or above in found or above == member_id:
                break
            found.add(above)
            current = above
    return found
