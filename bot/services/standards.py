"""Team standards: minimum bars per metric, raised to the team's median, approved by the leader."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session, selectinload

from bot.db import models as m
from bot.domain import commitments as c
from bot.domain.errors import NotFound, PermissionDenied
from bot.domain.keys import is_id
from bot.domain.plans import PlanState
from bot.domain.quarters import Quarter
from bot.domain.raise_bar import propose_standard
from bot.services.people import load_member
from bot.services.read_model import plan_view

MIN_MEMBERS = 2  # a standard is the team's: one person's number is not a team median


@dataclass(frozen=True, kw_only=True)
class Standard:
    metric_key: str
    title: str
    unit: str
    direction: c.Direction
    minimum: float | None
    proposed: float | None
    members: int


def metric_key(commitment: c.Commitment) -> str:
    """Commitments measure the same metric when title, unit and direction agree."""
    parts = (commitment.title, commitment.unit, commitment.direction.value)
    return "|".join(part.strip().casefold() for part in parts)


class StandardsService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def propose(self, *, team_id: int, quarter: Quarter) -> list[Standard]:
        """Propose each shared metric's minimum for next quarter: the current
        one, raised to this quarter's team median when that is better."""
        session = self._session
        team = session.get(m.Team, team_id) if is_id(team_id) else None
        if team is None:
            raise NotFound("That team does not exist.")
        plans = session.scalars(
            select(m.Plan)
            .join(m.Member, m.Member.id == m.Plan.owner_id)
            .where(
                m.Member.team_id == team_id,
                m.Plan.fiscal_year == quarter.fiscal_year,
                m.Plan.quarter == quarter.number,
                m.Plan.state.in_((PlanState.ACTIVE, PlanState.IN_REVIEW, PlanState.CLOSED)),
            )
            .options(selectinload(m.Plan.commitments), selectinload(m.Plan.wins))
        ).all()
        achieved: dict[str, list[float]] = defaultdict(list)
        described: dict[str, c.Commitment] = {}
        for plan in plans:
            for cv in plan_view(session, plan, viewer=plan.owner).commitments:
                # In the targets' terms (per week for a weekly activity),
                # since a standard becomes the least a target may be.
                value = c.achieved_in_target_terms(cv.commitment, cv.weekly_values)
                if cv.commitment.is_milestone or value is None:
                    continue
                key = metric_key(cv.commitment)
                achieved[key].append(value)
                described[key] = cv.commitment
        existing = {
            row.metric_key: row
            for row in session.scalars(
                select(m.TeamStandard).where(m.TeamStandard.team_id == team_id)
            )
        }
        for key, values in achieved.items():
            if len(values) < MIN_MEMBERS:
                continue
            commitment = described[key]
            row = existing.get(key)
            if row is None:
                row = m.TeamStandard(
                    team_id=team_id,
                    metric_key=key,
                    title=commitment.title,
                    unit=commitment.unit,
                    direction=commitment.direction,
                )
                session.add(row)
                existing[key] = row
            proposed = propose_standard(
                current=row.minimum, achieved=values, direction=commitment.direction
            )
            row.proposed_minimum = None if proposed == row.minimum else proposed
        session.flush()
        counts = {key: len(values) for key, values in achieved.items()}
        return [_standard(row, counts.get(row.metric_key, 0)) for row in existing.values()]

    def approve(self, *, actor_id: int, team_id: int, now: dt.datetime) -> list[Standard]:
        """The team's leader (per the database) accepts the proposed minimums."""
        session = self._session
        load_member(session, actor_id)
        if team_leader(session, team_id) != actor_id:
            raise PermissionDenied("Only the team's leader approves its standards.")
        rows = session.scalars(
            select(m.TeamStandard).where(m.TeamStandard.team_id == team_id)
        ).all()
        for row in rows:
            if row.proposed_minimum is not None:
                row.minimum = row.proposed_minimum
                row.proposed_minimum = None
                row.approved_by_id = actor_id
                row.approved_at = now
        return [_standard(row, 0) for row in rows]

    def leader_of(self, *, team_id: int) -> int | None:
        session = self._session
        return team_leader(session, team_id)


# The team's set leader beside its current members' managers, oldest member first:
# one round trip (the clock asks it of a team each hour of its review window).
_LEADER_AND_MANAGERS = (
    select(m.Team.leader_id, m.Member.manager_id)
    .select_from(m.Team)
    .outerjoin(
        m.Member,
        and_(
            m.Member.team_id == m.Team.id,
            m.Member.manager_id.is_not(None),
            m.Member.deactivated_at.is_(None),
        ),
    )
    .where(m.Team.id == bindparam("team_id"))
    .order_by(m.Member.id)
)


def team_leader(session: Session, team_id: int) -> int | None:
    """The team's leader: the one set in settings, else who manages most of the
    team (on a tie, the manager of its longest-standing member)."""
    if not is_id(team_id):
        return None
    rows = session.execute(_LEADER_AND_MANAGERS, {"team_id": team_id}).all()
    if not rows:
        return None
    if rows[0].leader_id is not None:
        return int(rows[0].leader_id)
    managers = Counter(row.manager_id for row in rows if row.manager_id is not None)
    return managers.most_common(1)[0][0] if managers else None


def _standard(row: m.TeamStandard, members: int) -> Standard:
    return Standard(
        metric_key=row.metric_key,
        title=row.title,
        unit=row.unit,
        direction=row.direction,
        minimum=row.minimum,
        proposed=row.proposed_minimum,
        members=members,
    )
