"""The read model several services share: a plan as its viewer may see it.

Plans, reviews, standards and the overviews all read a plan the same way:
load it, decide what the viewer may do from the database, and build a
``PlanView`` of plain values that knows nothing of the session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Row, Select, bindparam, select
from sqlalchemy.orm import Session, aliased, selectinload

from bot.db import models as m
from bot.domain import commitments as c
from bot.domain.content import ManagerSide, PlanContent
from bot.domain.conversation import Conversation
from bot.domain.errors import NotFound
from bot.domain.keys import is_id
from bot.domain.managers import Assignment, managers_during
from bot.domain.permissions import Access, PlanFacts, plan_access
from bot.domain.plans import PlanState
from bot.domain.quarters import Quarter, week_start
from bot.domain.revisions import AckStatus, ack_status
from bot.domain.rhythm import OneOnOnes, one_on_ones
from bot.services.people import managers_above, viewer_of
from bot.services.plan_reads import (
    CheckinHistory,
    PlanParts,
    checkin_history,
    core_rows,
    load_parts,
    manager_chains,
)


@dataclass(frozen=True, kw_only=True)
class CommitmentView:
    id: int
    commitment: c.Commitment
    weekly_values: tuple[float, ...]
    actual: float | None
    progress: float


@dataclass(frozen=True, kw_only=True)
class WinView:
    text: str
    happened_on: dt.date
    message_link: str | None


@dataclass(frozen=True, kw_only=True)
class PlanView:
    id: int
    owner_id: int
    owner_slack_user_id: str
    quarter: Quarter
    state: PlanState
    revision: int
    content: PlanContent
    commitments: tuple[CommitmentView, ...]
    wins: tuple[WinView, ...]
    acknowledgement: AckStatus
    manager_id: int | None
    access: Access
    one_on_ones: OneOnOnes | None = None
    # Its owner said they have no manager in this workspace (the top of the organisation).
    no_manager: bool = False
    viewer_id: int = 0  # who it was read for: ``access`` is theirs
    owner_locale: str | None = None  # Slack's: how the owner types and reads numbers
    viewer_locale: str | None = None  # Slack's: how its reader reads them
    # The weeks of its quarter so far (None: not known to whoever built it),
    # of which each commitment's weekly values report some.
    weeks_so_far: int | None = None


@dataclass(frozen=True, kw_only=True)
class PlanCard:
    """A plan with the names its card shows."""

    plan: PlanView
    owner_name: str
    manager_name: str | None
    waiting_names: tuple[str, ...]
    # Comments, suggested edits and saved feedback, as the card's reader may see them.
    conversation: Conversation = field(default_factory=Conversation)


def one_on_one_cadence(plan: m.Plan, parts: PlanParts | None = None) -> int | None:
    side = plan.manager_commitments if parts is None else parts.manager_side[plan.id]
    return next(
        (mc.cadence_weeks for mc in side if mc.kind is m.ManagerCommitmentKind.ONE_ON_ONE),
        None,
    )


def plan_quarter(plan: m.Plan) -> Quarter:
    return Quarter(plan.fiscal_year, plan.quarter, plan.owner.workspace.fiscal_start_month)


_PLAN_FOR_QUARTER = select(m.Plan).where(
    m.Plan.owner_id == bindparam("owner_id"),
    m.Plan.fiscal_year == bindparam("fiscal_year"),
    m.Plan.quarter == bindparam("quarter"),
)


def plan_for_quarter(session: Session, owner_id: int, *, quarter: Quarter) -> m.Plan | None:
    return session.scalar(
        _PLAN_FOR_QUARTER,
        {"owner_id": owner_id, "fiscal_year": quarter.fiscal_year, "quarter": quarter.number},
    )


def load_plan(session: Session, plan_id: int) -> m.Plan:
    if not is_id(plan_id):  # bounded before any query: a forged id finds nothing
        raise NotFound("You can't see that plan.")
    plan = session.scalar(
        select(m.Plan)
        .where(m.Plan.id == plan_id)
        .options(
            selectinload(m.Plan.commitments),
            selectinload(m.Plan.manager_commitments),
            selectinload(m.Plan.wins),
        )
    )
    if plan is None:
        # The same words as a plan one may not see: ids reveal nothing.
        raise NotFound("You can't see that plan.")
    return plan


def plan_by_id(session: Session, plan_id: int) -> m.Plan:
    """A plan by id without its parts: the one this transaction already read
    (plan_views keeps what it viewed), else one plain read."""
    if not is_id(plan_id):
        raise NotFound("You can't see that plan.")
    plan = session.get(m.Plan, plan_id)
    if plan is None:
        raise NotFound("You can't see that plan.")
    return plan


def plan_facts(session: Session, plan: m.Plan, *, viewer: m.Member) -> PlanFacts:
    """What decides ``viewer``'s access to ``plan``. The owner's access never
    depends on the chain of managers, so it is only looked up for others, and
    once per transaction (a check, then the view, both ask). Who managed the
    owner during the plan's quarter is looked up only for a viewer nothing
    else lets in (one statement), so lists of plans others may see cost none."""
    owner = plan.owner
    chain: tuple[int, ...] = ()
    if viewer.id != owner.id:
        chains: dict[int, tuple[int, ...]] = session.info.setdefault("manager_chains", {})
        if owner.id not in chains:
            chains[owner.id] = managers_above(session, owner.id)
        chain = chains[owner.id]
    facts = PlanFacts(
        owner_id=owner.id,
        workspace_id=owner.workspace_id,
        owner_team_id=owner.team_id,
        visibility=plan.visibility,
        manager_chain=chain,
    )
    if viewer.id == owner.id or plan_access(viewer_of(viewer), facts).view:
        return facts
    quarter = plan_quarter(plan)
    during = managers_during(
        assignments_above(session, owner.id),
        member_id=owner.id,
        start=dt.datetime.combine(quarter.start, dt.time(), tzinfo=dt.UTC),
        end=dt.datetime.combine(quarter.end, dt.time(), tzinfo=dt.UTC),
    )
    return replace(facts, former_managers=frozenset(during))


def _assignments_above_statement() -> Select[Any]:
    """Every assignment of the member, and of anyone who ever managed them,
    and so on up: one recursive query (UNION, so a loop in the data ends)."""
    history = m.ManagerAssignment
    columns = (history.member_id, history.manager_id, history.started_at, history.ended_at)
    reach = select(*columns).where(history.member_id == bindparam("member_id"))
    reach_cte = reach.cte("assignments_above", recursive=True)
    above = aliased(history)
    reach_cte = reach_cte.union(
        select(above.member_id, above.manager_id, above.started_at, above.ended_at).join(
            reach_cte, above.member_id == reach_cte.c.manager_id
        )
    )
    return select(reach_cte)


ASSIGNMENTS_ABOVE = _assignments_above_statement()


def assignments_above(session: Session, member_id: int) -> list[Assignment]:
    """Who managed the member, and those above, over time: read once per
    transaction (access to each of a member's quarters asks again)."""
    cached: dict[int, list[Assignment]] = session.info.setdefault("assignments_above", {})
    if member_id not in cached:
        cached[member_id] = [
            Assignment(member_id=member, manager_id=manager, started_at=started, ended_at=ended)
            for member, manager, started, ended in session.execute(
                ASSIGNMENTS_ABOVE, {"member_id": member_id}
            )
        ]
    return cached[member_id]


def domain_commitment(row: m.Commitment | Row[Any]) -> c.Commitment:
    return c.Commitment(
        title=row.title,
        kind=row.kind,
        unit=row.unit,
        baseline=row.baseline,
        target=row.target,
        direction=row.direction,
        rollup=row.rollup,
        due_date=row.due_date,
        id=row.id,
    )


def plan_content(plan: m.Plan, parts: PlanParts | None = None) -> PlanContent:
    if parts is None:
        rows: Sequence[Any] = plan.commitments
        side = {mc.kind: mc for mc in plan.manager_commitments}
    else:
        rows = parts.commitments[plan.id]
        side = {mc.kind: mc for mc in parts.manager_side[plan.id]}
    one_on_one = side.get(m.ManagerCommitmentKind.ONE_ON_ONE)
    coaching = side.get(m.ManagerCommitmentKind.COACHING)
    support = side.get(m.ManagerCommitmentKind.SUPPORT)
    return PlanContent(
        aspiration=plan.aspiration,
        strengths=plan.strengths,
        growth_areas=plan.growth_areas,
        feedback_acted_on=plan.feedback_acted_on,
        visibility=plan.visibility,
        commitments=tuple(domain_commitment(row) for row in rows),
        manager=ManagerSide(
            one_on_one_cadence_weeks=one_on_one.cadence_weeks if one_on_one else None,
            coaching_focus=coaching.description if coaching else "",
            other_support=support.description if support else "",
        ),
    )


def ack_status_of(session: Session, plan: m.Plan) -> AckStatus:
    acks = session.execute(
        select(m.Acknowledgement.member_id, m.Acknowledgement.revision).where(
            m.Acknowledgement.plan_id == plan.id, m.Acknowledgement.revision == plan.revision
        )
    )
    return ack_status(
        revision=plan.revision,
        owner_id=plan.owner_id,
        manager_id=plan.owner.manager_id,
        acknowledgements=[(member, rev) for member, rev in acks],
        has_no_manager=plan.owner.has_no_manager,
    )


def weeks_so_far(plan: m.Plan, *, today: dt.date | None) -> int | None:
    """The weeks of the plan's quarter up to the one of ``today`` (every week,
    once it is over or the plan is closed); None when today is not known."""
    weeks = plan_quarter(plan).week_starts()
    if plan.state in (PlanState.CLOSED, PlanState.LEFT):
        return len(weeks)
    if today is None:
        return None
    this_week = week_start(today)
    return sum(1 for monday in weeks if monday <= this_week)


_ACKS = select(
    m.Acknowledgement.plan_id, m.Acknowledgement.member_id, m.Acknowledgement.revision
).where(m.Acknowledgement.plan_id.in_(bindparam("plan_ids", expanding=True)))


def plan_views(
    session: Session,
    plans: Sequence[m.Plan],
    *,
    viewer: m.Member,
    history: CheckinHistory | None = None,
    parts: PlanParts | None = None,
    today: dt.date | None = None,
) -> list[PlanView]:
    """``plans`` as ``viewer`` may see them, in a fixed number of statements
    however many plans: their parts (when not loaded), their check-ins (unless
    ``history`` holds them), their acknowledgements and their owners' managers."""
    if not plans:
        return []
    # Kept for the transaction: a later read of one of them by id (its
    # conversation, say) finds it in the identity map, not in a new query.
    session.info.setdefault("plans_viewed", []).extend(plans)
    if parts is None:
        parts = load_parts(session, plans)
    if history is None:
        history = checkin_history(session, [plan.id for plan in plans])
    acks: dict[int, list[tuple[int, int]]] = {}
    plan_ids = sorted({plan.id for plan in plans})
    for plan_id, member_id, revision in core_rows(session, _ACKS, plan_ids=plan_ids):
        acks.setdefault(plan_id, []).append((member_id, revision))
    manager_chains(session, {plan.owner_id for plan in plans if plan.owner_id != viewer.id})
    return [
        _view(
            session,
            plan,
            viewer=viewer,
            history=history,
            parts=parts,
            acks=acks.get(plan.id, []),
            today=today,
        )
        for plan in plans
    ]


def plan_view(
    session: Session, plan: m.Plan, *, viewer: m.Member, today: dt.date | None = None
) -> PlanView:
    """The plan as ``viewer`` may see it; ``today`` (the viewer's) counts the
    weeks so far, which its roll-ups report of."""
    return plan_views(session, [plan], viewer=viewer, today=today)[0]


def _view(
    session: Session,
    plan: m.Plan,
    *,
    viewer: m.Member,
    history: CheckinHistory,
    parts: PlanParts,
    acks: list[tuple[int, int]],
    today: dt.date | None = None,
) -> PlanView:
    commitments = []
    for row in parts.commitments[plan.id]:
        domain = domain_commitment(row)
        weekly = history.values.get(row.id, [])
        commitments.append(
            CommitmentView(
                id=row.id,
                commitment=domain,
                weekly_values=tuple(weekly),
                actual=c.roll_up(weekly, domain.rollup),
                progress=c.commitment_progress(domain, weekly),
            )
        )
    content = plan_content(plan, parts)
    owner = plan.owner
    return PlanView(
        one_on_ones=one_on_ones(
            cadence_weeks=content.manager.one_on_one_cadence_weeks,
            answers=history.answers.get(plan.id, []),
            manager_answers=history.manager_answers.get(plan.id, []),
        ),
        id=plan.id,
        owner_id=plan.owner_id,
        owner_slack_user_id=owner.slack_user_id,
        quarter=plan_quarter(plan),
        state=plan.state,
        revision=plan.revision,
        content=content,
        commitments=tuple(commitments),
        wins=tuple(
            WinView(text=w.text, happened_on=w.happened_on, message_link=w.message_link)
            for w in parts.wins[plan.id]
        ),
        acknowledgement=ack_status(
            revision=plan.revision,
            owner_id=plan.owner_id,
            manager_id=owner.manager_id,
            acknowledgements=acks,
            has_no_manager=owner.has_no_manager,
        ),
        manager_id=owner.manager_id,
        no_manager=owner.manager_id is None and owner.has_no_manager,
        owner_locale=owner.locale,
        weeks_so_far=weeks_so_far(plan, today=today),
        access=plan_access(viewer_of(viewer), plan_facts(session, plan, viewer=viewer)),
        viewer_id=viewer.id,
        viewer_locale=viewer.locale,
    )
