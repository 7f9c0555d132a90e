"""Several plans' parts, check-ins and owners' managers, each kind in one
statement however many plans: what read_model.plan_views and the overviews
build their views from. Columns are read with Core (core_rows), which costs
far less than loading ORM objects, and statements are built once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, String, bindparam, inspect, literal, select, type_coerce
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.services.people import MAX_CHAIN


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
        # Read as stored: a week is parsed once per check-in, not once per value.
        type_coerce(m.CheckIn.week_start, String),
        m.CheckIn.skipped,
        m.CheckIn.one_on_one_happened,
        m.CheckInValue.commitment_id,
        m.CheckInValue.value,
    )
    .outerjoin(m.CheckInValue, m.CheckInValue.checkin_id == m.CheckIn.id)
    .where(m.CheckIn.plan_id.in_(bindparam("plan_ids", expanding=True)))
    .order_by(m.CheckIn.plan_id, m.CheckIn.week_start)
)


def core_rows(session: Session, statement: Any, **parameters: Any) -> Any:
    """Rows of a statement of columns, read on the session's connection with
    Core: no ORM result machinery, which costs more than the rows themselves.
    What the session has pending is flushed first, as its own queries do."""
    session.flush()
    return session.connection().execute(statement, parameters)


def checkin_history(session: Session, plan_ids: Iterable[int]) -> CheckinHistory:
    """Every check-in (values, 1:1 answers, skips) of ``plan_ids`` in one statement."""
    history = CheckinHistory(values={}, answers={}, weeks={}, recorded={})
    wanted = sorted(set(plan_ids))
    if not wanted:
        return history
    last_checkin: int | None = None
    for plan_id, checkin_id, stored, skipped, happened, commitment_id, value in core_rows(
        session, _HISTORY, plan_ids=wanted
    ):
        if checkin_id != last_checkin:
            last_checkin = checkin_id
            week = stored if isinstance(stored, dt.date) else dt.date.fromisoformat(stored)
            history.recorded.setdefault(plan_id, set()).add(week)
            if not skipped:
                history.answers.setdefault(plan_id, []).append(happened)
                history.weeks.setdefault(plan_id, []).append(week)
        if not skipped and commitment_id is not None:
            history.values.setdefault(commitment_id, []).append(value)
    return history


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
        for start_id, manager_id in core_rows(session, MANAGER_CHAINS, member_ids=wanted):
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
            for row in core_rows(session, statement, plan_ids=sorted(missing)):
                missing[row[0]].append(row)
            by_plan.update(missing)
        found[attribute] = by_plan
    return PlanParts(
        commitments=found["commitments"],
        manager_side=found["manager_commitments"],
        wins=found["wins"],
    )
