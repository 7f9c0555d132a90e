"""The weekly rhythm's hot statements, built once (building a statement costs
more CPU than running it), with the facts as parameters.

The clock reads the teams every tick and a team's roster most hours, so each
is a module constant that SQLAlchemy's compiled cache finds by identity. They
read columns, not ORM entities: nothing a tick reads is changed through them.
"""

from __future__ import annotations

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import aliased

from bot.db import models as m

# Each team's current members' time zones.
_MEMBER_ZONES = (
    select(m.Member.team_id, m.Member.timezone)
    .where(m.Member.team_id.is_not(None), m.Member.deactivated_at.is_(None))
    .distinct()
    .subquery()
)

# Every team of every installed workspace, with its workspace's settings: a
# row a team and member zone (one with none when it has no member), one round
# trip a tick rather than two.
_TEAM_COLUMNS = (
    m.Team.id,
    m.Team.workspace_id,
    m.Team.name,
    m.Team.channel_id,
    m.Team.checkin_weekday,
    m.Team.checkin_time,
    m.Team.timezone,
    m.Team.holidays.label("team_holidays"),
    m.Workspace.slack_team_id,
    m.Workspace.fiscal_start_month,
    m.Workspace.review_window_days,
    m.Workspace.grace_days,
    m.Workspace.working_days,
    m.Workspace.holidays,
    m.Workspace.leaders_channel_id,
)
TEAMS = (
    select(*_TEAM_COLUMNS, _MEMBER_ZONES.c.timezone.label("member_zone"))
    .join(m.Workspace, m.Workspace.id == m.Team.workspace_id)
    .outerjoin(_MEMBER_ZONES, _MEMBER_ZONES.c.team_id == m.Team.id)
    .where(m.Workspace.uninstalled_at.is_(None))
    .order_by(m.Team.id)
)
# One team, the same facts as TEAMS (a check-in and a review read the member's).
TEAM = (
    select(*_TEAM_COLUMNS)
    .join(m.Workspace, m.Workspace.id == m.Team.workspace_id)
    .where(m.Team.id == bindparam("team_id"), m.Workspace.uninstalled_at.is_(None))
)

_MANAGER = aliased(m.Member)
# A team's members with a plan in a quarter, and their manager (a manager who
# left is asked nothing: their reports name a new one). Built once.
ROSTER = (
    select(
        m.Member.id,
        m.Member.slack_user_id,
        m.Member.display_name,
        m.Member.timezone,
        m.Member.away_until,
        m.Member.checkin_reminders,
        m.Member.manager_id,
        m.Plan.id.label("plan_id"),
        m.Plan.visibility,
        _MANAGER.slack_user_id.label("manager_slack_user_id"),
    )
    .join(m.Plan, m.Plan.owner_id == m.Member.id)
    .outerjoin(
        _MANAGER, and_(_MANAGER.id == m.Member.manager_id, _MANAGER.deactivated_at.is_(None))
    )
    .where(
        m.Member.team_id == bindparam("team_id"),
        m.Member.deactivated_at.is_(None),
        m.Plan.fiscal_year == bindparam("year"),
        m.Plan.quarter == bindparam("quarter"),
        m.Plan.state.in_(bindparam("states", expanding=True)),
    )
    .order_by(m.Member.display_name, m.Member.id)
)

# Where each of some plans stands on the week of ``monday``.
WEEK_CHECKINS = select(m.CheckIn.plan_id, m.CheckIn.skipped, m.CheckIn.confidence).where(
    m.CheckIn.plan_id.in_(bindparam("plan_ids", expanding=True)),
    m.CheckIn.week_start == bindparam("monday"),
)
