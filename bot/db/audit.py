"""The audit of erasures: one line per person forgotten or workspace purged."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class Erasure(Base):
    """One erasure, as an audit line with no content: who was forgotten (or which
    workspace purged after its retention), when, by whom, and how much went.
    No foreign key: the line outlives what it erased."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "forget" or "purge"
    slack_team_id: Mapped[str] = mapped_column(String(32))
    slack_user_id: Mapped[str | None] = mapped_column(String(32))
    requested_by: Mapped[str] = mapped_column(String(64))
    rows_deleted: Mapped[int] = mapped_column(Integer, default=0)
    posts_deleted: Mapped[int] = mapped_column(Integer, default=0)
    posts_kept: Mapped[int] = mapped_column(Integer, default=0)
    erased_at: Mapped[dt.datetime]
