"""Clocks that share the work: a lease per workspace, and the clocks seen lately.

Only the clock holding a workspace's lease sends for it, so any number of
``myplan clock`` processes together stay within that workspace's Slack rate
(each paces its own sends to it: bot/outbox/pacing.py). The queries are in
bot/outbox/leases.py.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class WorkspaceLease(Base):
    """Which clock sends for a workspace now (``owner`` until ``expires_at``),
    and the last tick instant a clock finished it for (``ticked_at``), so
    another clock ticking at the same instant does not go over it again."""

    __tablename__ = "workspace_leases"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    owner: Mapped[str | None] = mapped_column(String(120))
    expires_at: Mapped[dt.datetime | None]
    ticked_at: Mapped[dt.datetime | None]


class ClockSeen(Base):
    """A clock process and when it last ticked: the clocks seen lately share
    the workspaces, each taking at most its share at once."""

    __tablename__ = "clocks_seen"

    owner: Mapped[str] = mapped_column(String(120), primary_key=True)
    seen_at: Mapped[dt.datetime]
