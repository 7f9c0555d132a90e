"""Clocks that share the work and the limit: a lease per workspace.

A clock sends for a workspace only while it holds that workspace's lease, so
two or more ``myplan clock`` processes never send for one workspace at once,
and each paces what it sends to the workspace's full rate: together they stay
within it. A lease is taken for LEASE_TTL and kept while the work goes on; a
clock that dies lets it run out, and another clock takes the workspace up.

Taking one: on PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED`` (clocks skip
the rows others are taking, rather than queue on them), then the UPDATE; on
SQLite, which has no row locks, a conditional UPDATE (whichever clock's
UPDATE finds the lease free wins; the other moves on to the next workspace).

Each clock ticking at the same instant goes over a workspace once between
them (``ticked_at``), and a clock takes at most its share of the workspaces
at once (the workspaces over the clocks seen in the last CLOCK_SEEN_FOR), so
that clocks starting their minute together split it rather than the first
taking all.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import socket
import threading
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import sessionmaker

from bot.db.base import utcnow
from bot.db.leases import ClockSeen, WorkspaceLease
from bot.db.session import Database

LEASE_TTL = dt.timedelta(minutes=2)
CLOCK_SEEN_FOR = dt.timedelta(minutes=3)
FORGET_CLOCKS_AFTER = dt.timedelta(days=1)
# Workspaces one clock works on at once (each with a few threads: bot/scheduler/fanout.py).
AT_ONCE = 256


class LeaseLost(Exception):
    """Another clock holds this workspace's lease now: this one stops sending for it."""


def clock_name() -> str:
    """This process's name in the leases: host, process id and a random part."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _utc(value: dt.datetime) -> dt.datetime:
    # One spelling of an instant, so that SQLite's text comparisons hold.
    return value.astimezone(dt.UTC)


class Lease:
    """One workspace's lease, held by this clock; ``keep()`` before each send."""

    def __init__(self, leases: Leases, *, workspace_id: int, expires_at: dt.datetime) -> None:
        self.leases = leases
        self.workspace_id = workspace_id
        self.expires_at = expires_at
        self._lock = threading.Lock()

    def keep(self) -> None:
        """Renew the lease once half its time is gone; LeaseLost if another clock has it."""
        with self._lock:
            if self.leases.wall() < self.expires_at - self.leases.ttl / 2:
                return
            renewed = self.leases.renew(workspace_id=self.workspace_id)
            if renewed is None:
                raise LeaseLost(f"workspace {self.workspace_id}")
            self.expires_at = renewed


class Leases:
    """The lease table's queries for one clock process (its ``owner`` name)."""

    def __init__(
        self,
        db: Database,
        *,
        owner: str | None = None,
        ttl: dt.timedelta = LEASE_TTL,
        at_once: int = AT_ONCE,
        wall: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self._sessions = sessionmaker(db.engine, expire_on_commit=False, info={"unit": "leases"})
        self._postgres = db.engine.dialect.name == "postgresql"
        self.owner = owner or clock_name()
        self.ttl = ttl
        self.at_once = at_once
        self._wall = wall
        self._taking = threading.Lock()

    def wall(self) -> dt.datetime:
        return _utc(self._wall())

    def seen(self) -> int:
        """Say this clock is alive; the number of clocks seen lately, itself included."""
        wall = self.wall()
        with self._sessions.begin() as session:
            session.execute(
                self._insert(ClockSeen)
                .values(owner=self.owner, seen_at=wall)
                .on_conflict_do_update(index_elements=["owner"], set_={"seen_at": wall})
            )
            # A clock that died without leaving: forgotten after a day.
            session.execute(delete(ClockSeen).where(ClockSeen.seen_at < wall - FORGET_CLOCKS_AFTER))
            clocks = session.scalar(
                select(func.count()).where(ClockSeen.seen_at > wall - CLOCK_SEEN_FOR)
            )
        return max(1, clocks or 0)

    def share(self, *, workspaces: int) -> int:
        """How many workspaces this clock may hold at once: its share of
        ``workspaces`` among the clocks seen lately, at most ``at_once``."""
        return max(1, min(self.at_once, math.ceil(workspaces / self.seen())))

    def leave(self) -> None:
        """This clock stops: the others need not leave it a share."""
        with self._sessions.begin() as session:
            session.execute(delete(ClockSeen).where(ClockSeen.owner == self.owner))

    def prepare(self, workspace_ids: Sequence[int]) -> None:
        """A lease row for each workspace, made by whichever clock meets it first."""
        if not workspace_ids:
            return
        with self._sessions.begin() as session:
            known = set(
                session.scalars(
                    select(WorkspaceLease.workspace_id).where(
                        WorkspaceLease.workspace_id.in_(workspace_ids)
                    )
                )
            )
            missing = [{"workspace_id": i} for i in workspace_ids if i not in known]
            if missing:
                session.execute(self._insert(WorkspaceLease).on_conflict_do_nothing(), missing)

    def take(self, *, workspace_ids: Sequence[int], now: dt.datetime) -> Lease | None:
        """The lease of the first of ``workspace_ids`` that no clock holds and
        none finished at ``now``, or None when there is none left. This clock's
        threads take one after another: racing each other for the same row
        would only cost UPDATEs that find it taken."""
        with self._taking:
            if self._postgres:
                return self._take_skipping_locked(workspace_ids, now=_utc(now))
            return self._take_by_update(workspace_ids, now=_utc(now))

    def _free(self, *, now: dt.datetime, wall: dt.datetime) -> ColumnElement[bool]:
        return and_(
            or_(WorkspaceLease.expires_at.is_(None), WorkspaceLease.expires_at < wall),
            or_(WorkspaceLease.ticked_at.is_(None), WorkspaceLease.ticked_at != now),
        )

    def _take_skipping_locked(
        self, workspace_ids: Sequence[int], *, now: dt.datetime
    ) -> Lease | None:
        wall = self.wall()
        with self._sessions.begin() as session:
            workspace_id = session.scalar(
                select(WorkspaceLease.workspace_id)
                .where(
                    WorkspaceLease.workspace_id.in_(workspace_ids), self._free(now=now, wall=wall)
                )
                .order_by(WorkspaceLease.workspace_id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if workspace_id is None:
                return None
            session.execute(
                update(WorkspaceLease)
                .where(WorkspaceLease.workspace_id == workspace_id)
                .values(owner=self.owner, expires_at=wall + self.ttl)
            )
        return Lease(self, workspace_id=workspace_id, expires_at=wall + self.ttl)

    def _take_by_update(self, workspace_ids: Sequence[int], *, now: dt.datetime) -> Lease | None:
        # Read, then write in a transaction of its own: a SQLite transaction that
        # reads and then writes fails at once if another wrote in between.
        wall = self.wall()
        with self._sessions.begin() as session:
            free = session.scalars(
                select(WorkspaceLease.workspace_id)
                .where(
                    WorkspaceLease.workspace_id.in_(workspace_ids), self._free(now=now, wall=wall)
                )
                .order_by(WorkspaceLease.workspace_id)
            ).all()
        for workspace_id in free:
            wall = self.wall()
            with self._sessions.begin() as session:
                taken = session.execute(
                    update(WorkspaceLease)
                    .where(
                        WorkspaceLease.workspace_id == workspace_id,
                        self._free(now=now, wall=wall),
                    )
                    .values(owner=self.owner, expires_at=wall + self.ttl)
                )
            if _rowcount(taken) == 1:
                return Lease(self, workspace_id=workspace_id, expires_at=wall + self.ttl)
        return None

    def renew(self, *, workspace_id: int) -> dt.datetime | None:
        """The lease's new expiry, or None if this clock no longer holds it."""
        wall = self.wall()
        with self._sessions.begin() as session:
            renewed = session.execute(
                update(WorkspaceLease)
                .where(
                    WorkspaceLease.workspace_id == workspace_id,
                    WorkspaceLease.owner == self.owner,
                    WorkspaceLease.expires_at >= wall,
                )
                .values(expires_at=wall + self.ttl)
            )
        return wall + self.ttl if _rowcount(renewed) == 1 else None

    def finish(self, lease: Lease, *, now: dt.datetime) -> None:
        """The workspace's work at ``now`` is done: free the lease, and say so."""
        with self._sessions.begin() as session:
            session.execute(
                update(WorkspaceLease)
                .where(
                    WorkspaceLease.workspace_id == lease.workspace_id,
                    WorkspaceLease.owner == self.owner,
                )
                .values(owner=None, expires_at=None, ticked_at=_utc(now))
            )

    def _insert(self, table: type[Any]) -> Any:
        dialect = postgresql if self._postgres else sqlite
        return dialect.insert(table)


def _rowcount(result: Any) -> int:
    return int(result.rowcount)
