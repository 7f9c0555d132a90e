"""The read model several services share: a plan as its viewer may see it.

Plans, reviews, standards and the overviews all read a plan the same way:
load it, decide what the viewer may do from the database, and build a
``PlanView`` of plain values that knows nothing of the session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, bindparam, inspect, literal, select
from sqlalchemy.orm import Session, selectinload

from bot.db import models as m
from bot.domain import commitments as c
from bot.domain.content import ManagerSide, PlanContent
from bot.domain.errors import NotFound
from bot.domain.keys import is_id
from bot.domain.permissions import Access, PlanFacts, plan_access
from bot.domain.plans import PlanState
from bot.domain.quarters import Quarter
from bot.domain.revisions import AckStatus, ack_status
from bot.domain.rhythm import OneOnOnes, one_on_ones
from bot.services.people import MAX_CHAIN, managers_above, viewer_of


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


@dataclass(frozen=True, kw_only=True)
class PlanCard:
    """A plan with the names its card shows."""

    plan: PlanView
    owner_name: str
    manager_name: str | None
    waiting_names: tuple[str, ...]


def one_on_one_cadence(plan: m.Plan, parts: PlanParts | None = None) -> int | None:
    side = plan.manager_commitments if parts is None else parts.manager_side[plan.id]
    return next(
        (mc.cadence_weeks for mc in side if mc.kind is m.ManagerCommitmentKind.ONE_ON_ONE),
        None,
    )


def plan_quarter(plan: m.Plan) -> Quarter:
    return Quarter(plan.fiscal_year, plan.quarter, plan.owner.workspace.fiscal_start_month)


def plan_for_quarter(session: Session, owner_id: int, *, quarter: Quarter) -> m.Plan | None:
    return session.scalar(
        select(m.Plan).where(
            m.Plan.owner_id == owner_id,
            m.Plan.fiscal_year == quarter.fiscal_year,
            m.Plan.quarter == quarter.number,
        )
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


def plan_facts(session: Session, plan: m.Plan, *, viewer: m.Member) -> PlanFacts:
    """What decides ``viewer``'s access to ``plan``. The owner's access never
    depends on the chain of managers, so it is only looked up for others, and
    once per transaction (a check, then the view, both ask)."""
    owner = plan.owner
    chain: tuple[int, ...] = ()
    if viewer.id != owner.id:
        chains: dict[int, tuple[int, ...]] = session.info.setdefault("manager_chains", {})
        if owner.id not in chains:
            chains[owner.id] = managers_above(session, owner.id)
        chain = chains[owner.id]
    return PlanFacts(
        owner_id=owner.id,
        workspace_id=owner.workspace_id,
        owner_team_id=owner.team_id,
        visibility=plan.visibility,
        manager_chain=chain,
    )


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


@dataclass(frozen=True, kw_only=True)
class CheckinHistory:
    """What the check-ins of several plans say, read in one statement."""

    values: dict[int, list[float]]  # by commitment, oldest week first (skips left out)
    answers: dict[int, list[bool | None]]  # "did the 1:1 happen", by plan, oldest first
    weeks: dict[int, list[dt.date]]  # the weeks checked in (not skipped), by plan
    recorded: dict[int, set[dt.date]]  # every week with a check-in or a skip, by plan


_HISTORY = (
    select(
        m.CheckIn.plan_id,
        m.CheckIn.id,
        m.CheckIn.week_start,
        m.CheckIn.skipped,
        m.CheckIn.one_on_one_happened,
        m.CheckInValue.commitment_id,
        m.CheckInValue.value,
    )
    .outerjoin(m.CheckInValue, m.CheckInValue.checkin_id == m.CheckIn.id)
    .where(m.CheckIn.plan_id.in_(bindparam("plan_ids", expanding=True)))
    .order_by(m.CheckIn.plan_id, m.CheckIn.week_start)
)


def checkin_history(session: Session, plan_ids: Iterable[int]) -> CheckinHistory:
    """Every check-in (values, 1:1 answers, skips) of ``plan_ids`` in one statement."""
    history = CheckinHistory(values={}, answers={}, weeks={}, recorded={})
    wanted = sorted(set(plan_ids))
    if not wanted:
        return history
    last_checkin: int | None = None
    for plan_id, checkin_id, week, skipped, happened, commitment_id, value in session.execute(
        _HISTORY, {"plan_ids": wanted}
    ):
        if checkin_id != last_checkin:
            last_checkin = checkin_id
            history.recorded.setdefault(plan_id, set()).add(week)
            if not skipped:
                history.answers.setdefault(plan_id, []).append(happened)
                history.weeks.setdefault(plan_id, []).append(week)
        if not skipped and commitment_id is not None:
            history.values.setdefault(commitment_id, []).append(value)
    return history


_ACKS = select(
    m.Acknowledgement.plan_id, m.Acknowledgement.member_id, m.Acknowledgement.revision
).where(m.Acknowledgement.plan_id.in_(bindparam("plan_ids", expanding=True)))


def _manager_chains_statement() -> Select[Any]:
    chain = (
        select(
            m.Member.id.label("start_id"),
            m.Member.manager_id.label("manager_id"),
            literal(1).label("depth"),
        )
        .where(m.Member.id.in_(bindparam("member_ids", expanding=True)))
        .cte("chains", recursive=True)
    )
    chain = chain.union_all(
        select(chain.c.start_id, m.Member.manager_id, chain.c.depth + 1)
        .join(chain, m.Member.id == chain.c.manager_id)
        .where(chain.c.depth < MAX_CHAIN)
    )
    return (
        select(chain.c.start_id, chain.c.manager_id)
        .where(chain.c.manager_id.is_not(None))
        .order_by(chain.c.start_id, chain.c.depth)
    )


# Built once, as people.MANAGERS_ABOVE: the managers above several members in one statement.
MANAGER_CHAINS = _manager_chains_statement()


def manager_chains(session: Session, member_ids: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """The managers above each member, nearest first, in one statement, kept
    for the transaction (plan_facts reads them from there)."""
    chains: dict[int, tuple[int, ...]] = session.info.setdefault("manager_chains", {})
    wanted = sorted(set(member_ids) - set(chains))
    if wanted:
        found: dict[int, list[int]] = {member_id: [] for member_id in wanted}
        stopped: set[int] = set()
        for start_id, manager_id in session.execute(MANAGER_CHAINS, {"member_ids": wanted}):
            managers = found[start_id]
            if start_id in stopped or manager_id == start_id or manager_id in managers:
                stopped.add(start_id)  # a loop in bad data
                continue
            managers.append(manager_id)
        chains.update({member_id: tuple(managers) for member_id, managers in found.items()})
    return chains


@dataclass(frozen=True, kw_only=True)
class PlanParts:
    """Several plans' commitments, manager's side and wins, by plan: the ORM
    collections where the session has them loaded (changes not yet committed
    included), else rows read with Core, which cost far less to load."""

    commitments: dict[int, Sequence[Any]]
    manager_side: dict[int, Sequence[Any]]
    wins: dict[int, Sequence[Any]]


def _parts_statement(*columns: Any, plan_id: Any, order: tuple[Any, ...]) -> Select[Any]:
    return (
        select(plan_id, *columns)
        .where(plan_id.in_(bindparam("plan_ids", expanding=True)))
        .order_by(plan_id, *order)
    )


_PARTS: dict[str, Select[Any]] = {
    "commitments": _parts_statement(
        m.Commitment.id,
        m.Commitment.title,
        m.Commitment.kind,
        m.Commitment.unit,
        m.Commitment.baseline,
        m.Commitment.target,
        m.Commitment.direction,
        m.Commitment.rollup,
        m.Commitment.due_date,
        plan_id=m.Commitment.plan_id,
        order=(m.Commitment.position, m.Commitment.id),
    ),
    "manager_commitments": _parts_statement(
        m.ManagerCommitment.kind,
        m.ManagerCommitment.description,
        m.ManagerCommitment.cadence_weeks,
        plan_id=m.ManagerCommitment.plan_id,
        order=(m.ManagerCommitment.id,),
    ),
    "wins": _parts_statement(
        m.Win.text,
        m.Win.happened_on,
        m.Win.message_link,
        plan_id=m.Win.plan_id,
        order=(m.Win.happened_on, m.Win.id),
    ),
}


def load_parts(
    session: Session, plans: Sequence[m.Plan], *, without_wins: Iterable[int] = ()
) -> PlanParts:
    """The parts of ``plans`` (no wins for the plan ids ``without_wins``): at
    most one statement per kind, however many plans."""
    no_wins = set(without_wins)
    found: dict[str, dict[int, Sequence[Any]]] = {}
    for attribute, statement in _PARTS.items():
        wanted = [p for p in plans if attribute != "wins" or p.id not in no_wins]
        by_plan: dict[int, Sequence[Any]] = {}
        missing: dict[int, list[Any]] = {}
        for plan in wanted:
            if attribute in inspect(plan).unloaded:
                missing[plan.id] = []
            else:
                by_plan[plan.id] = getattr(plan, attribute)
        if missing:
            for row in session.execute(statement, {"plan_ids": sorted(missing)}):
                missing[row[0]].append(row)
            by_plan.update(missing)
        found[attribute] = by_plan
    return PlanParts(
        commitments=found["commitments"],
        manager_side=found["manager_commitments"],
        wins=found["wins"],
    )


def plan_views(
    session: Session,
    plans: Sequence[m.Plan],
    *,
    viewer: m.Member,
    history: CheckinHistory | None = None,
    parts: PlanParts | None = None,
) -> list[PlanView]:
    """``plans`` as ``viewer`` may see them, in a fixed number of statements
    however many plans: their parts (when not loaded), their check-ins (unless
    ``history`` holds them), their acknowledgements and their owners' managers."""
    if not plans:
        return []
    if parts is None:
        parts = load_parts(session, plans)
    if history is None:
        history = checkin_history(session, [plan.id for plan in plans])
    acks: dict[int, list[tuple[int, int]]] = {}
    for plan_id, member_id, revision in session.execute(
        _ACKS, {"plan_ids": sorted({plan.id for plan in plans})}
    ):
        acks.setdefault(plan_id, []).append((member_id, revision))
    manager_chains(session, {plan.owner_id for plan in plans if plan.owner_id != viewer.id})
    return [
        _view(
            session, plan, viewer=viewer, history=history, parts=parts, acks=acks.get(plan.id, [])
        )
        for plan in plans
    ]


def plan_view(session: Session, plan: m.Plan, *, viewer: m.Member) -> PlanView:
    return plan_views(session, [plan], viewer=viewer)[0]


def _view(
    session: Session,
    plan: m.Plan,
    *,
    viewer: m.Member,
    history: CheckinHistory,
    parts: PlanParts,
    acks: list[tuple[int, int]],
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
        access=plan_access(viewer_of(viewer), plan_facts(session, plan, viewer=viewer)),
    )
