"""What waits for a manager: the proposed plans waiting for them, the
reflections they wrote, what a revision changed (their digest's reads)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from bot.db import models as m
from bot.domain.plans import PlanState


@dataclass(frozen=True, kw_only=True)
class WaitedOn:
    """A proposed plan waiting for its owner's manager, as the clock reads it."""

    manager_id: int
    timezone: str
    workspace_id: int
    slack_team_id: str
    fiscal_start_month: int
    working_days: str
    holidays: str
    fiscal_year: int
    quarter: int
    since: dt.datetime | None  # when its revision was last acknowledged (None: never)


class WaitingService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def waited_on(self) -> list[WaitedOn]:
        """Every proposed plan still waiting for its owner's manager, with that
        manager and their workspace: one statement, from the plans' state index."""
        return [
            WaitedOn(
                manager_id=manager.id,
                timezone=manager.timezone,
                workspace_id=workspace.id,
                slack_team_id=workspace.slack_team_id,
                fiscal_start_month=workspace.fiscal_start_month,
                working_days=workspace.working_days,
                holidays=workspace.holidays,
                fiscal_year=year,
                quarter=number,
                since=_aware(since) if since is not None else None,
            )
            for manager, workspace, year, number, since in self._session.execute(_WAITED_ON)
        ]

    def reflected(self, *, plan_ids: list[int]) -> set[int]:
        """Which of the plans have their manager's reflection on the quarter."""
        return set(
            self._session.scalars(
                select(m.Review.plan_id).where(
                    m.Review.plan_id.in_(plan_ids), m.Review.manager_reflection != ""
                )
            )
        )

    def revision_summary(self, *, plan_id: int) -> str:
        """What the plan's current revision changed ("" for its first)."""
        summary = self._session.scalar(
            select(m.Revision.summary)
            .join(m.Plan, m.Plan.id == m.Revision.plan_id)
            .where(m.Revision.plan_id == plan_id, m.Revision.number == m.Plan.revision)
        )
        return summary or ""


_OWNER, _MANAGER = aliased(m.Member), aliased(m.Member)
_WAITED_ON = (
    select(
        _MANAGER,
        m.Workspace,
        m.Plan.fiscal_year,
        m.Plan.quarter,
        # Since when it waits: the latest acknowledgement of this revision
        # (the owner's, proposing it), as the acting request's clock said.
        select(func.max(m.Acknowledgement.acknowledged_at))
        .where(
            m.Acknowledgement.plan_id == m.Plan.id,
            m.Acknowledgement.revision == m.Plan.revision,
        )
        .scalar_subquery(),
    )
    .select_from(m.Plan)
    .join(_OWNER, _OWNER.id == m.Plan.owner_id)
    .join(_MANAGER, _MANAGER.id == _OWNER.manager_id)
    .join(m.Workspace, m.Workspace.id == _MANAGER.workspace_id)
    .where(
        m.Plan.state == PlanState.PROPOSED,
        _OWNER.deactivated_at.is_(None),
        _MANAGER.deactivated_at.is_(None),
        m.Workspace.uninstalled_at.is_(None),
        ~select(m.Acknowledgement.id)
        .where(
            m.Acknowledgement.plan_id == m.Plan.id,
            m.Acknowledgement.revision == m.Plan.revision,
            m.Acknowledgement.member_id == _OWNER.manager_id,
        )
        .exists(),
    )
)


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
