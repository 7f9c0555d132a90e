"""Writing a plan's revisions: its lock, its content, its acknowledgements."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain.content import ManagerSide, PlanContent
from bot.domain.errors import NotFound
from bot.domain.keys import is_id
from bot.domain.plans import PlanState, move
from bot.services.read_model import ack_status_of


def lock_plan(session: Session, plan_id: int) -> None:
    """Take the plan for this transaction before reading anything: owner and
    manager acknowledging at the same moment must each see the other's
    acknowledgement, or neither makes the plan active. The no-op update locks
    the row on PostgreSQL and takes SQLite's write lock, before any read (so
    SQLite never has to upgrade a stale read to a write)."""
    if not is_id(plan_id):
        raise NotFound("You can't see that plan.")
    session.execute(
        update(m.Plan)
        .where(m.Plan.id == plan_id)
        .values(revision=m.Plan.revision)
        .execution_options(synchronize_session=False)
    )


def write_content(session: Session, plan: m.Plan, *, content: PlanContent) -> None:
    plan.aspiration = content.aspiration
    plan.strengths = content.strengths
    plan.growth_areas = content.growth_areas
    plan.feedback_acted_on = content.feedback_acted_on
    plan.visibility = content.visibility
    _write_commitments(session, plan, content=content)
    write_manager_side(session, plan, side=content.manager)


def write_manager_side(session: Session, plan: m.Plan, *, side: ManagerSide) -> None:
    """The manager's side of the plan: 1:1 cadence, coaching focus, support."""
    manager_rows = []
    if side.one_on_one_cadence_weeks:
        manager_rows.append(
            m.ManagerCommitment(
                kind=m.ManagerCommitmentKind.ONE_ON_ONE,
                description="1:1",
                cadence_weeks=side.one_on_one_cadence_weeks,
            )
        )
    if side.coaching_focus:
        manager_rows.append(
            m.ManagerCommitment(
                kind=m.ManagerCommitmentKind.COACHING, description=side.coaching_focus
            )
        )
    if side.other_support:
        manager_rows.append(
            m.ManagerCommitment(
                kind=m.ManagerCommitmentKind.SUPPORT, description=side.other_support
            )
        )
    plan.manager_commitments = manager_rows
    session.flush()


def _write_commitments(session: Session, plan: m.Plan, *, content: PlanContent) -> None:
    """The plan's commitments as ``content`` has them, each matched to the one
    it revises by identity (its id, which the builder carries), else (no id:
    a caller that names them by title) by title: a rename or a new bar edits
    the row, so its check-ins stay with it. One removed is retired in the
    plan's revision (``plan.revision``, the one being written) when it has
    check-ins, which stay with the revisions that had it; else it is deleted."""
    current = list(plan.commitments)
    by_id = {row.id: row for row in current}
    wanted = [by_id.pop(c.id) if c.id in by_id else None for c in content.commitments]
    by_title = {row.title.casefold(): row for row in by_id.values()}
    for index, commitment in enumerate(content.commitments):
        if wanted[index] is None and commitment.id is None:
            wanted[index] = by_title.pop(commitment.title.casefold(), None)
    kept = {row.id for row in wanted if row is not None}
    for row in current:
        if row.id in kept:
            continue
        if session.scalar(
            select(m.CheckInValue.id).where(m.CheckInValue.commitment_id == row.id).limit(1)
        ):
            row.retired_in_revision = plan.revision
        else:
            session.delete(row)
    # Retired and deleted rows leave the plan's list before titles move: two
    # commitments may have swapped titles, and a new one may take a retired title.
    session.flush()
    session.expire(plan, ["commitments"])
    for position, (commitment, found) in enumerate(zip(content.commitments, wanted, strict=True)):
        row = found or m.Commitment()
        row.position = position
        row.title = commitment.title
        row.kind = commitment.kind
        row.unit = commitment.unit
        row.baseline = commitment.baseline
        row.target = commitment.target
        row.direction = commitment.direction
        row.rollup = commitment.rollup
        row.due_date = commitment.due_date
        if found is None:
            plan.commitments.append(row)
    session.flush()
    session.expire(plan, ["commitments"])


def record_acknowledgement(
    session: Session, plan: m.Plan, *, member_id: int, revision: int, now: dt.datetime
) -> None:
    already = session.scalar(
        select(m.Acknowledgement.id).where(
            m.Acknowledgement.plan_id == plan.id,
            m.Acknowledgement.revision == revision,
            m.Acknowledgement.member_id == member_id,
        )
    )
    if already is None:
        session.add(
            m.Acknowledgement(
                plan_id=plan.id, revision=revision, member_id=member_id, acknowledged_at=now
            )
        )
        session.flush()
    activate_if_acknowledged(session, plan)


def activate_if_acknowledged(session: Session, plan: m.Plan) -> None:
    """A proposed plan is active once everyone it needs acknowledged its revision."""
    if plan.state is PlanState.PROPOSED and ack_status_of(session, plan).complete:
        plan.state = move(plan.state, PlanState.ACTIVE)
        session.flush()
