"""Several plans' parts, check-ins and owners' managers, each kind in one
statement however many plans: what read_model.plan_views and the overviews
build their views from. Columns are read with Core (core_rows), which costs
far less than loading ORM objects, and statements are built once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Select,
    String,
    bindparam,
    inspect,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.services.people import MAX_CHAIN


@dataclass(frozen=True, kw_only=True)
class CheckinHistory:
    """What the check-ins of several plans say, read in one statement."""

    values: dict[int, list[float]]  # by commitment, oldest week first (skips left out)
    answers: dict[int, list[bool | None]]  # "did the 1:1 happen", by plan, oldest first
    manager_answers: dict[int, list[bool | None]]  # the same weeks, as the manager answered
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
        m.CheckIn.manager_one_on_one,
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
    history = CheckinHistory(values={}, answers={}, manager_answers={}, weeks={}, recorded={})
    wanted = sorted(set(plan_ids))
    if not wanted:
        return history
    last_checkin: int | None = None
    for (
        plan_id,
        checkin_id,
        stored,
        skipped,
        happened,
        manager_said,
        commitment_id,
        value,
    ) in core_rows(session, _HISTORY, plan_ids=wanted):
        if checkin_id != last_checkin:
            last_checkin = checkin_id
            week = stored if isinstance(stored, dt.date) else dt.date.fromisoformat(stored)
            history.recorded.setdefault(plan_id, set()).add(week)
            if not skipped:
                history.answers.setdefault(plan_id, []).append(happened)
                history.manager_answers.setdefault(plan_id, []).append(manager_said)
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
        # A commitment removed in a later revision keeps its check-ins, not its place.
    ).where(m.Commitment.retired_in_revision.is_(None)),
}


def _side_and_wins_statement() -> Select[Any]:
    """The manager's side and the wins of several plans, in one statement:
    (plan, part 0 side / 1 win, id, kind, text, cadence, day, link)."""
    side = select(
        m.ManagerCommitment.plan_id.label("plan_id"),
        literal(0).label("part"),
        m.ManagerCommitment.id.label("row_id"),
        type_coerce(m.ManagerCommitment.kind, String).label("kind"),
        m.ManagerCommitment.description.label("text"),
        m.ManagerCommitment.cadence_weeks.label("cadence"),
        null().label("day"),
        null().label("link"),
    ).where(m.ManagerCommitment.plan_id.in_(bindparam("side_ids", expanding=True)))
    wins = select(
        m.Win.plan_id,
        literal(1),
        m.Win.id,
        null(),
        m.Win.text,
        null(),
        type_coerce(m.Win.happened_on, String),
        m.Win.message_link,
    ).where(m.Win.plan_id.in_(bindparam("win_ids", expanding=True)))
    both = union_all(side, wins).subquery()
    return select(*both.c).order_by(both.c.plan_id, both.c.part, both.c.day, both.c.row_id)


_SIDE_AND_WINS = _side_and_wins_statement()


@dataclass(frozen=True)
class SideRow:
    """A row of the manager's side, as plan_content reads it."""

    kind: m.ManagerCommitmentKind
    description: str
    cadence_weeks: int | None


@dataclass(frozen=True)
class WinRow:
    text: str
    happened_on: dt.date
    message_link: str | None


def _side_and_wins(
    session: Session, *, side_ids: list[int], win_ids: list[int]
) -> tuple[dict[int, list[Any]], dict[int, list[Any]]]:
    side: dict[int, list[Any]] = {plan_id: [] for plan_id in side_ids}
    wins: dict[int, list[Any]] = {plan_id: [] for plan_id in win_ids}
    if not side_ids and not win_ids:
        return side, wins
    rows = core_rows(session, _SIDE_AND_WINS, side_ids=side_ids, win_ids=win_ids)
    for plan_id, part, _, kind, text, cadence, day, link in rows:
        if part == 0:
            side[plan_id].append(SideRow(m.ManagerCommitmentKind(kind), text, cadence))
        else:
            when = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
            wins[plan_id].append(WinRow(text, when, link))
    return side, wins


def load_parts(
    session: Session, plans: Sequence[m.Plan], *, without_wins: Iterable[int] = ()
) -> PlanParts:
    """The parts of ``plans`` (no wins for the plan ids ``without_wins``): at
    most two statements (commitments; the manager's side and wins), however
    many plans."""
    no_wins = set(without_wins)
    found: dict[str, dict[int, Sequence[Any]]] = {}
    missing: dict[str, list[int]] = {}
    for attribute in ("commitments", "manager_commitments", "wins"):
        found[attribute] = {}
        missing[attribute] = []
        for plan in plans:
            if attribute == "wins" and plan.id in no_wins:
                continue
            if attribute in inspect(plan).unloaded:
                missing[attribute].append(plan.id)
            else:
                found[attribute][plan.id] = getattr(plan, attribute)
    if missing["commitments"]:
        rows: dict[int, list[Any]] = {plan_id: [] for plan_id in missing["commitments"]}
        for row in core_rows(
            session, _PARTS["commitments"], plan_ids=sorted(missing["commitments"])
        ):
            rows[row[0]].append(row)
        found["commitments"].update(rows)
    side, wins = _side_and_wins(
        session,
        side_ids=sorted(missing["manager_commitments"]),
        win_ids=sorted(missing["wins"]),
    )
    found["manager_commitments"].update(side)
    found["wins"].update(wins)
    return PlanParts(
        commitments=found["commitments"],
        manager_side=found["manager_commitments"],
        wins=found["wins"],
    )
