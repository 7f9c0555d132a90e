"""Check-ins as CSV: one row per value a check-in recorded (a check-in without
values, a skipped week say, is one row with the commitment's columns empty)."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import select
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


def _checkins(session: Session, scope: Scope) -> list[Any]:
    query = (
        select(m.CheckIn, m.Plan, m.Member, m.Workspace)
        .join(m.Plan, m.Plan.id == m.CheckIn.plan_id)
        .join(m.Member, m.Member.id == m.Plan.owner_id)
        .join(m.Workspace, m.Workspace.id == m.Member.workspace_id)
        .order_by(m.Workspace.id, m.Member.id, m.CheckIn.week_start)
    )
    if scope.slack_team_id is not None:
        query = query.where(m.Workspace.slack_team_id == scope.slack_team_id)
    if scope.slack_user_id is not None:
        query = query.where(m.Member.slack_user_id == scope.slack_user_id)
    return list(session.execute(query))


def checkins_csv(session: Session, *, scope: Scope) -> str:
    """The scope's check-ins, with whose they are and for which quarter and week."""
    rows = _checkins(session, scope)
    values: dict[int, list[tuple[m.CheckInValue, m.Commitment]]] = {}
    if rows:
        for value, commitment in session.execute(
            select(m.CheckInValue, m.Commitment)
            .join(m.Commitment, m.Commitment.id == m.CheckInValue.commitment_id)
            .where(m.CheckInValue.checkin_id.in_([row[0].id for row in rows]))
            .order_by(m.Commitment.position, m.Commitment.id)
        ):
            values.setdefault(value.checkin_id, []).append((value, commitment))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for checkin, plan, member, workspace in rows:
        common = [
            workspace.slack_team_id,
            member.slack_user_id,
            member.display_name,
            Quarter(plan.fiscal_year, plan.quarter).label,
            checkin.week_start.isoformat(),
            checkin.skipped,
            checkin.skip_reason or "",
            "" if checkin.confidence is None else checkin.confidence,
            checkin.win or "",
            checkin.blocker or "",
            "" if checkin.one_on_one_happened is None else checkin.one_on_one_happened,
        ]
        times = [to_json(checkin.submitted_at), to_json(checkin.updated_at)]
        measured = [
            [commitment.title, commitment.unit, repr(value.value)]
            for value, commitment in values.get(checkin.id, [])
        ]
        for what in measured or [["", "", ""]]:
            writer.writerow([*common, *what, *times])
    return out.getvalue()
