"""What App Home and the team view show: overviews read in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bot.db import models as m
from bot.domain import commitments as c
from bot.domain.plans import PlanState, Visibility
from bot.domain.quarters import Quarter, quarter_of
from bot.domain.rhythm import OneOnOnes, one_on_ones
from bot.services.people import load_member
from bot.services.read_model import PlanView, domain_commitment, one_on_one_cadence, plan_view


@dataclass(frozen=True, kw_only=True)
class ReportRow:
    member_id: int
    slack_user_id: str
    name: str
    plan_id: int | None
    state: PlanState | None
    last_checkin: dt.date | None
    progress: float | None  # mean progress over commitments, each capped at 100%
    one_on_ones: OneOnOnes | None = None


class OverviewService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def public_plans(self, *, viewer_id: int, today: dt.date, limit: int = 10) -> list[PlanView]:
        """This quarter's public plans in the viewer's workspace: leaders' first."""
        session = self._session
        viewer = load_member(session, viewer_id)
        quarter = quarter_of(today, viewer.workspace.fiscal_start_month)
        plans = session.scalars(
            select(m.Plan)
            .join(m.Member, m.Member.id == m.Plan.owner_id)
            .where(
                m.Member.workspace_id == viewer.workspace_id,
                m.Plan.visibility == Visibility.PUBLIC,
                m.Plan.fiscal_year == quarter.fiscal_year,
                m.Plan.quarter == quarter.number,
            )
            .order_by(m.Plan.updated_at.desc())
            .limit(limit)
            .options(selectinload(m.Plan.commitments), selectinload(m.Plan.wins))
        ).all()
        return [plan_view(session, plan, viewer=viewer) for plan in plans]

    def past_plans(self, *, owner_id: int, today: dt.date) -> list[tuple[Quarter, PlanState]]:
        session = self._session
        owner = load_member(session, owner_id)
        current = quarter_of(today, owner.workspace.fiscal_start_month)
        rows = session.execute(
            select(m.Plan.fiscal_year, m.Plan.quarter, m.Plan.state)
            .where(m.Plan.owner_id == owner_id)
            .order_by(m.Plan.fiscal_year.desc(), m.Plan.quarter.desc())
        )
        month = owner.workspace.fiscal_start_month
        return [
            (Quarter(year, number, month), state)
            for year, number, state in rows
            if (year, number) < (current.fiscal_year, current.number)
        ]

    def team_overview(self, *, manager_id: int, today: dt.date) -> list[ReportRow]:
        """The manager's direct reports with plan state, last check-in and
        progress, in a fixed number of queries however many reports there are."""
        session = self._session
        manager = load_member(session, manager_id)
        quarter = quarter_of(today, manager.workspace.fiscal_start_month)
        reports = session.scalars(
            select(m.Member)
            .where(m.Member.manager_id == manager_id)
            .order_by(m.Member.display_name)
        ).all()
        if not reports:
            return []
        plans = {
            plan.owner_id: plan
            for plan in session.scalars(
                select(m.Plan)
                .where(
                    m.Plan.owner_id.in_([r.id for r in reports]),
                    m.Plan.fiscal_year == quarter.fiscal_year,
                    m.Plan.quarter == quarter.number,
                )
                .options(selectinload(m.Plan.commitments), selectinload(m.Plan.manager_commitments))
            )
        }
        history = _checkin_history(session, [plan.id for plan in plans.values()])
        return [_report_row(report, plans.get(report.id), history=history) for report in reports]


@dataclass(frozen=True, kw_only=True)
class _History:
    """What the team's check-ins say, for every plan at once."""

    last_checkin: dict[int, dt.date]  # by plan
    values: dict[int, list[float]]  # by commitment, oldest week first
    answers: dict[int, list[bool | None]]  # "did the 1:1 happen", by plan
    manager_answers: dict[int, list[bool | None]]  # the same weeks, as the manager answered


def _checkin_history(session: Session, plan_ids: list[int]) -> _History:
    history = _History(last_checkin={}, values={}, answers={}, manager_answers={})
    if not plan_ids:
        return history
    counted = (m.CheckIn.plan_id.in_(plan_ids), m.CheckIn.skipped.is_(False))
    for plan_id, week in session.execute(
        select(m.CheckIn.plan_id, func.max(m.CheckIn.week_start))
        .where(*counted)
        .group_by(m.CheckIn.plan_id)
    ):
        history.last_checkin[plan_id] = week
    for plan_id, happened, manager_said in session.execute(
        select(m.CheckIn.plan_id, m.CheckIn.one_on_one_happened, m.CheckIn.manager_one_on_one)
        .where(*counted)
        .order_by(m.CheckIn.week_start)
    ):
        history.answers.setdefault(plan_id, []).append(happened)
        history.manager_answers.setdefault(plan_id, []).append(manager_said)
    for commitment_id, value in session.execute(
        select(m.CheckInValue.commitment_id, m.CheckInValue.value)
        .join(m.CheckIn, m.CheckIn.id == m.CheckInValue.checkin_id)
        .where(*counted)
        .order_by(m.CheckIn.week_start)
    ):
        history.values.setdefault(commitment_id, []).append(value)
    return history


def _report_row(report: m.Member, plan: m.Plan | None, *, history: _History) -> ReportRow:
    if plan is None:
        return ReportRow(
            member_id=report.id,
            slack_user_id=report.slack_user_id,
            name=report.display_name,
            plan_id=None,
            state=None,
            last_checkin=None,
            progress=None,
            one_on_ones=None,
        )
    progress = None
    if plan.commitments:
        scores = [
            min(1.0, c.commitment_progress(domain_commitment(row), history.values.get(row.id, [])))
            for row in plan.commitments
        ]
        progress = sum(scores) / len(scores)
    return ReportRow(
        member_id=report.id,
        slack_user_id=report.slack_user_id,
        name=report.display_name,
        plan_id=plan.id,
        state=plan.state,
        last_checkin=history.last_checkin.get(plan.id),
        progress=progress,
        one_on_ones=one_on_ones(
            cadence_weeks=one_on_one_cadence(plan),
            answers=history.answers.get(plan.id, []),
            manager_answers=history.manager_answers.get(plan.id, []),
        ),
    )
