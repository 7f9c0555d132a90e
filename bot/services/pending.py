"""What the clock still owes, found for every team at once.

An idle tick must cost what is due, not what is pending: a team whose
reminders went out at 15:00 stays in its reminder day until midnight, and a
team in its review window stays there for a week. Rather than read each such
team's roster every minute to find that everything was sent, one indexed
query per kind of work names the teams that still owe something now; only
those are read. Each query builds the outbox's keys (bot/outbox/keys.py) in
SQL, so "already sent" is an index lookup on deliveries' unique
(workspace, key), not rows brought back to compare.

The facts that depend on the clock and the calendar (in which zones a
reminder is due now, where a review window is open) are worked out in
Python (bot/usecases/scheduled.py) and passed in as (team id, zone) pairs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    and_,
    bindparam,
    exists,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session, aliased

from bot.db import models as m
from bot.domain.plans import PlanState
from bot.domain.quarters import Quarter
from bot.services.pending_keys import (
    grace_close_key_sql,
    leaders_prompt_key_sql,
    nudge_key_sql,
    prompt_key_sql,
    reminder_key_sql,
    review_key_sql,
    standards_key_sql,
)

TeamZone = tuple[int, str]  # (team id, a member's time zone)


def _recorded(
    workspace_id: SQLColumnExpression[int], key: SQLColumnExpression[str], *, settled: bool
) -> ColumnElement[bool]:
    """A delivery of ``key`` exists (``settled``: sent, or refused for good;
    a claim left pending by a process that died is still owed)."""
    condition = and_(m.Delivery.workspace_id == workspace_id, m.Delivery.key == key)
    if settled:
        condition = and_(condition, m.Delivery.state != m.DeliveryState.PENDING)
    return exists().where(condition)


def _sent(
    workspace_id: SQLColumnExpression[int], key: SQLColumnExpression[str]
) -> ColumnElement[bool]:
    return exists().where(
        m.Delivery.workspace_id == workspace_id,
        m.Delivery.key == key,
        m.Delivery.state == m.DeliveryState.SENT,
    )


# A quarter's plans of members still here; CLOSES_OWED takes the grace-closed too.
_OF_QUARTER = and_(
    m.Member.deactivated_at.is_(None),
    m.Plan.fiscal_year == bindparam("year"),
    m.Plan.quarter == bindparam("quarter"),
)
_IN_STATES = m.Plan.state.in_(bindparam("states", expanding=True))
_IN_QUARTER = and_(_OF_QUARTER, _IN_STATES)
_DUE_HERE = tuple_(m.Member.team_id, m.Member.timezone).in_(bindparam("zones", expanding=True))

# Of some teams whose prompt is due now, those that still owe it (or the
# workspace's leaders' thread that goes with it) and have a plan of its
# quarter (a draft counts: a new quarter's thread goes out while its plans are drafts).
PROMPTS_OWED = (
    select(m.Team.id)
    .join(m.Workspace, m.Workspace.id == m.Team.workspace_id)
    .where(
        m.Team.id.in_(bindparam("team_ids", expanding=True)),
        or_(
            ~_recorded(m.Team.workspace_id, prompt_key_sql(m.Team.id), settled=True),
            and_(
                m.Workspace.leaders_channel_id.is_not(None),
                ~_recorded(
                    m.Team.workspace_id, leaders_prompt_key_sql(m.Team.workspace_id), settled=True
                ),
            ),
        ),
        exists().where(
            m.Member.team_id == m.Team.id,
            m.Plan.owner_id == m.Member.id,
            _IN_QUARTER,
        ),
    )
)

# Teams with a member owed the week's reminder: due in their zone now, their
# team's prompt sent, no check-in nor skip that week, not away, reminders on,
# and no reminder settled yet.
REMINDERS_OWED = (
    select(m.Member.team_id)
    .join(m.Plan, m.Plan.owner_id == m.Member.id)
    .join(m.Team, m.Team.id == m.Member.team_id)
    .where(
        _IN_QUARTER,
        _DUE_HERE,
        m.Member.checkin_reminders.is_(True),
        or_(m.Member.away_until.is_(None), m.Member.away_until < bindparam("monday")),
        ~exists().where(
            m.CheckIn.plan_id == m.Plan.id, m.CheckIn.week_start == bindparam("monday")
        ),
        _sent(m.Team.workspace_id, prompt_key_sql(m.Team.id)),
        ~_recorded(m.Member.workspace_id, reminder_key_sql(m.Member.id), settled=True),
    )
    .distinct()
)

_MANAGER = aliased(m.Member)


def _asked(kind: str) -> ColumnElement[bool]:
    """The plan's owner, or their (current) manager, still owes ``kind``'s ask."""
    return or_(
        ~_recorded(
            m.Member.workspace_id,
            review_key_sql(kind, plan_id=m.Plan.id, recipient=m.Member.slack_user_id),
            settled=True,
        ),
        and_(
            _MANAGER.id.is_not(None),
            ~_recorded(
                m.Member.workspace_id,
                review_key_sql(kind, plan_id=m.Plan.id, recipient=_MANAGER.slack_user_id),
                settled=True,
            ),
        ),
    )


# Teams with a plan whose review request (or, on the window's last working
# day, its reminder) is owed to its owner or their manager: the window open in
# the owner's zone.
REVIEWS_OWED = (
    select(m.Member.team_id)
    .join(m.Plan, m.Plan.owner_id == m.Member.id)
    .outerjoin(
        _MANAGER, and_(_MANAGER.id == m.Member.manager_id, _MANAGER.deactivated_at.is_(None))
    )
    .where(
        _IN_QUARTER,
        _DUE_HERE,
        or_(
            _asked("review-request"),
            and_(
                tuple_(m.Member.team_id, m.Member.timezone).in_(
                    bindparam("reminder_zones", expanding=True)
                ),
                _asked("review-reminder"),
            ),
        ),
    )
    .distinct()
)

# Of some teams, those not offered their quarter's standards yet.
STANDARDS_UNOFFERED = select(m.Team.id).where(
    m.Team.id.in_(bindparam("team_ids", expanding=True)),
    ~_recorded(m.Team.workspace_id, standards_key_sql(m.Team.id), settled=False),
)


# Teams with a draft whose owner is owed the week's nudge to propose it (the
# nudge due in their zone now).
NUDGES_OWED = (
    select(m.Member.team_id)
    .join(m.Plan, m.Plan.owner_id == m.Member.id)
    .where(
        _IN_QUARTER,
        _DUE_HERE,
        ~_recorded(m.Member.workspace_id, nudge_key_sql(m.Plan.id), settled=True),
    )
    .distinct()
)

# Teams with a plan of a past quarter to close by grace (open still, its
# grace over in the owner's zone), or closed so and its owner not told yet.
CLOSES_OWED = (
    select(m.Member.team_id)
    .join(m.Plan, m.Plan.owner_id == m.Member.id)
    .where(
        _OF_QUARTER,
        _DUE_HERE,
        or_(
            _IN_STATES,
            and_(
                exists().where(m.Review.plan_id == m.Plan.id, m.Review.closed_by == "grace"),
                ~_recorded(m.Member.workspace_id, grace_close_key_sql(m.Plan.id), settled=True),
            ),
        ),
    )
    .distinct()
)


@dataclass(frozen=True, kw_only=True)
class ZonesDue:
    """Something of a quarter due now in these (team, zone) places."""

    quarter: Quarter
    zones: list[TeamZone]


@dataclass(frozen=True, kw_only=True)
class ReminderWeek:
    """A week's reminders due now: where (team, zone), in which quarter's plans."""

    monday: dt.date
    quarter: Quarter
    zones: list[TeamZone]


@dataclass(frozen=True, kw_only=True)
class ReviewAsks:
    """A quarter's review asks due now: where its window is open, and where
    its reminder is due too."""

    quarter: Quarter
    zones: list[TeamZone]
    reminder_zones: list[TeamZone]


@dataclass(frozen=True, kw_only=True)
class PromptWeek:
    """A week's prompts due now: for which teams, in which quarter's plans."""

    monday: dt.date
    quarter: Quarter
    team_ids: list[int]


def _plans_of(quarter: Quarter, states: Iterable[PlanState]) -> dict[str, object]:
    """The parameters of _OF_QUARTER and _IN_STATES."""
    return {"year": quarter.fiscal_year, "quarter": quarter.number, "states": list(states)}


class PendingService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _teams(
        self,
        # Member.team_id is nullable, but a member found in a (team, zone) place has one.
        statement: Select[int] | Select[int | None],
        *,
        due_in: Sequence[object],
        **params: object,
    ) -> set[int]:
        """The team ids ``statement`` names, given ``params``; where nothing of
        its kind is due (``due_in``, its places, is empty), no statement: an
        idle tick costs one look only for each kind due somewhere."""
        if not due_in:
            return set()
        return set(self._session.scalars(statement, params))

    def prompts_owed(self, week: PromptWeek, *, states: tuple[PlanState, ...]) -> set[int]:
        """Of ``week.team_ids``, those owing the week's prompt now. One query."""
        return self._teams(
            PROMPTS_OWED,
            due_in=week.team_ids,
            team_ids=week.team_ids,
            monday_iso=week.monday.isoformat(),
            **_plans_of(week.quarter, states),
        )

    def reminders_owed(self, week: ReminderWeek, *, states: tuple[PlanState, ...]) -> set[int]:
        """The teams (ids) with a member owed ``week``'s reminder now. One query."""
        return self._teams(
            REMINDERS_OWED,
            due_in=week.zones,
            zones=week.zones,
            monday=week.monday,
            monday_iso=week.monday.isoformat(),
            **_plans_of(week.quarter, states),
        )

    def reviews_owed(self, asks: ReviewAsks, *, states: tuple[PlanState, ...]) -> set[int]:
        """The teams (ids) with a review request or reminder owed now. One query."""
        return self._teams(
            REVIEWS_OWED,
            due_in=asks.zones,
            zones=asks.zones,
            # An empty expanding IN is fine, but one that never matches is plainer.
            reminder_zones=asks.reminder_zones or [(-1, "")],
            **_plans_of(asks.quarter, states),
        )

    def standards_unoffered(self, *, team_ids: list[int], quarter: Quarter) -> set[int]:
        """Of ``team_ids``, those not yet offered ``quarter``'s standards. One query."""
        return self._teams(
            STANDARDS_UNOFFERED, due_in=team_ids, team_ids=team_ids, quarter_label=quarter.label
        )

    def nudges_owed(self, due: ZonesDue, *, number: int) -> set[int]:
        """The teams (ids) with a draft owed the quarter's ``number``-th nudge now."""
        return self._teams(
            NUDGES_OWED,
            due_in=due.zones,
            zones=due.zones,
            number_text=str(number),
            **_plans_of(due.quarter, (PlanState.DRAFT,)),
        )

    def closes_owed(self, due: ZonesDue, *, states: tuple[PlanState, ...]) -> set[int]:
        """The teams (ids) with a plan of ``due.quarter`` to close by grace now,
        or closed so and its owner not told. One query."""
        return self._teams(
            CLOSES_OWED, due_in=due.zones, zones=due.zones, **_plans_of(due.quarter, states)
        )
