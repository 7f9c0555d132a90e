"""The outbox's records: deliveries, each claimed once before it is sent, and
where each check-in's reply sits in its team thread.

The unique key on (workspace, key) is the only lock: whichever process
inserts the row first owns the delivery; any other process, or the same job
run again, finds the row and sends nothing. Every method is its own
transaction, committed before it returns: a claim is in the database before
the Slack call it guards.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.db.base import Base
from bot.db.models import CheckIn, Delivery, DeliveryState, Plan
from bot.db.session import Database
from bot.domain.plans import Visibility


@dataclass(frozen=True, kw_only=True)
class Claim:
    id: int
    key: str
    # True when this caller inserted the row. False when the row was already
    # there: either sent, failed, or left pending by a process that died.
    fresh: bool
    state: DeliveryState
    ts: str | None
    claimed_at: dt.datetime
    channel_id: str | None = None


# A fan-out claims and records thousands of deliveries: those statements are
# Core, built once (SQLAlchemy's compiled cache does the rest), values as parameters.
DELIVERIES = Base.metadata.tables["deliveries"]
CLAIM = insert(DELIVERIES).returning(DELIVERIES.c.id)
RECORD = update(DELIVERIES).where(DELIVERIES.c.id == bindparam("delivery_id"))
OUTBOX = "outbox"  # the ``unit`` its sessions carry in their info, told apart from use cases


# Keys this process knows are settled (sent, or failed for good), at most this
# many: a clock that lives for weeks forgets the oldest half past it.
SETTLED_MEMORY = 100_000


class OutboxStore:
    """One per process, kept across ticks: besides the database's records it
    remembers which deliveries it saw settled, so a tick that finds the same
    reminder or review request due again costs nothing, instead of a claim
    refused by the unique key every minute until it is stale. The database
    stays the only lock: another process's sends are found by their claims."""

    def __init__(self, db: Database) -> None:
        self._sessions = sessionmaker(db.engine, expire_on_commit=False, info={"unit": OUTBOX})
        self._settled: dict[tuple[int, str], None] = {}  # insertion-ordered: oldest first
        self._settled_lock = threading.Lock()

    def settled(self, *, workspace_id: int, key: str) -> bool:
        """Whether this process saw the delivery sent, or failed for good."""
        with self._settled_lock:
            return (workspace_id, key) in self._settled

    def remember_settled(self, *, workspace_id: int, key: str) -> None:
        with self._settled_lock:
            self._settled[(workspace_id, key)] = None
            if len(self._settled) > SETTLED_MEMORY:
                for old in list(self._settled)[: SETTLED_MEMORY // 2]:
                    del self._settled[old]

    def learn_settled(self, *, workspace_id: int, keys: list[str]) -> None:
        """Look up at once, by the unique (workspace, key) index, which of
        ``keys`` are settled, and remember them: one statement for a team's
        reminders however many members it has, not one refused claim each
        (a clock just started remembers nothing)."""
        with self._settled_lock:
            unknown = [key for key in keys if (workspace_id, key) not in self._settled]
        if not unknown:
            return
        with self._sessions.begin() as session:
            found = session.scalars(
                select(Delivery.key).where(
                    Delivery.workspace_id == workspace_id,
                    Delivery.key.in_(unknown),
                    Delivery.state != DeliveryState.PENDING,
                )
            ).all()
        for key in found:
            self.remember_settled(workspace_id=workspace_id, key=key)

    def forget_settled(self, *, workspace_id: int, key: str) -> None:
        """The database has no sent record of ``key`` (deleted with what it
        posted: a check-in deleted by its owner): send it again when asked."""
        with self._settled_lock:
            self._settled.pop((workspace_id, key), None)

    def claim(
        self,
        *,
        workspace_id: int,
        key: str,
        kind: str,
        due_at: dt.datetime,
        now: dt.datetime,
        channel_id: str | None = None,
    ) -> Claim:
        try:
            with self._sessions.begin() as session:
                # One INSERT ... RETURNING (a fan-out claims thousands: no unit of work).
                delivery_id = session.connection().scalar(
                    CLAIM,
                    {
                        "workspace_id": workspace_id,
                        "key": key,
                        "kind": kind,
                        "channel_id": channel_id,
                        "due_at": due_at,
                        "claimed_at": now,
                        "attempts": 1,
                        "state": DeliveryState.PENDING,
                    },
                )
                assert delivery_id is not None
                return Claim(
                    id=delivery_id,
                    key=key,
                    fresh=True,
                    state=DeliveryState.PENDING,
                    ts=None,
                    claimed_at=now,
                    channel_id=channel_id,
                )
        except IntegrityError:
            with self._sessions.begin() as session:
                existing = session.scalars(
                    select(Delivery).where(
                        Delivery.workspace_id == workspace_id, Delivery.key == key
                    )
                ).one()
                return Claim(
                    id=existing.id,
                    key=key,
                    fresh=False,
                    state=existing.state,
                    ts=existing.ts,
                    claimed_at=_aware(existing.claimed_at),
                    channel_id=existing.channel_id,
                )

    def take_over(
        self, *, delivery_id: int, seen_claimed_at: dt.datetime, now: dt.datetime
    ) -> bool:
        """Take over a delivery left pending by a process that died, unless
        another process took it over first (compare-and-swap on claimed_at)."""
        with self._sessions.begin() as session:
            result = session.execute(
                update(Delivery)
                .where(
                    Delivery.id == delivery_id,
                    Delivery.state == DeliveryState.PENDING,
                    Delivery.claimed_at == seen_claimed_at,
                )
                .values(claimed_at=now, attempts=Delivery.attempts + 1)
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def sent_ts(self, *, workspace_id: int, key: str) -> tuple[str, str] | None:
        with self._sessions.begin() as session:
            row = session.execute(
                select(Delivery.channel_id, Delivery.ts).where(
                    Delivery.workspace_id == workspace_id,
                    Delivery.key == key,
                    Delivery.state == DeliveryState.SENT,
                )
            ).one_or_none()
            if row is None or row[0] is None or row[1] is None:
                return None
            return row[0], row[1]

    def mark_sent(self, *, delivery_id: int, channel_id: str, ts: str, now: dt.datetime) -> None:
        with self._sessions.begin() as session:
            session.connection().execute(
                RECORD,
                {
                    "delivery_id": delivery_id,
                    "state": DeliveryState.SENT,
                    "channel_id": channel_id,
                    "ts": ts,
                    "sent_at": now,
                    "error": None,
                },
            )

    def release(self, *, delivery_id: int) -> None:
        """Forget a claim whose message was not sent, so it can be sent later."""
        with self._sessions.begin() as session:
            session.execute(
                delete(Delivery).where(
                    Delivery.id == delivery_id, Delivery.state == DeliveryState.PENDING
                )
            )

    def mark_failed(self, *, delivery_id: int, error: str) -> None:
        with self._sessions.begin() as session:
            session.connection().execute(
                RECORD,
                {"delivery_id": delivery_id, "state": DeliveryState.FAILED, "error": error[:200]},
            )

    def state(self, *, workspace_id: int, key: str) -> DeliveryState | None:
        with self._sessions.begin() as session:
            return session.scalar(
                select(Delivery.state).where(
                    Delivery.workspace_id == workspace_id, Delivery.key == key
                )
            )

    def reply_of(self, *, plan_id: int, monday: dt.date) -> tuple[str, str] | None:
        """The channel and ts of a check-in's reply in its team thread, if posted."""
        with self._sessions.begin() as session:
            row = session.execute(
                select(CheckIn.reply_channel_id, CheckIn.reply_ts).where(
                    CheckIn.plan_id == plan_id, CheckIn.week_start == monday
                )
            ).one_or_none()
            if row is None or row[0] is None or row[1] is None:
                return None
            return row[0], row[1]

    def set_reply(self, *, plan_id: int, monday: dt.date, channel_id: str, ts: str) -> None:
        with self._sessions.begin() as session:
            checkin = session.scalars(
                select(CheckIn).where(CheckIn.plan_id == plan_id, CheckIn.week_start == monday)
            ).one()
            checkin.reply_channel_id = channel_id
            checkin.reply_ts = ts

    def record_shared_post(self, *, plan_id: int, channel_id: str, ts: str) -> bool:
        """Keep a post in the leaders channel as the plan's one post there, to
        update and (when it stops being public) delete. False when the plan is
        no longer public, or already has another post: delete this one."""
        with self._sessions.begin() as session:
            plan = session.get_one(Plan, plan_id, with_for_update=True)
            if plan.shared_ts is not None:
                return plan.shared_ts == ts and plan.shared_channel_id == channel_id
            if plan.visibility is not Visibility.PUBLIC:
                return False
            plan.shared_channel_id = channel_id
            plan.shared_ts = ts
            return True

    def forget_shared_post(self, *, plan_id: int, ts: str) -> None:
        """The plan's post in the leaders channel is gone (deleted)."""
        with self._sessions.begin() as session:
            session.execute(
                update(Plan)
                .where(Plan.id == plan_id, Plan.shared_ts == ts)
                .values(shared_channel_id=None, shared_ts=None)
            )


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes for timezone-aware columns.
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
