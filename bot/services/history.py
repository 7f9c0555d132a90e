"""Past quarters and trends: a plan as it closed, its review, its revisions, its numbers.

Who may open a past quarter is what the plan's visibility allowed, as for any
plan, and also whoever managed its owner during that quarter, with the
managers above them as the chain stood when the quarter ended: a former
manager keeps read access to the quarters they managed. Everything is read
from the database; the ids a payload carries are only hints.

Each read is a few statements, whatever the history's length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain import trends as t
from bot.domain.commitments import CommitmentKind
from bot.domain.errors import NotFound, PermissionDenied
from bot.domain.keys import is_id
from bot.domain.managers import managers_during
from bot.domain.permissions import plan_access
from bot.domain.plans import PlanState
from bot.domain.quarters import Quarter, quarter_of
from bot.domain.revisions import diff
from bot.services.people import load_member, viewer_of
from bot.services.read_model import (
    PlanView,
    assignments_above,
    domain_commitment,
    load_plan,
    plan_facts,
    plan_quarter,
    plan_view,
)

CANT_SEE = "You can't see that plan."


@dataclass(frozen=True, kw_only=True)
class PastQuarterRef:
    plan_id: int
    quarter: Quarter
    state: PlanState


@dataclass(frozen=True, kw_only=True)
class QuarterList:
    owner_id: int
    owner_name: str
    quarters: tuple[PastQuarterRef, ...]  # newest first


@dataclass(frozen=True, kw_only=True)
class BarView:
    title: str
    unit: str
    actual: float | None
    proposed_baseline: float
    proposed_target: float
    chosen_baseline: float
    chosen_target: float
    lowered_reason: str | None


@dataclass(frozen=True, kw_only=True)
class ReviewView:
    owner_reflection: str
    manager_reflection: str
    completed_at: dt.datetime | None
    bars: tuple[BarView, ...]


@dataclass(frozen=True, kw_only=True)
class RevisionView:
    number: int
    author_name: str
    created_at: dt.datetime
    changes: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class PastQuarter:
    plan: PlanView
    owner_name: str
    review: ReviewView | None
    revisions: tuple[RevisionView, ...]  # newest first


@dataclass(frozen=True, kw_only=True)
class Trends:
    plan_id: int
    quarter: Quarter
    owner_name: str
    trends: tuple[t.Trend, ...]  # the plan's numeric commitments, in its order
    milestones: tuple[str, ...]  # "MEDDICC cert: done" lines: nothing to chart


class HistoryService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def plan_in_quarter(self, *, owner_id: int, fiscal_year: int, number: int) -> int:
        """The owner's plan of that quarter (App Home names a quarter, not a plan)."""
        if not (is_id(fiscal_year) and isinstance(number, int) and 1 <= number <= 4):
            raise NotFound(CANT_SEE)
        plan_id = self._session.scalar(
            select(m.Plan.id).where(
                m.Plan.owner_id == owner_id,
                m.Plan.fiscal_year == fiscal_year,
                m.Plan.quarter == number,
            )
        )
        if plan_id is None:
            raise NotFound(CANT_SEE)
        return int(plan_id)

    def past_quarters(self, *, viewer_id: int, owner_id: int, today: dt.date) -> QuarterList:
        """The owner's quarters before this one that the viewer may open, newest first."""
        session = self._session
        viewer = load_member(session, viewer_id)
        owner = load_member(session, owner_id)
        current = quarter_of(today, owner.workspace.fiscal_start_month)
        plans = [
            plan
            for plan in _owner_plans(session, owner.id)
            if (plan.fiscal_year, plan.quarter) < (current.fiscal_year, current.number)
        ]
        seen = _visible(session, owner=owner, viewer=viewer, plans=plans)
        month = owner.workspace.fiscal_start_month
        return QuarterList(
            owner_id=owner.id,
            owner_name=owner.display_name or owner.slack_user_id,
            quarters=tuple(
                PastQuarterRef(
                    plan_id=plan.id,
                    quarter=Quarter(plan.fiscal_year, plan.quarter, month),
                    state=plan.state,
                )
                for plan in plans
                if plan.id in seen
            ),
        )

    def past_quarter(self, *, viewer_id: int, plan_id: int) -> PastQuarter:
        """One quarter as it closed: the plan, its review, its revisions with their diffs."""
        session = self._session
        viewer = load_member(session, viewer_id)
        plan = load_plan(session, plan_id)
        if not _visible(session, owner=plan.owner, viewer=viewer, plans=[plan]):
            raise PermissionDenied(CANT_SEE)
        return PastQuarter(
            plan=plan_view(session, plan, viewer=viewer),
            owner_name=plan.owner.display_name or plan.owner.slack_user_id,
            review=_review(session, plan.id),
            revisions=_revisions(session, plan.id),
        )

    def trends(self, *, viewer_id: int, plan_id: int) -> Trends:
        """Each commitment of the plan: its weeks this quarter, and its quarters
        (this one and the earlier ones the viewer may see) side by side.
        A commitment is the same one across quarters when its title is."""
        session = self._session
        viewer = load_member(session, viewer_id)
        plan = load_plan(session, plan_id)
        owner = plan.owner
        if not _visible(session, owner=owner, viewer=viewer, plans=[plan]):
            raise PermissionDenied(CANT_SEE)
        earlier = [
            p
            for p in _owner_plans(session, owner.id)
            if (p.fiscal_year, p.quarter) < (plan.fiscal_year, plan.quarter)
        ][: t.QUARTERS_SHOWN - 1]
        seen = _visible(session, owner=owner, viewer=viewer, plans=earlier)
        plans = [plan, *(p for p in earlier if p.id in seen)]
        commitments = _commitments(session, [p.id for p in plans])
        weekly = _weekly_values(session, [row.id for row in commitments])
        by_plan: dict[int, dict[str, m.Commitment]] = {}
        for row in commitments:
            by_plan.setdefault(row.plan_id, {})[row.title.casefold()] = row
        month = owner.workspace.fiscal_start_month
        found, milestones = [], []
        for row in plan.commitments:
            this_quarter = weekly.get(row.id, [])
            if row.kind is CommitmentKind.MILESTONE:
                done = bool(this_quarter) and this_quarter[-1][1] >= 1
                milestones.append(f"{row.title}: {'done' if done else 'not yet'}")
                continue
            earlier_points = [
                t.quarter_point(
                    domain_commitment(same),
                    [value for _, value in weekly.get(same.id, [])],
                    label=Quarter(p.fiscal_year, p.quarter, month).label,
                )
                for p in reversed(plans[1:])
                if (same := by_plan.get(p.id, {}).get(row.title.casefold())) is not None
                and same.kind is not CommitmentKind.MILESTONE
            ]
            found.append(
                _trend(
                    row,
                    weeks=this_quarter,
                    earlier=earlier_points,
                    label=plan_quarter(plan).label,
                    # A closed quarter is whole; an open one is "so far".
                    current=plan.state not in (PlanState.CLOSED, PlanState.LEFT),
                )
            )
        return Trends(
            plan_id=plan.id,
            quarter=plan_quarter(plan),
            owner_name=owner.display_name or owner.slack_user_id,
            trends=tuple(found),
            milestones=tuple(milestones),
        )


def _trend(
    row: m.Commitment,
    *,
    weeks: Sequence[tuple[dt.date, float]],
    earlier: Sequence[t.QuarterPoint],
    label: str,
    current: bool,
) -> t.Trend:
    values = [value for _, value in weeks]
    return t.Trend(
        title=row.title,
        unit=row.unit,
        kind=row.kind,
        direction=row.direction,
        target=row.target,
        weeks=tuple(t.WeekPoint(week=week, value=value) for week, value in weeks),
        quarters=(
            *earlier,
            t.quarter_point(domain_commitment(row), values, label=label, current=current),
        ),
    )


def _owner_plans(session: Session, owner_id: int) -> list[m.Plan]:
    """The owner's plans, newest quarter first (their rows only, not their content)."""
    return list(
        session.scalars(
            select(m.Plan)
            .where(m.Plan.owner_id == owner_id)
            .order_by(m.Plan.fiscal_year.desc(), m.Plan.quarter.desc())
        )
    )


def _visible(
    session: Session, *, owner: m.Member, viewer: m.Member, plans: Sequence[m.Plan]
) -> set[int]:
    """The ids of ``plans`` (all the owner's) that ``viewer`` may open: what
    each plan's visibility allows today, and the quarters the viewer managed
    (or was above who did); the assignment history is read once, if needed."""
    if viewer.workspace_id != owner.workspace_id:
        return set()
    if viewer.id == owner.id:
        return {plan.id for plan in plans}
    seen = {
        plan.id
        for plan in plans
        if plan_access(viewer_of(viewer), plan_facts(session, plan, viewer=viewer)).view
    }
    rest = [plan for plan in plans if plan.id not in seen]
    if not rest:
        return seen
    history = assignments_above(session, owner.id)
    month = owner.workspace.fiscal_start_month
    for plan in rest:
        quarter = Quarter(plan.fiscal_year, plan.quarter, month)
        during = managers_during(
            history,
            member_id=owner.id,
            start=dt.datetime.combine(quarter.start, dt.time(), tzinfo=dt.UTC),
            end=dt.datetime.combine(quarter.end, dt.time(), tzinfo=dt.UTC),
        )
        if viewer.id in during:
            seen.add(plan.id)
    return seen


def _review(session: Session, plan_id: int) -> ReviewView | None:
    review = session.scalar(select(m.Review).where(m.Review.plan_id == plan_id))
    if review is None:
        return None
    rows = session.execute(
        select(m.ReviewBar, m.Commitment.title, m.Commitment.unit)
        .join(m.Commitment, m.Commitment.id == m.ReviewBar.commitment_id)
        .where(m.ReviewBar.review_id == review.id)
        .order_by(m.Commitment.position)
    )
    return ReviewView(
        owner_reflection=review.owner_reflection,
        manager_reflection=review.manager_reflection,
        completed_at=review.completed_at,
        bars=tuple(
            BarView(
                title=title,
                unit=unit,
                actual=bar.actual,
                proposed_baseline=bar.proposed_baseline,
                proposed_target=bar.proposed_target,
                chosen_baseline=bar.chosen_baseline,
                chosen_target=bar.chosen_target,
                lowered_reason=bar.lowered_reason,
            )
            for bar, title, unit in rows
        ),
    )


def _revisions(session: Session, plan_id: int) -> tuple[RevisionView, ...]:
    """Every revision with what changed from the one before, newest first."""
    rows = session.execute(
        select(m.Revision.number, m.Revision.snapshot, m.Revision.created_at, m.Member)
        .outerjoin(m.Member, m.Member.id == m.Revision.author_id)
        .where(m.Revision.plan_id == plan_id)
        .order_by(m.Revision.number)
    )
    found = []
    before: dict[str, str] = {}
    for number, snapshot, created_at, author in rows:
        after = {str(k): str(v) for k, v in (snapshot or {}).items()}
        found.append(
            RevisionView(
                number=number,
                author_name=(author.display_name or author.slack_user_id) if author else "myplan",
                created_at=created_at,
                changes=tuple(change.line for change in diff(before, after)),
            )
        )
        before = after
    return tuple(reversed(found))


def _commitments(session: Session, plan_ids: Iterable[int]) -> list[m.Commitment]:
    ids = list(plan_ids)
    if not ids:
        return []
    return list(
        session.scalars(
            select(m.Commitment).where(m.Commitment.plan_id.in_(ids)).order_by(m.Commitment.id)
        )
    )


def _weekly_values(
    session: Session, commitment_ids: Sequence[int]
) -> dict[int, list[tuple[dt.date, float]]]:
    """Each commitment's checked-in values with their week, oldest first."""
    found: dict[int, list[tuple[dt.date, float]]] = {}
    if not commitment_ids:
        return found
    rows = session.execute(
        select(m.CheckInValue.commitment_id, m.CheckIn.week_start, m.CheckInValue.value)
        .join(m.CheckIn, m.CheckIn.id == m.CheckInValue.checkin_id)
        .where(m.CheckInValue.commitment_id.in_(commitment_ids), m.CheckIn.skipped.is_(False))
        .order_by(m.CheckIn.week_start)
    )
    for commitment_id, week, value in rows:
        found.setdefault(commitment_id, []).append((week, value))
    return found
