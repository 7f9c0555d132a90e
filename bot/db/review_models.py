"""The quarterly review's records: the review, each commitment's bar, and the
team standards it raises (re-exported by bot/db/models.py)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Float, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, enum_column, utcnow
from bot.domain.commitments import Direction


class Review(Base):
    """The quarterly raise-the-bar review of a plan."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), unique=True)
    owner_reflection: Mapped[str] = mapped_column(Text, default="")
    manager_reflection: Mapped[str] = mapped_column(Text, default="")
    wins_summary: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[dt.datetime | None]
    next_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    # "owner", "early" (undoable) or "grace"; drafted_next: it drafted next quarter's plan.
    closed_by: Mapped[str] = mapped_column(String(16), default="owner", server_default="owner")
    drafted_next: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReviewBar(Base):
    """One commitment's actual and the bar chosen for next quarter."""

    __tablename__ = "review_bars"
    __table_args__ = (UniqueConstraint("review_id", "commitment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    actual: Mapped[float | None] = mapped_column(Float)
    proposed_baseline: Mapped[float] = mapped_column(Float)
    proposed_target: Mapped[float] = mapped_column(Float)
    chosen_baseline: Mapped[float] = mapped_column(Float)
    chosen_target: Mapped[float] = mapped_column(Float)
    lowered_reason: Mapped[str | None] = mapped_column(Text)


class TeamStandard(Base):
    """A team's minimum bar for one metric, set and approved by its leader."""

    __tablename__ = "team_standards"
    __table_args__ = (UniqueConstraint("team_id", "metric_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    metric_key: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(150))
    unit: Mapped[str] = mapped_column(String(40), default="")
    direction: Mapped[Direction] = mapped_column(enum_column(Direction), default=Direction.UP)
    minimum: Mapped[float | None] = mapped_column(Float)
    proposed_minimum: Mapped[float | None] = mapped_column(Float)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    approved_at: Mapped[dt.datetime | None]
