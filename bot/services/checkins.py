"""A week's check-in: its values read as typed, then stored in place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain import commitments as c
from bot.domain import fields
from bot.domain.errors import NotFound, ValidationError
from bot.domain.fields import measured
from bot.domain.text import clean_text


@dataclass(frozen=True, kw_only=True)
class CheckinAnswers:
    """The week's answers beside its values."""

    confidence: int | None
    win: str | None
    blocker: str | None
    one_on_one_happened: bool | None


class WeekState(StrEnum):
    THIS_WEEK = "this week"
    CHECKED_IN = "checked in"
    SKIPPED = "skipped"
    MISSED = "not checked in"


@dataclass(frozen=True, kw_only=True)
class WeekChoice:
    """A week the check-in may report: its Monday, and what it has so far."""

    monday: dt.date
    state: WeekState


@dataclass(frozen=True, kw_only=True)
class WeekCheckin:
    """A week's check-in as stored: what editing it starts from."""

    values: dict[int, float]  # commitment id -> the week's value
    answers: CheckinAnswers


# Built once: building a statement costs more CPU than running it.
_WEEK = select(m.CheckIn).where(
    m.CheckIn.plan_id == bindparam("plan_id"), m.CheckIn.week_start == bindparam("week")
)


def read_week(session: Session, *, plan_id: int, week: dt.date) -> WeekCheckin | None:
    """The check-in of the week starting ``week``; None when there is none, or
    the week was skipped (nothing was answered)."""
    checkin = session.scalar(_WEEK, {"plan_id": plan_id, "week": week})
    if checkin is None or checkin.skipped:
        return None
    return WeekCheckin(
        values={row.commitment_id: row.value for row in checkin.values},
        answers=CheckinAnswers(
            confidence=checkin.confidence,
            win=checkin.win,
            blocker=checkin.blocker,
            one_on_one_happened=checkin.one_on_one_happened,
        ),
    )


def week_states(session: Session, *, plan_id: int) -> dict[dt.date, bool]:
    """Each week the plan has a check-in for (its Monday), and whether it was
    a skip: what the check-in modal's week picker says of each week."""
    rows = session.execute(
        select(m.CheckIn.week_start, m.CheckIn.skipped).where(m.CheckIn.plan_id == plan_id)
    )
    return {monday: bool(skipped) for monday, skipped in rows}


def parse_checkin(
    plan: m.Plan,
    *,
    values: Mapping[int, str],
    confidence: int | None,
    win: str | None = None,
    blocker: str | None = None,
    locale: str | None = None,
) -> dict[int, float]:
    """Every measured commitment's value as typed, read as a number; every
    problem is reported on its own field, all at once."""
    known = {commitment.id for commitment in plan.commitments}
    if any(commitment_id not in known for commitment_id in values):
        raise NotFound("That commitment is not on this plan.")
    errors: dict[str, str] = {}
    parsed: dict[int, float] = {}
    for commitment in plan.commitments:
        try:
            parsed[commitment.id] = c.parse_number(
                values.get(commitment.id),
                field=measured(commitment.id, "value"),
                label=commitment.title,
                locale=locale,
            )
        except ValidationError as error:
            errors.update(error.errors)
    if confidence is None or not 1 <= confidence <= 5:
        errors["confidence"] = "Choose how confident you are, from 1 to 5."
    for field, text in ((fields.WIN, win), (fields.BLOCKER, blocker)):
        clean_text(text, field=field, errors=errors, what=f"the {field}")
    if errors:
        raise ValidationError(errors)
    return parsed


def write_checkin(
    session: Session,
    plan: m.Plan,
    *,
    week: dt.date,
    values: Mapping[int, float],
    answers: CheckinAnswers,
    now: dt.datetime,
) -> m.CheckIn:
    """Record (or replace) the check-in of the week starting ``week``."""
    checkin = session.scalar(
        select(m.CheckIn).where(m.CheckIn.plan_id == plan.id, m.CheckIn.week_start == week)
    )
    if checkin is None:
        checkin = m.CheckIn(plan_id=plan.id, week_start=week, submitted_at=now)
        session.add(checkin)
    checkin.skipped = False
    checkin.skip_reason = None
    checkin.confidence = answers.confidence
    checkin.win = (answers.win or "").strip() or None
    checkin.blocker = (answers.blocker or "").strip() or None
    checkin.one_on_one_happened = answers.one_on_one_happened
    checkin.updated_at = now
    # Update in place: replacing the rows would insert before deleting
    # and trip the one-value-per-commitment key. A value of a commitment the
    # plan no longer has (retired in a revision) stays: it is that one's history.
    existing = {row.commitment_id: row for row in checkin.values}
    for commitment_id, value in values.items():
        row = existing.get(commitment_id)
        if row is None:
            checkin.values.append(m.CheckInValue(commitment_id=commitment_id, value=value))
        else:
            row.value = value
    session.flush()
    return checkin
