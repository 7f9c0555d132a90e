"""People come and go: what Slack's user_change says of someone myplan knows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain.errors import ValidationError
from bot.domain.plans import PlanState, is_open, move
from bot.domain.quarters import quarter_of, zone
from bot.services.people import MemberRef, assign_manager, load_member, member_ref
from bot.services.read_model import plan_for_quarter


class LifecycleService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def known(self, *, slack_team_id: str, slack_user_id: str) -> MemberRef | None:
        """The member for a Slack user, if myplan knows them (nobody is added)."""
        session = self._session
        found = session.scalar(
            select(m.Member)
            .join(m.Workspace, m.Workspace.id == m.Member.workspace_id)
            .where(
                m.Workspace.slack_team_id == slack_team_id,
                m.Member.slack_user_id == slack_user_id,
            )
        )
        return None if found is None else member_ref(found)

    def refresh(
        self,
        *,
        member_id: int,
        display_name: str,
        timezone: str | None,
        is_slack_admin: bool,
        locale: str | None = None,
    ) -> None:
        """Keep what Slack says now: a name (an empty one changes nothing), a
        time zone (one Python does not know changes nothing), the admin flag."""
        member = load_member(self._session, member_id)
        if display_name:
            member.display_name = display_name[:200]
        if timezone:
            try:
                zone(timezone)
            except ValidationError:
                pass
            else:
                member.timezone = timezone
        member.is_slack_admin = is_slack_admin
        if locale:  # an event's user object may not carry it: none changes nothing
            member.locale = locale

    def leave(self, *, member_id: int, now: dt.datetime) -> Departure | None:
        """A deactivated Slack user is a leaver: out of every count and
        reminder from now on, every plan of theirs not closed yet closed as
        left (never deleted), and whoever they managed without a manager
        until they name a new one. None when they had left already."""
        session = self._session
        member = load_member(session, member_id)
        if member.deactivated_at is not None:
            return None
        member.deactivated_at = now
        for plan in session.scalars(select(m.Plan).where(m.Plan.owner_id == member_id)):
            if is_open(plan.state):
                plan.state = move(plan.state, PlanState.LEFT)
        reports = session.scalars(
            select(m.Member)
            .where(m.Member.manager_id == member_id, m.Member.deactivated_at.is_(None))
            .order_by(m.Member.id)
        ).all()
        for report in reports:
            report.has_no_manager = False
            assign_manager(session, member=report, manager_id=None, changed_by_id=None, now=now)
        session.execute(update(m.Team).where(m.Team.leader_id == member_id).values(leader_id=None))
        session.flush()
        return Departure(
            member=member_ref(member),
            reports=tuple(member_ref(report) for report in reports),
        )

    def come_back(self, *, member_id: int, today: dt.date) -> bool:
        """A reactivated Slack user counts again, and this quarter's plan, closed
        when they left, is theirs to take up again as a draft. False when they
        never left."""
        session = self._session
        member = load_member(session, member_id)
        if member.deactivated_at is None:
            return False
        member.deactivated_at = None
        plan = plan_for_quarter(
            session, member_id, quarter=quarter_of(today, member.workspace.fiscal_start_month)
        )
        if plan is not None and plan.state is PlanState.LEFT:
            plan.state = move(plan.state, PlanState.DRAFT)
        return True


@dataclass(frozen=True, kw_only=True)
class Departure:
    """Who left, and whom they managed (without a manager now)."""

    member: MemberRef
    reports: tuple[MemberRef, ...]
