"""Check-ins as CSV: one row per value a check-in recorded (a check-in without
values, a skipped week say, is one row with the commitment's columns empty)."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain.quarters import Quarter
from bot.services.export import Scope, to_json

COLUMNS = (
    "workspace",
    "slack_user_id",
    "name",
    "quarter",
    "week_start",
    "skipped",
    "skip_reason",
    "confidence",
    "win",
    "blocker",
    "one_on_one_happened",
    "commitment",
    "unit",
    "value",
    "submitted_at",
    "updated_at",
)


# A check-in's own columns, in the order checkins_csv reads them.
_CHECKIN_COLUMNS = (
    m.CheckIn.id,
    m.CheckIn.week_start,
    m.CheckIn.skipped,
    m.CheckIn.skip_reason,
    m.CheckIn.confidence,
    m.CheckIn.win,
    m.CheckIn.blocker,
    m.CheckIn.one_on_one_happened,
    m.CheckIn.submitted_at,
    m.CheckIn.updated_at,
)


def _in_scope(scope: Scope) -> list[ColumnElement[bool]]:
    """What keeps a query joined to the plan's owner and workspace to the scope."""
    conditions = []
    if scope.slack_team_id is not None:
        conditions.append(m.Workspace.slack_team_id == scope.slack_team_id)
    if scope.slack_user_id is not None:
        conditions.append(m.Member.slack_user_id == scope.slack_user_id)
    return conditions


def _checkins(session: Session, scope: Scope) -> list[Any]:
    query = (
        select(
            *_CHECKIN_COLUMNS,
            m.Plan.fiscal_year,
            m.Plan.quarter,
            m.Member.slack_user_id,
            m.Member.display_name,
            m.Workspace.slack_team_id,
        )
        .join(m.Plan, m.Plan.id == m.CheckIn.plan_id)
        .join(m.Member, m.Member.id == m.Plan.owner_id)
        .join(m.Workspace, m.Workspace.id == m.Member.workspace_id)
        .order_by(m.Workspace.id, m.Member.id, m.CheckIn.week_start)
    )
    return list(session.execute(query.where(*_in_scope(scope))))


def _values(session: Session, scope: Scope) -> dict[int, list[tuple[str, str, float]]]:
    """Each check-in's values, with their commitment's title and unit, in the plan's order."""
    query = (
        select(
            m.CheckInValue.checkin_id, m.Commitment.title, m.Commitment.unit, m.CheckInValue.value
        )
        .join(m.Commitment, m.Commitment.id == m.CheckInValue.commitment_id)
        .join(m.Plan, m.Plan.id == m.Commitment.plan_id)
        .join(m.Member, m.Member.id == m.Plan.owner_id)
        .join(m.Workspace, m.Workspace.id == m.Member.workspace_id)
        .order_by(m.Commitment.position, m.Commitment.id)
    )
    values: dict[int, list[tuple[str, str, float]]] = {}
    for checkin_id, title, unit, value in session.execute(query.where(*_in_scope(scope))):
        values.setdefault(checkin_id, []).append((title, unit, value))
    return values


def checkins_csv(session: Session, *, scope: Scope) -> str:
    """The scope's check-ins, with whose they are and for which quarter and week."""
    values = _values(session, scope)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in _checkins(session, scope):
        (
            id_,
            week,
            skipped,
            reason,
            confidence,
            win,
            blocker,
            one_on_one,
            submitted,
            updated,
            year,
            quarter,
            user,
            name,
            team,
        ) = row
        common = [
            team,
            user,
            name,
            Quarter(year, quarter).label,
            week.isoformat(),
            skipped,
            reason or "",
            "" if confidence is None else confidence,
            win or "",
            blocker or "",
            "" if one_on_one is None else one_on_one,
        ]
        measured = [[title, unit, repr(value)] for title, unit, value in values.get(id_, [])]
        for what in measured or [["", "", ""]]:
            writer.writerow([*common, *what, to_json(submitted), to_json(updated)])
    return out.getvalue()
