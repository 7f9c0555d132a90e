"""A manager's day: one message listing what waits for them (proposals and
new revisions to acknowledge, reviews to write), instead of a DM per event."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from bot.domain.calendar import calendar_of
from bot.domain.plans import PlanState
from bot.domain.quarters import quarter_of, zone
from bot.services import Services, use_case
from bot.services.overview import ReportRow
from bot.usecases.common import team_window, today_for

REVIEWED_STATES = (PlanState.ACTIVE, PlanState.IN_REVIEW, PlanState.CLOSED)


@dataclass(frozen=True, kw_only=True)
class Waiting:
    """One report whose plan waits for the manager."""

    row: ReportRow
    acknowledge: bool  # their revision waits for the manager's acknowledgement
    review: bool  # the quarter's review window is open and the manager has not reflected


@dataclass(frozen=True, kw_only=True)
class Digest:
    workspace_id: int
    manager_id: int
    manager_slack_user_id: str
    day: dt.date  # the manager's local date: one digest message a day
    waiting: tuple[Waiting, ...]
    review_closes: dt.date | None = None  # the quarter's last day, when a review waits
    # When it was read (this process's clock): an older read is never sent over a newer one.
    read_at: float = field(default_factory=time.monotonic)


@use_case
def manager_digest(
    services: Services,
    *,
    manager_id: int,
    now: dt.datetime,
    reviewing: frozenset[int] = frozenset(),
) -> Digest:
    """What waits for the manager ``manager_id`` today, read from the database;
    ``reviewing``: plans whose review window the clock opened in their owner's zone."""
    return digest_of(services, manager_id=manager_id, now=now, reviewing=reviewing)


def digest_of(
    services: Services,
    *,
    manager_id: int,
    now: dt.datetime,
    reviewing: frozenset[int] = frozenset(),
) -> Digest:
    """Within a use case: the digest of ``manager_id`` as it stands now."""
    manager = services.members.get_held(manager_id)
    today = today_for(manager, now)
    rows = services.overview.team_overview(manager_id=manager.id, today=today)
    team = services.rhythm.team_of_member(member_id=manager.id)
    fiscal_start_month = (
        team.fiscal_start_month
        if team
        else services.members.workspace_settings(member_id=manager.id).fiscal_start_month
    )
    window = team_window(team, quarter=quarter_of(today, fiscal_start_month))
    review_open = window.is_open(now, zone(manager.timezone))
    reviewed = [
        row.plan_id
        for row in rows
        if row.plan_id is not None
        and row.state in REVIEWED_STATES
        and (review_open or row.plan_id in reviewing)
    ]
    # Read only while a review waits: most days, nobody's.
    reflected = services.waiting.reflected(plan_ids=reviewed) if reviewed else set()
    waiting = []
    for row in rows:
        if row.plan_id is None:
            continue
        review = row.plan_id in reviewed and row.plan_id not in reflected
        if row.to_acknowledge or review:
            waiting.append(
                Waiting(
                    row=row,
                    acknowledge=row.to_acknowledge,
                    review=review,
                )
            )
    return Digest(
        workspace_id=manager.workspace_id,
        manager_id=manager.id,
        manager_slack_user_id=manager.slack_user_id,
        day=today,
        waiting=tuple(waiting),
        review_closes=window.last_day if any(w.review for w in waiting) else None,
    )


MORNING = dt.time(9)  # a manager's digest of waiting plans, each working day from 09:00 their time


@dataclass(frozen=True, kw_only=True)
class MorningDigest:
    manager_id: int
    workspace_id: int
    slack_team_id: str
    day: dt.date  # the manager's local date


@use_case
def morning_digests(services: Services, *, now: dt.datetime) -> list[MorningDigest]:
    """The managers whose reports' proposed plans of this quarter have waited
    for them since an earlier day, and for whom it is a working day past 09:00:
    each gets the day's digest if they have none yet (the clock checks the outbox)."""
    due: dict[int, MorningDigest] = {}
    for waited in services.waiting.waited_on():
        local = now.astimezone(zone(waited.timezone))
        calendar = calendar_of(waited.working_days, waited.holidays)
        quarter = quarter_of(local.date(), waited.fiscal_start_month)
        if (waited.fiscal_year, waited.quarter) != (quarter.fiscal_year, quarter.number):
            continue
        if local.time() < MORNING or not calendar.is_working(local.date()):
            continue
        if (
            waited.since is not None
            and waited.since.astimezone(local.tzinfo).date() >= local.date()
        ):
            continue  # asked today: the request posted today's digest already
        due[waited.manager_id] = MorningDigest(
            manager_id=waited.manager_id,
            workspace_id=waited.workspace_id,
            slack_team_id=waited.slack_team_id,
            day=local.date(),
        )
    return list(due.values())
