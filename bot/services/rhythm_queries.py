"""The weekly rhythm's hot statements, built once (building a statement costs
more CPU than running it), with the facts as parameters."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import aliased

from bot.db import models as m

# Built once: one team with its workspace's facts, as RhythmService.teams reads them all.
TEAM = (
    select(
        m.Team,
        m.Workspace.fiscal_start_month,
        m.Workspace.slack_team_id,
        m.Workspace.review_window_days,
    )
    .join(m.Workspace, m.Workspace.id == m.Team.workspace_id)
    .where(m.Team.id == bindparam("team_id"), m.Workspace.uninstalled_at.is_(None))
)


_MANAGER = aliased(m.Member)
# A team's members with a plan in a quarter, and their manager (a manager who
# left is asked nothing: their reports name a new one). Built once.
ROSTER = (
    select(m.Member, m.Plan.id, m.Plan.visibility, _MANAGER.slack_user_id)
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
