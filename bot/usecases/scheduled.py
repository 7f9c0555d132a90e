"""What the clock finds due: for each team at an instant, the week's prompt
and its roster, the leaders' thread, the review requests, the standards offer
and who may need a reminder. The scheduler renders and sends it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.domain.calendar import (
    grace_close_due,
    grace_close_quarter,
    nudge_quarters,
    proposal_nudge_due,
)
from bot.domain.plans import PlanState
from bot.domain.quarters import Quarter, quarter_of, week_start, zone
from bot.domain.rhythm import (
    ReviewWindow,
    due_prompt_week,
    review_window,
)
from bot.services import Services, use_case
from bot.services.calendar import PlanOwnerRow
from bot.services.read_model import PlanView
from bot.services.rhythm import (
    OPEN_STATES,
    REVIEWABLE_STATES,
    LeaderRow,
    LeaderSeat,
    RosterRow,
    TeamRow,
)
from bot.services.standards import Standard


@dataclass(frozen=True, kw_only=True)
class LeadersDue:
    channel_id: str
    leaders: list[LeaderRow]
    # Who the week's leaders' thread expects (leaders with an open plan); none: no thread.
    seats: list[LeaderSeat]
    # With the quarter's first prompt: each leader's public plan, to post.
    public_plans: list[tuple[LeaderRow, PlanView]]


@dataclass(frozen=True, kw_only=True)
class StandardsDue:
    leader_slack_user_id: str
    proposals: list[Standard]


@dataclass(frozen=True, kw_only=True)
class PromptDue:
    monday: dt.date
    prompt_day: dt.date
    quarter: Quarter
    roster: list[RosterRow]
    leaders: LeadersDue | None


@dataclass(frozen=True, kw_only=True)
class ReviewsDue:
    """While a quarter's review window is open somewhere in the team: its open
    plans (each asked in its owner's zone), and the standards to offer."""

    quarter: Quarter
    window: ReviewWindow
    roster: list[RosterRow]
    standards: StandardsDue | None


@dataclass(frozen=True, kw_only=True)
class NudgeDue:
    """A member whose plan for the quarter is still a draft, asked to propose it."""

    quarter: Quarter
    number: int  # 1: the quarter's first week's nudge, then one a week
    owner: PlanOwnerRow


@dataclass(frozen=True, kw_only=True)
class CloseDue:
    """A plan of last quarter its owner did not review, past the grace period
    in their zone: closed by itself (or closed so already, to tell them once)."""

    quarter: Quarter
    owner: PlanOwnerRow


@dataclass(frozen=True, kw_only=True)
class TeamDue:
    team: TeamRow
    prompt: PromptDue | None
    reviews: ReviewsDue | None = None
    # Weeks whose reminders may be due (this one and the last), with their rosters.
    reminder_rosters: dict[dt.date, list[RosterRow]] = field(default_factory=dict)
    nudges: list[NudgeDue] = field(default_factory=list)
    closes: list[CloseDue] = field(default_factory=list)


def prompt_week(team: TeamRow, now: dt.datetime) -> dt.date | None:
    """The Monday of the week whose prompt is due at ``now`` (none on a holiday
    of the workspace or the team)."""
    tz = zone(team.timezone)
    monday = due_prompt_week(now, weekday=team.checkin_weekday, wall_clock=team.checkin_time, tz=tz)
    if monday is not None and team.calendar.is_holiday(
        monday + dt.timedelta(days=team.checkin_weekday)
    ):
        return None
    return monday


def review_due(team: TeamRow, now: dt.datetime) -> tuple[Quarter, ReviewWindow] | None:
    """The quarter whose review window is open (or opens today or tomorrow,
    for members east of the team) at ``now``, by the team's calendar."""
    local_today = now.astimezone(zone(team.timezone)).date()
    for day in (local_today, local_today + dt.timedelta(days=1)):
        quarter = quarter_of(day, team.fiscal_start_month)
        window = review_window(
            quarter, working_days=team.review_window_days, calendar=team.calendar
        )
        if window.opens_on <= day <= window.last_day:
            return quarter, window
    return None


@use_case
def team_due(
    services: Services,
    *,
    team: TeamRow,
    now: dt.datetime,
    reminder_weeks: set[dt.date],
    reviews_owed: bool = False,
    standards_owed: bool = False,
    nudges_owed: bool = False,
    closes_owed: bool = False,
    prompt_owed: bool = False,
    leaders_owed: bool = False,
) -> TeamDue:
    """What is due for ``team`` at ``now``. What it still owes was found for
    every team at once (bot/usecases/owed.py): reminders are looked at for the
    ``reminder_weeks`` only, reviews when ``reviews_owed``, the standards
    when ``standards_owed``, nudges and grace closes when ``nudges_owed`` and
    ``closes_owed``, the prompt (its roster, the leaders' thread) only
    when ``prompt_owed``, the leaders' thread with it when ``leaders_owed``
    (one team of the workspace at a time: it scans the workspace): the rest
    of a prompt's day, of a reminder's and of a review window costs no
    roster nor any scan of the leaders."""
    monday = prompt_week(team, now) if prompt_owed else None
    prompt = (
        _prompt_due(services, team, monday=monday, leaders=leaders_owed)
        if monday is not None
        else None
    )
    rosters = {}
    for week in sorted(reminder_weeks):
        rosters[week] = services.rhythm.roster(
            team_id=team.id,
            prompt_day=week + dt.timedelta(days=team.checkin_weekday),
            fiscal_start_month=team.fiscal_start_month,
        )
    return TeamDue(
        team=team,
        prompt=prompt,
        reviews=_reviews_due(services, team, now=now, asks=reviews_owed, standards=standards_owed),
        reminder_rosters=rosters,
        nudges=_nudges_due(services, team, now=now) if nudges_owed else [],
        closes=_closes_due(services, team, now=now) if closes_owed else [],
    )


def _nudges_due(services: Services, team: TeamRow, *, now: dt.datetime) -> list[NudgeDue]:
    """Whose plan for the quarter is a draft on a nudge day in their zone
    (the quarter's first working day, then weekly): asked to propose it."""
    local_today = now.astimezone(zone(team.timezone)).date()
    due = []
    for quarter in nudge_quarters(
        local_today, fiscal_start_month=team.fiscal_start_month, calendar=team.calendar
    ):
        if team.member_zones is not None and not any(
            proposal_nudge_due(quarter, team.calendar, now=now, tz=zone(member_tz))
            for member_tz in team.member_zones
        ):
            continue  # no look at the database unless it is due now in a member's zone
        for owner in services.calendar.plans_in(
            team_id=team.id, quarter=quarter, states=(PlanState.DRAFT,)
        ):
            number = proposal_nudge_due(quarter, team.calendar, now=now, tz=zone(owner.timezone))
            if number is not None:
                due.append(NudgeDue(quarter=quarter, number=number, owner=owner))
    return due


def _closes_due(services: Services, team: TeamRow, *, now: dt.datetime) -> list[CloseDue]:
    """Last quarter's plans whose grace period is over in their owner's zone:
    the unreviewed to close, those closed so to tell (for a week, then stale)."""
    local_today = now.astimezone(zone(team.timezone)).date()
    quarter = grace_close_quarter(
        local_today, fiscal_start_month=team.fiscal_start_month, grace_days=team.grace_days
    )
    if quarter is None:
        return []
    owners = services.calendar.plans_in(
        team_id=team.id, quarter=quarter, states=OPEN_STATES, or_closed_by="grace"
    )
    return [
        CloseDue(quarter=quarter, owner=owner)
        for owner in owners
        if grace_close_due(quarter, grace_days=team.grace_days, now=now, tz=zone(owner.timezone))
    ]


def _reviews_due(
    services: Services, team: TeamRow, *, now: dt.datetime, asks: bool, standards: bool
) -> ReviewsDue | None:
    due = review_due(team, now) if asks or standards else None
    if due is None:
        return None
    quarter, window = due
    roster = (
        services.rhythm.roster(
            team_id=team.id,
            prompt_day=window.opens_on,
            fiscal_start_month=team.fiscal_start_month,
            states=REVIEWABLE_STATES,
        )
        if asks
        else []
    )
    offer = standards and window.is_open(now, zone(team.timezone))
    return ReviewsDue(
        quarter=quarter,
        window=window,
        roster=roster,
        standards=_standards_due(services, team, quarter=quarter) if offer else None,
    )


def _prompt_due(
    services: Services, team: TeamRow, *, monday: dt.date, leaders: bool
) -> PromptDue | None:
    prompt_day = monday + dt.timedelta(days=team.checkin_weekday)
    roster = services.rhythm.roster(
        team_id=team.id, prompt_day=prompt_day, fiscal_start_month=team.fiscal_start_month
    )
    quarter = quarter_of(prompt_day, team.fiscal_start_month)
    # Drafts count: a new quarter's thread goes out while its plans are still drafts.
    if not roster and not services.calendar.has_plans(team_id=team.id, quarter=quarter):
        return None
    return PromptDue(
        monday=monday,
        prompt_day=prompt_day,
        quarter=quarter,
        roster=roster,
        leaders=_leaders_due(services, team, prompt_day=prompt_day) if leaders else None,
    )


def _leaders_due(services: Services, team: TeamRow, *, prompt_day: dt.date) -> LeadersDue | None:
    channel = services.rhythm.leaders_channel(workspace_id=team.workspace_id)
    if channel is None:
        return None
    leaders = services.rhythm.leaders(
        workspace_id=team.workspace_id, day=prompt_day, fiscal_start_month=team.fiscal_start_month
    )
    if not leaders:
        return None
    quarter = quarter_of(prompt_day, team.fiscal_start_month)
    # The quarter's first prompt (a quarter may start midweek, after its week 1 prompt day).
    first_prompt = quarter_of(prompt_day - dt.timedelta(days=7), team.fiscal_start_month) != quarter
    public = [
        (leader, services.plans.get_plan(viewer_id=leader.member_id, plan_id=leader.plan_id))
        for leader in leaders
        if first_prompt and leader.plan_id is not None and leader.public and not leader.posted
    ]
    seats = services.rhythm.leaders_roster(
        workspace_id=team.workspace_id,
        monday=week_start(prompt_day),
        fiscal_start_month=team.fiscal_start_month,
    )
    return LeadersDue(channel_id=channel, leaders=leaders, seats=seats, public_plans=public)


def _standards_due(services: Services, team: TeamRow, *, quarter: Quarter) -> StandardsDue | None:
    """When the quarter's review opens, the team's leader is offered its standards."""
    leader_id = services.standards.leader_of(team_id=team.id)
    if leader_id is None:
        return None
    proposals = [
        s
        for s in services.standards.propose(team_id=team.id, quarter=quarter)
        if s.proposed is not None
    ]
    if not proposals:
        return None
    leader = services.members.get(leader_id)
    return StandardsDue(leader_slack_user_id=leader.slack_user_id, proposals=proposals)


@use_case
def posting_fixers(
    services: Services, *, workspace_id: int, team_id: int, workspace_setting: bool
) -> tuple[str, ...]:
    """Who hears that a post failed for a reason a person can fix (Slack user
    ids): for a team's channel, the team's lead; failing that, and for the
    leaders channel (a workspace setting), the settings admins, else the
    Slack admins myplan knows."""
    if not workspace_setting:
        leader_id = services.standards.leader_of(team_id=team_id)
        if leader_id is not None:
            return (services.members.get(leader_id).slack_user_id,)
    return services.settings.admins_to_tell(workspace_id=workspace_id)
