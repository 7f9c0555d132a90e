"""The database schema: SQLAlchemy 2 typed models (their base: bot/db/base.py;
the audit of erasures: bot/db/audit.py)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.audit import Erasure
from bot.db.base import Base, enum_column, new_key, utcnow

# The clocks' leases (bot/db/leases.py), registered with the rest.
from bot.db.leases import ClockSeen as ClockSeen
from bot.db.leases import WorkspaceLease as WorkspaceLease

# The quarter's review records, in a module of their own (this one's size).
from bot.db.review_models import Review as Review
from bot.db.review_models import ReviewBar as ReviewBar
from bot.db.review_models import TeamStandard as TeamStandard
from bot.domain.commitments import CommitmentKind, Direction, Rollup
from bot.domain.plans import PlanState, Visibility


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    fiscal_start_month: Mapped[int] = mapped_column(Integer, default=1)
    leaders_channel_id: Mapped[str | None] = mapped_column(String(32))
    default_stretch: Mapped[float] = mapped_column(Float, default=0.10)
    # Working days before the quarter's last day (counting it) that its review opens.
    review_window_days: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    # The calendar (bot/domain/calendar.py): days after a quarter before an unreviewed plan closes;
    # working weekdays (0 = Monday) and holiday dates (ISO), comma-separated.
    grace_days: Mapped[int] = mapped_column(Integer, default=14, server_default="14")
    working_days: Mapped[str] = mapped_column(
        String(20), default="0,1,2,3,4", server_default="0,1,2,3,4"
    )
    holidays: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    uninstalled_at: Mapped[dt.datetime | None]

    members: Mapped[list[Member]] = relationship(back_populates="workspace")
    teams: Mapped[list[Team]] = relationship(back_populates="workspace")


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("workspace_id", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200), default="")
    channel_id: Mapped[str] = mapped_column(String(32))
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL", use_alter=True)
    )
    # 0 = Monday ... 6 = Sunday, as datetime.date.weekday().
    checkin_weekday: Mapped[int] = mapped_column(Integer, default=0)
    checkin_time: Mapped[dt.time] = mapped_column(Time, default=dt.time(9, 0))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    stretch: Mapped[float | None] = mapped_column(Float)
    holidays: Mapped[str] = mapped_column(Text, default="", server_default="")

    workspace: Mapped[Workspace] = relationship(back_populates="teams")
    members: Mapped[list[Member]] = relationship(
        back_populates="team", foreign_keys="Member.team_id"
    )


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Slack's locale ("de-DE", refreshed with the name): how they type numbers.
    locale: Mapped[str | None] = mapped_column(String(16))
    # Workspace admins/owners per Slack; refreshed from users.info.
    is_slack_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Listed as a myplan admin in settings: by whom and since when (kept while listed).
    is_settings_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    settings_admin_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )
    settings_admin_since: Mapped[dt.datetime | None]
    manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    # Stated by the member (onboarding, `/myplan manager none`): they have no
    # manager in this workspace, so their acknowledgement alone makes a plan
    # active. Without a manager and without this, a plan waits for one.
    has_no_manager: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    onboarded_at: Mapped[dt.datetime | None]
    away_until: Mapped[dt.date | None] = mapped_column(Date)
    # The weekly check-in reminder DM, which the member may turn off (/myplan reminders off).
    checkin_reminders: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Cached from conversations.open so a DM costs one call, not two.
    dm_channel_id: Mapped[str | None] = mapped_column(String(32))
    deactivated_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    workspace: Mapped[Workspace] = relationship(back_populates="members")
    team: Mapped[Team | None] = relationship(back_populates="members", foreign_keys=[team_id])
    manager: Mapped[Member | None] = relationship(remote_side=[id], foreign_keys=[manager_id])

    @property
    def is_admin(self) -> bool:
        return self.is_slack_admin or self.is_settings_admin


class ManagerAssignment(Base):
    """Who managed whom, and when: the history behind ``Member.manager_id``."""

    __tablename__ = "manager_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[dt.datetime | None]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))


class Plan(Base):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("owner_id", "fiscal_year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    state: Mapped[PlanState] = mapped_column(enum_column(PlanState), default=PlanState.DRAFT)
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.PRIVATE
    )
    aspiration: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    growth_areas: Mapped[str] = mapped_column(Text, default="")
    feedback_acted_on: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(Integer, default=0)
    # Where a leader's shared plan was posted, so an update edits that post.
    shared_channel_id: Mapped[str | None] = mapped_column(String(32))
    shared_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    owner: Mapped[Member] = relationship()
    commitments: Mapped[list[Commitment]] = relationship(  # on the plan now: not the retired
        back_populates="plan",
        primaryjoin="and_(Plan.id == Commitment.plan_id, Commitment.retired_in_revision == None)",
        order_by="Commitment.position",
        cascade="all, delete-orphan",
    )
    manager_commitments: Mapped[list[ManagerCommitment]] = relationship(
        back_populates="plan", order_by="ManagerCommitment.id", cascade="all, delete-orphan"
    )
    wins: Mapped[list[Win]] = relationship(
        back_populates="plan", order_by="Win.happened_on", cascade="all, delete-orphan"
    )


class Commitment(Base):
    # The row (id) is its identity across revisions: a rename keeps its check-ins.
    __tablename__ = "commitments"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(150))
    kind: Mapped[CommitmentKind] = mapped_column(enum_column(CommitmentKind))
    unit: Mapped[str] = mapped_column(String(40), default="")
    baseline: Mapped[float] = mapped_column(Float)
    target: Mapped[float] = mapped_column(Float)
    direction: Mapped[Direction] = mapped_column(enum_column(Direction), default=Direction.UP)
    rollup: Mapped[Rollup] = mapped_column(enum_column(Rollup))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    # The team standard this commitment measures, when it measures one.
    metric_key: Mapped[str | None] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(32), default=new_key)  # kept in next quarters
    # The revision that removed it (None: on the plan); its check-ins are kept.
    retired_in_revision: Mapped[int | None] = mapped_column(Integer)

    plan: Mapped[Plan] = relationship(back_populates="commitments")


class ManagerCommitmentKind(StrEnum):
    ONE_ON_ONE = "one_on_one"
    COACHING = "coaching"
    SUPPORT = "support"


class ManagerCommitment(Base):
    """The manager's side of the plan: 1:1 cadence, coaching focus, support."""

    __tablename__ = "manager_commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ManagerCommitmentKind] = mapped_column(enum_column(ManagerCommitmentKind))
    description: Mapped[str] = mapped_column(Text, default="")
    # For 1:1s: one every N weeks.
    cadence_weeks: Mapped[int | None] = mapped_column(Integer)

    plan: Mapped[Plan] = relationship(back_populates="manager_commitments")


class CheckIn(Base):
    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("plan_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    week_start: Mapped[dt.date] = mapped_column(Date)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    skip_reason: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[int | None] = mapped_column(Integer)
    win: Mapped[str | None] = mapped_column(Text)
    blocker: Mapped[str | None] = mapped_column(Text)
    one_on_one_happened: Mapped[bool | None] = mapped_column(Boolean)
    # The manager's own answer to "did the 1:1 happen?", from their copy of it.
    manager_one_on_one: Mapped[bool | None] = mapped_column(Boolean)
    # The reply in the team's check-in thread, so an edit updates it in place.
    reply_channel_id: Mapped[str | None] = mapped_column(String(32))
    reply_ts: Mapped[str | None] = mapped_column(String(32))
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    values: Mapped[list[CheckInValue]] = relationship(
        back_populates="checkin", cascade="all, delete-orphan"
    )


class CheckInValue(Base):
    __tablename__ = "checkin_values"
    __table_args__ = (UniqueConstraint("checkin_id", "commitment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[float] = mapped_column(Float)

    checkin: Mapped[CheckIn] = relationship(back_populates="values")


class Win(Base):
    __tablename__ = "wins"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    happened_on: Mapped[dt.date] = mapped_column(Date)
    message_link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="wins")


class Feedback(Base):
    """Feedback the owner saved to act on, e.g. from a Slack message."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    from_slack_user_id: Mapped[str | None] = mapped_column(String(32))
    message_link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlanComment(Base):
    """A comment, an answer to one, or a suggested edit on a plan."""

    __tablename__ = "plan_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    is_suggestion: Mapped[bool] = mapped_column(Boolean, default=False)
    # The comment this one answers (the owner answering a comment, say).
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_comments.id", ondelete="SET NULL")
    )
    # A suggested edit: the plan's fields as the suggester typed them in the builder.
    suggested: Mapped[dict[str, Any] | None]
    # The revision a suggested edit became when its owner applied it.
    applied_revision: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Revision(Base):
    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    snapshot: Mapped[dict[str, Any]]
    summary: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Acknowledgement(Base):
    __tablename__ = "acknowledgements"
    __table_args__ = (UniqueConstraint("plan_id", "revision", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    acknowledged_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class DeliveryState(StrEnum):
    PENDING = "pending"  # claimed; the Slack call may or may not have happened
    SENT = "sent"
    FAILED = "failed"  # Slack refused for good (channel_not_found, ...)


class Delivery(Base):
    """One scheduled message, recorded before and after it is sent.

    ``key`` names the delivery ("checkin-prompt:team=4:week=2026-12-07"); the
    unique constraint makes a second scheduler, a job run twice or a restart
    unable to claim the same delivery again.
    """

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    state: Mapped[DeliveryState] = mapped_column(
        enum_column(DeliveryState), default=DeliveryState.PENDING
    )
    channel_id: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[dt.datetime]
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]


__all__ = ["Erasure"]  # re-exported: every table is found here
