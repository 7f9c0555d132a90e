"""What App Home and the team view show: overviews read in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, bindparam, or_, select, union_all
from sqlalchemy.orm import Session, contains_eager, joinedload

from bot.db import models as m
from bot.domain import commitments as c
from bot.domain.conversation import Conversation
from bot.domain.plans import PlanState, Visibility
from bot.domain.quarters import Quarter, quarter_of, week_start
from bot.domain.rhythm import OneOnOnes, one_on_ones
from bot.services.conversation import plan_conversation
from bot.services.people import MemberRef, load_member, member_ref
from bot.services.plan_reads import CheckinHistory, PlanParts, checkin_history, load_parts
from bot.services.read_model import PlanView, domain_commitment, one_on_one_cadence, plan_views


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
    revision: int | None = None
    # The manager (the viewer) has yet to acknowledge this revision: proposed,
    # or active on a revision they were not the manager of (named mid-quarter).
    to_acknowledge: bool = False


@dataclass(frozen=True, kw_only=True)
class HomeReads:
    """Everything App Home shows, read in one pass (see OverviewService.home)."""

    plan: PlanView | None  # the viewer's plan this quarter
    checked_in_this_week: bool
    past: list[tuple[Quarter, PlanState]]
    team: list[ReportRow]
    public_plans: list[PlanView]  # this quarter's, newest first, the viewer's own left out
    owners: dict[int, MemberRef]  # the public plans' owners
    manager: MemberRef | None
    conversation: Conversation  # on the viewer's plan (empty without one)


class OverviewService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def home(self, *, viewer_id: int, today: dt.date, limit: int = 10) -> HomeReads:
        """The viewer's plan and past quarters, their reports' plans, and the
        newest ``limit`` public plans of their workspace this quarter (their
        own among them is left out) and the conversation on the viewer's plan, in
        ten statements whatever the team,
        the history or the number of public plans."""
        session = self._session
        viewer = load_member(session, viewer_id)
        quarter = quarter_of(today, viewer.workspace.fiscal_start_month)
        people = _reports_and_manager(session, viewer)
        reports = [person for person in people if person.manager_id == viewer.id]
        plans = _home_plans(session, viewer, quarter=quarter, limit=limit)
        current = [
            p for p in plans if (p.fiscal_year, p.quarter) == (quarter.fiscal_year, quarter.number)
        ]
        own = next((p for p in current if p.owner_id == viewer.id), None)
        public = sorted(
            (
                p
                for p in current
                if p.visibility is Visibility.PUBLIC and p.owner.workspace_id == viewer.workspace_id
            ),
            key=lambda p: (p.updated_at, p.id),
            reverse=True,
        )[:limit]
        by_report = {p.owner_id: p for p in current if p.owner.manager_id == viewer.id}
        shown = [*([own] if own else []), *(p for p in public if p.owner_id != viewer.id)]
        detailed = list({p.id: p for p in [*shown, *by_report.values()]}.values())
        shown_ids = {p.id for p in shown}
        parts = load_parts(
            session, detailed, without_wins=[p.id for p in detailed if p.id not in shown_ids]
        )
        history = checkin_history(session, [p.id for p in detailed])
        views = {
            view.id: view
            for view in plan_views(session, shown, viewer=viewer, history=history, parts=parts)
        }
        month = viewer.workspace.fiscal_start_month
        return HomeReads(
            plan=views[own.id] if own else None,
            checked_in_this_week=bool(
                own and week_start(today) in history.recorded.get(own.id, ())
            ),
            past=[
                (Quarter(p.fiscal_year, p.quarter, month), p.state)
                for p in sorted(plans, key=lambda p: (p.fiscal_year, p.quarter), reverse=True)
                if p.owner_id == viewer.id
                and (p.fiscal_year, p.quarter) < (quarter.fiscal_year, quarter.number)
            ],
            team=[
                _report_row(report, by_report.get(report.id), history=history, parts=parts)
                for report in reports
            ],
            public_plans=[views[p.id] for p in public if p.owner_id != viewer.id],
            owners={p.owner_id: member_ref(p.owner) for p in public},
            manager=next((member_ref(p) for p in people if p.id == viewer.manager_id), None),
            conversation=plan_conversation(session, own, viewer=viewer) if own else Conversation(),
        )

    def public_plans(self, *, viewer_id: int, today: dt.date, limit: int = 10) -> list[PlanView]:
        """This quarter's public plans in the viewer's workspace, newest first."""
        session = self._session
        viewer = load_member(session, viewer_id)
        quarter = quarter_of(today, viewer.workspace.fiscal_start_month)
        plans = session.scalars(_public_plans(viewer, quarter=quarter, limit=limit)).all()
        return plan_views(session, plans, viewer=viewer)

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
            .order_by(m.Member.display_name, m.Member.slack_user_id)
        ).all()
        if not reports:
            return []
        plans = {
            plan.owner_id: plan
            for plan in session.scalars(
                select(m.Plan).where(
                    m.Plan.owner_id.in_([r.id for r in reports]),
                    m.Plan.fiscal_year == quarter.fiscal_year,
                    m.Plan.quarter == quarter.number,
                )
            )
        }
        parts = load_parts(
            session, list(plans.values()), without_wins=[p.id for p in plans.values()]
        )
        history = checkin_history(session, [plan.id for plan in plans.values()])
        acknowledged = {
            (plan_id, revision)
            for plan_id, revision in session.execute(
                select(m.Acknowledgement.plan_id, m.Acknowledgement.revision).where(
                    m.Acknowledgement.member_id == manager_id,
                    m.Acknowledgement.plan_id.in_([plan.id for plan in plans.values()]),
                )
            )
        }
        return [
            _report_row(
                report,
                plans.get(report.id),
                history=history,
                parts=parts,
                acknowledged=acknowledged,
            )
            for report in reports
        ]


# Built once, with the viewer's facts as parameters: building a statement
# costs more CPU than running it.
_REPORTS_AND_MANAGER = (
    select(m.Member)
    .where(
        or_(m.Member.manager_id == bindparam("viewer_id"), m.Member.id == bindparam("manager_id"))
    )
    .order_by(m.Member.display_name, m.Member.id)
)


def _reports_and_manager(session: Session, viewer: m.Member) -> list[m.Member]:
    """The viewer's direct reports (by name) and their manager, in one statement."""
    return list(
        session.scalars(
            _REPORTS_AND_MANAGER, {"viewer_id": viewer.id, "manager_id": viewer.manager_id}
        )
    )


def _public_plans(viewer: m.Member, *, quarter: Quarter, limit: int) -> Select[m.Plan]:
    return (
        select(m.Plan)
        .join(m.Member, m.Member.id == m.Plan.owner_id)
        .where(
            m.Plan.visibility == Visibility.PUBLIC,
            m.Plan.fiscal_year == quarter.fiscal_year,
            m.Plan.quarter == quarter.number,
            m.Member.workspace_id == viewer.workspace_id,
        )
        .order_by(m.Plan.updated_at.desc(), m.Plan.id.desc())
        .limit(limit)
        .options(contains_eager(m.Plan.owner))
    )


def _home_plans_statement() -> Select[m.Plan]:
    """The viewer's plans of every quarter, their reports' this quarter and the
    workspace's newest public ones this quarter, owners loaded."""
    this_quarter = (
        m.Plan.fiscal_year == bindparam("fiscal_year"),
        m.Plan.quarter == bindparam("quarter"),
    )
    public = (
        select(m.Plan.id)
        .join(m.Member, m.Member.id == m.Plan.owner_id)
        .where(
            m.Plan.visibility == Visibility.PUBLIC,
            *this_quarter,
            m.Member.workspace_id == bindparam("workspace_id"),
        )
        .order_by(m.Plan.updated_at.desc(), m.Plan.id.desc())
        .limit(bindparam("limit"))
        .subquery()
    )
    wanted = union_all(
        select(m.Plan.id).where(m.Plan.owner_id == bindparam("viewer_id")),
        select(m.Plan.id)
        .join(m.Member, m.Member.id == m.Plan.owner_id)
        .where(m.Member.manager_id == bindparam("viewer_id"), *this_quarter),
        select(public.c.id),
    ).subquery()
    return select(m.Plan).join(wanted, wanted.c.id == m.Plan.id).options(joinedload(m.Plan.owner))


_HOME_PLANS = _home_plans_statement()


def _home_plans(
    session: Session, viewer: m.Member, *, quarter: Quarter, limit: int
) -> list[m.Plan]:
    """The plans App Home shows or counts (see _home_plans_statement): one statement."""
    parameters = {
        "viewer_id": viewer.id,
        "workspace_id": viewer.workspace_id,
        "fiscal_year": quarter.fiscal_year,
        "quarter": quarter.number,
        "limit": limit,
    }
    return list(session.scalars(_HOME_PLANS, parameters).unique())


def _report_row(
    report: m.Member,
    plan: m.Plan | None,
    *,
    history: CheckinHistory,
    parts: PlanParts,
    acknowledged: set[tuple[int, int]] | None = None,
) -> ReportRow:
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
    rows = parts.commitments[plan.id]
    if rows:
        scores = [
            min(1.0, c.commitment_progress(domain_commitment(row), history.values.get(row.id, [])))
            for row in rows
        ]
        progress = sum(scores) / len(scores)
    weeks = history.weeks.get(plan.id)
    return ReportRow(
        member_id=report.id,
        slack_user_id=report.slack_user_id,
        name=report.display_name,
        plan_id=plan.id,
        state=plan.state,
        last_checkin=max(weeks) if weeks else None,
        progress=progress,
        revision=plan.revision,
        to_acknowledge=acknowledged is not None
        and plan.state in (PlanState.PROPOSED, PlanState.ACTIVE)
        and (plan.id, plan.revision) not in acknowledged,
        one_on_ones=one_on_ones(
            cadence_weeks=one_on_one_cadence(plan, parts),
            answers=history.answers.get(plan.id, []),
            manager_answers=history.manager_answers.get(plan.id, []),
        ),
    )
