"""The weekly rhythm's data: teams, who owes a check-in, skips and thread replies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from bot.db import models as m
from bot.domain.calendar import DEFAULT_GRACE_DAYS, WorkingCalendar, calendar_of
from bot.domain.errors import NotFound, ValidationError
from bot.domain.plans import PlanState, Visibility
from bot.domain.quarters import quarter_of, week_start
from bot.domain.rhythm import DEFAULT_REVIEW_WINDOW_DAYS
from bot.domain.text import REASON_MAX, clean_text
from bot.services.people import load_member, manages_someone_here
from bot.services.rhythm_queries import ROSTER, TEAM, TEAMS, WEEK_CHECKINS

OPEN_STATES = (PlanState.PROPOSED, PlanState.ACTIVE, PlanState.IN_REVIEW)
# What a review is asked of: a plan both sides acknowledged (a proposed one has nothing to review).
REVIEWABLE_STATES = (PlanState.ACTIVE, PlanState.IN_REVIEW)


@dataclass(frozen=True, kw_only=True)
class TeamRow:
    id: int
    workspace_id: int
    slack_team_id: str
    name: str
    channel_id: str
    checkin_weekday: int
    checkin_time: dt.time
    timezone: str
    fiscal_start_month: int
    review_window_days: int = DEFAULT_REVIEW_WINDOW_DAYS
    grace_days: int = DEFAULT_GRACE_DAYS
    # The workspace's working weekdays, its holidays and the team's.
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    # Its current members' time zones (None: not read; any zone may be one).
    member_zones: frozenset[str] | None = None
    # The workspace's leaders channel (None: none, or not read).
    leaders_channel_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class RosterRow:
    member_id: int
    slack_user_id: str
    name: str
    timezone: str
    plan_id: int
    visibility: Visibility
    checked_in: bool
    skipped: bool
    away: bool
    confidence: int | None
    manager_slack_user_id: str | None = None
    manager_id: int | None = None
    reminders: bool = True  # the member's check-in reminders are on (/myplan reminders)

    @property
    def expected(self) -> bool:
        """Whether a check-in is expected from this member this week."""
        return self.checked_in or not (self.skipped or self.away)


@dataclass(frozen=True, kw_only=True)
class LeaderRow:
    member_id: int
    slack_user_id: str
    name: str
    plan_id: int | None
    public: bool
    posted: bool = False  # the plan has its post in the leaders channel already


@dataclass(frozen=True, kw_only=True)
class LeaderSeat:
    """A leader the leaders' thread of a week expects, as a roster's row."""

    member_id: int
    name: str
    checked_in: bool
    skipped: bool
    away: bool

    @property
    def expected(self) -> bool:
        return self.checked_in or not (self.skipped or self.away)


class RhythmService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def teams(self) -> list[TeamRow]:
        """Every team of every installed workspace, with its members' zones. One query,
        a row a team and zone."""
        teams: dict[int, Any] = {}
        zones: dict[int, set[str]] = {}
        for row in self._session.execute(TEAMS):
            teams[row.id] = row
            zones.setdefault(row.id, set())
            if row.member_zone is not None:
                zones[row.id].add(row.member_zone)
        return [_team_row(row, zones=frozenset(zones[row.id])) for row in teams.values()]

    def roster(
        self,
        *,
        team_id: int,
        prompt_day: dt.date,
        fiscal_start_month: int,
        states: tuple[PlanState, ...] = OPEN_STATES,
    ) -> list[RosterRow]:
        """The team's members with a plan in ``states`` in the quarter of the prompt's
        day (a week can straddle two), and where each stands on it. Two queries."""
        quarter = quarter_of(prompt_day, fiscal_start_month)
        monday = week_start(prompt_day)
        session = self._session
        members = session.execute(
            ROSTER,
            {
                "team_id": team_id,
                "year": quarter.fiscal_year,
                "quarter": quarter.number,
                "states": list(states),
            },
        ).all()
        checkins = (
            {
                row.plan_id: row
                for row in session.execute(
                    WEEK_CHECKINS, {"plan_ids": [row.plan_id for row in members], "monday": monday}
                )
            }
            if members
            else {}
        )
        rows = []
        for member in members:
            checkin = checkins.get(member.plan_id)
            rows.append(
                RosterRow(
                    member_id=member.id,
                    slack_user_id=member.slack_user_id,
                    name=member.display_name or member.slack_user_id,
                    timezone=member.timezone,
                    plan_id=member.plan_id,
                    visibility=member.visibility,
                    checked_in=checkin is not None and not checkin.skipped,
                    skipped=checkin is not None and checkin.skipped,
                    away=member.away_until is not None and member.away_until >= monday,
                    confidence=checkin.confidence if checkin else None,
                    manager_slack_user_id=member.manager_slack_user_id,
                    manager_id=member.manager_id if member.manager_slack_user_id else None,
                    reminders=member.checkin_reminders,
                )
            )
        return rows

    def leaders_channel(self, *, workspace_id: int) -> str | None:
        session = self._session
        return session.scalar(
            select(m.Workspace.leaders_channel_id).where(m.Workspace.id == workspace_id)
        )

    def leaders(
        self, *, workspace_id: int, day: dt.date, fiscal_start_month: int
    ) -> list[LeaderRow]:
        """Members with at least one report, with their plan for the quarter of ``day``."""
        quarter = quarter_of(day, fiscal_start_month)
        report = aliased(m.Member)
        session = self._session
        leaders = session.scalars(
            select(m.Member)
            .where(
                m.Member.workspace_id == workspace_id,
                m.Member.deactivated_at.is_(None),
                manages_someone_here(report),
            )
            .order_by(m.Member.display_name, m.Member.id)
        ).all()
        plans = (
            {
                plan.owner_id: plan
                for plan in session.scalars(
                    select(m.Plan).where(
                        m.Plan.owner_id.in_([leader.id for leader in leaders]),
                        m.Plan.fiscal_year == quarter.fiscal_year,
                        m.Plan.quarter == quarter.number,
                    )
                )
            }
            if leaders
            else {}
        )
        return [
            LeaderRow(
                member_id=leader.id,
                slack_user_id=leader.slack_user_id,
                name=leader.display_name or leader.slack_user_id,
                plan_id=plans[leader.id].id if leader.id in plans else None,
                public=leader.id in plans and plans[leader.id].visibility is Visibility.PUBLIC,
                posted=leader.id in plans and plans[leader.id].shared_ts is not None,
            )
            for leader in leaders
        ]

    def leaders_roster(
        self, *, workspace_id: int, monday: dt.date, fiscal_start_month: int
    ) -> list[LeaderSeat]:
        """The leaders the leaders' thread of the week of ``monday`` expects:
        those with an open plan in a quarter the week touches (a week can
        straddle two), and where each stands on that week's check-in, on
        whichever of their plans it is. Two queries."""
        quarters = {quarter_of(monday + dt.timedelta(days=d), fiscal_start_month) for d in (0, 6)}
        report = aliased(m.Member)
        session = self._session
        rows = session.execute(
            select(m.Member, m.Plan.id, m.Plan.state)
            .join(m.Plan, m.Plan.owner_id == m.Member.id)
            .where(
                m.Member.workspace_id == workspace_id,
                m.Member.deactivated_at.is_(None),
                manages_someone_here(report),
                or_(
                    *(
                        and_(m.Plan.fiscal_year == q.fiscal_year, m.Plan.quarter == q.number)
                        for q in quarters
                    )
                ),
            )
            .order_by(m.Member.display_name, m.Member.id)
        ).all()
        weeks = (
            {
                plan_id: skipped
                for plan_id, skipped in session.execute(
                    select(m.CheckIn.plan_id, m.CheckIn.skipped).where(
                        m.CheckIn.plan_id.in_([plan_id for _, plan_id, _ in rows]),
                        m.CheckIn.week_start == monday,
                    )
                )
            }
            if rows
            else {}
        )
        leaders: dict[int, m.Member] = {}
        plans: dict[int, list[int]] = {}
        seated: set[int] = set()
        for leader, plan_id, state in rows:
            leaders.setdefault(leader.id, leader)
            plans.setdefault(leader.id, []).append(plan_id)
            if state in OPEN_STATES:
                seated.add(leader.id)
        return [
            LeaderSeat(
                member_id=leader.id,
                name=leader.display_name or leader.slack_user_id,
                checked_in=any(weeks.get(p) is False for p in plans[leader.id]),
                skipped=any(weeks.get(p) is True for p in plans[leader.id]),
                away=leader.away_until is not None and leader.away_until >= monday,
            )
            for leader in leaders.values()
            if leader.id in seated
        ]

    def is_leader(self, *, member_id: int) -> bool:
        reports = select(m.Member.id).where(
            m.Member.manager_id == member_id, m.Member.deactivated_at.is_(None)
        )
        return self._session.scalar(reports.limit(1)) is not None

    def skip(self, *, actor_id: int, day: dt.date, reason: str) -> dt.date:
        """Skip the week containing ``day`` (leave, holiday): no reminder, no gap."""
        errors: dict[str, str] = {}
        clean = clean_text(reason, field="reason", errors=errors, limit=REASON_MAX, what="why")
        if not clean and not errors:
            errors["reason"] = "Say why, like `/myplan skip on holiday`."
        if errors:
            raise ValidationError(errors)
        session = self._session
        actor = load_member(session, actor_id)
        quarter = quarter_of(day, actor.workspace.fiscal_start_month)
        plan = session.scalar(
            select(m.Plan).where(
                m.Plan.owner_id == actor_id,
                m.Plan.fiscal_year == quarter.fiscal_year,
                m.Plan.quarter == quarter.number,
            )
        )
        if plan is None:
            raise NotFound("You have no plan this quarter, so there is nothing to skip.")
        monday = week_start(day)
        checkin = session.scalar(
            select(m.CheckIn).where(m.CheckIn.plan_id == plan.id, m.CheckIn.week_start == monday)
        )
        if checkin is not None and not checkin.skipped:
            raise ValidationError({"reason": "You already checked in this week."})
        if checkin is None:
            checkin = m.CheckIn(plan_id=plan.id, week_start=monday)
            session.add(checkin)
        checkin.skipped = True
        checkin.skip_reason = clean
        return monday

    def set_away(self, *, actor_id: int, until: dt.date | None) -> None:
        session = self._session
        load_member(session, actor_id).away_until = until

    def set_reminders(self, *, actor_id: int, on: bool) -> None:
        """The member's check-in reminders on or off (review requests stay)."""
        session = self._session
        load_member(session, actor_id).checkin_reminders = on

    def team_of_member(self, *, member_id: int) -> TeamRow | None:
        """The member's team (if its workspace is installed): one indexed read,
        not every team of every workspace (a check-in opens and saves with it)."""
        session = self._session
        team_id = load_member(session, member_id).team_id
        if team_id is None:
            return None
        found = session.execute(TEAM, {"team_id": team_id}).one_or_none()
        return _team_row(found, zones=None) if found is not None else None


def _team_row(row: Any, *, zones: frozenset[str] | None) -> TeamRow:
    """A team as TEAMS and TEAM read it."""
    return TeamRow(
        id=row.id,
        workspace_id=row.workspace_id,
        slack_team_id=row.slack_team_id,
        name=row.name,
        channel_id=row.channel_id,
        checkin_weekday=row.checkin_weekday,
        checkin_time=row.checkin_time,
        timezone=row.timezone,
        fiscal_start_month=row.fiscal_start_month,
        review_window_days=row.review_window_days,
        grace_days=row.grace_days,
        calendar=calendar_of(row.working_days, row.holidays, row.team_holidays),
        member_zones=zones,
        leaders_channel_id=row.leaders_channel_id,
    )
