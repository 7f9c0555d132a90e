"""A lease per workspace: one clock at a time, taken over once it runs out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import insert, select

from bot.db import models as m
from bot.db.base import Base
from bot.db.session import Database
from bot.outbox.leases import LEASE_TTL, LeaseLost, Leases

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


class Wall:
    def __init__(self) -> None:
        self.at = dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.at


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    Base.metadata.create_all(database.engine)
    with database.sessions.begin() as session:
        session.execute(insert(m.Workspace), [{"id": i, "slack_team_id": f"T{i}"} for i in (1, 2)])
    yield database
    database.dispose()


def test_a_workspace_is_one_clocks_at_a_time_and_done_once_per_instant(db: Database) -> None:
    wall = Wall()
    one, two = Leases(db, owner="one", wall=wall), Leases(db, owner="two", wall=wall)
    one.prepare([1, 2])
    two.prepare([1, 2])
    first = one.take(workspace_ids=[1, 2], now=NOW)
    second = two.take(workspace_ids=[1, 2], now=NOW)
    assert first is not None and second is not None
    assert {first.workspace_id, second.workspace_id} == {1, 2}
    assert one.take(workspace_ids=[1, 2], now=NOW) is None
    one.finish(first, now=NOW)
    # Finished for this instant: nobody goes over it again until the next.
    assert two.take(workspace_ids=[1, 2], now=NOW) is None
    later = two.take(workspace_ids=[1, 2], now=NOW + dt.timedelta(minutes=1))
    assert later is not None and later.workspace_id == first.workspace_id


def test_a_lease_is_kept_while_working_and_taken_over_when_it_runs_out(db: Database) -> None:
    wall = Wall()
    one, two = Leases(db, owner="one", wall=wall), Leases(db, owner="two", wall=wall)
    one.prepare([1])
    lease = one.take(workspace_ids=[1], now=NOW)
    assert lease is not None
    wall.at += LEASE_TTL * 0.75
    lease.keep()  # renewed: it now runs until 2 minutes from here
    wall.at += LEASE_TTL * 0.75
    assert two.take(workspace_ids=[1], now=NOW) is None
    wall.at += LEASE_TTL  # the first clock stalled (or died) past its lease
    taken = two.take(workspace_ids=[1], now=NOW)
    assert taken is not None
    with pytest.raises(LeaseLost):
        lease.keep()
    one.finish(lease, now=NOW)  # changes nothing: the lease is the other clock's
    assert one.take(workspace_ids=[1], now=NOW + dt.timedelta(minutes=1)) is None


def test_clocks_seen_lately_share_the_workspaces(db: Database) -> None:
    wall = Wall()
    one, two = Leases(db, owner="one", wall=wall), Leases(db, owner="two", wall=wall)
    assert one.share(workspaces=200) == 200
    assert two.share(workspaces=200) == 100
    two.leave()
    assert one.share(workspaces=200) == 200
    two.seen()
    wall.at += dt.timedelta(minutes=5)  # two has not ticked since
    assert one.share(workspaces=200) == 200
    wall.at += dt.timedelta(days=1)
    one.seen()
    with db.sessions.begin() as session:  # a clock gone for a day is forgotten
        assert session.scalars(select(m.ClockSeen.owner)).all() == ["one"]
