"""Scheduled deliveries: each message is claimed once, before it is sent.

The unique key on (workspace, key) is the only lock: whichever process
inserts the row first owns the delivery; any other process, or the same job
run again, finds the row and sends nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db.models import Delivery, DeliveryState
from bot.db.session import Database


@dataclass(frozen=True, kw_only=True)
class Claim:
    id: int
    key: str
    # True when this caller inserted the row. False when the row was already
    # there: either sent, failed, or left pending by a process that died.
    fresh: bool
    state: DeliveryState
    ts: str | None


class DeliveryService:
    def __init__(self, db: Database) -> None:
        self._db = db

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
            with self._db.sessions.begin() as session:
                delivery = Delivery(
                    workspace_id=workspace_id,
                    key=key,
                    kind=kind,
                    channel_id=channel_id,
                    due_at=due_at,
                    claimed_at=now,
                    attempts=1,
                    state=DeliveryState.PENDING,
                )
                session.add(delivery)
                session.flush()
                return Claim(id=delivery.id, key=key, fresh=True, state=delivery.state, ts=None)
        except IntegrityError:
            with self._db.sessions.begin() as session:
                existing = session.scalars(
                    select(Delivery).where(
                        Delivery.workspace_id == workspace_id, Delivery.key == key
                    )
                ).one()
                return Claim(
                    id=existing.id, key=key, fresh=False, state=existing.state, ts=existing.ts
                )

    def mark_sent(self, *, delivery_id: int, channel_id: str, ts: str, now: dt.datetime) -> None:
        with self._db.sessions.begin() as session:
            delivery = session.get_one(Delivery, delivery_id)
            delivery.state = DeliveryState.SENT
            delivery.channel_id = channel_id
            delivery.ts = ts
            delivery.sent_at = now
            delivery.error = None

    def mark_failed(self, *, delivery_id: int, error: str) -> None:
        with self._db.sessions.begin() as session:
            delivery = session.get_one(Delivery, delivery_id)
            delivery.state = DeliveryState.FAILED
            delivery.error = error[:200]

    def state(self, *, workspace_id: int, key: str) -> DeliveryState | None:
        with self._db.sessions.begin() as session:
            return session.scalar(
                select(Delivery.state).where(
                    Delivery.workspace_id == workspace_id, Delivery.key == key
                )
            )
