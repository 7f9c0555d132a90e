"""The weekly check-in: open it, submit it, skip a week, be away."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.domain import fields
from bot.domain.calendar import understand_date
from bot.domain.errors import ValidationError
from bot.domain.quarters import week_start
from bot.services import Services, use_case
from bot.services.checkins import WeekCheckin, WeekChoice, WeekState
from bot.services.read_model import PlanView
from bot.services.rhythm import LeaderSeat, RosterRow, TeamRow
from bot.usecases.common import Actor, NeedsOnboarding, acting, name_of, today_for

NO_PLAN_TO_CHECK_IN = "Start your plan with `/myplan` first: check-ins measure its commitments."


@dataclass(frozen=True, kw_only=True)
class CheckinForm:
    plan: PlanView
    monday: dt.date
    previous: WeekCheckin | None  # the week's check-in as stored, when editing it
    # Every week of the plan's quarter so far, this one first: any may be
    # filled in late or corrected (the modal's week picker).
    weeks: tuple[WeekChoice, ...] = ()


@use_case
def open_checkin(
    services: Services, *, actor: Actor, now: dt.datetime, week: dt.date | None = None
) -> CheckinForm | NeedsOnboarding | str:
    """The check-in of the week of ``week`` (the Monday a Check in button names:
    its thread's, or its reminder's), else this week's; never a week to come.
    It goes to the plan of the quarter the week's thread is in (its team's
    prompt day's), else (no team, or no plan for that quarter yet: a week
    straddling two quarters) to the plan of the week's last day so far.
    Onboarding first for someone who has not onboarded."""
    member = acting(services, actor)
    if not member.onboarded:
        return NeedsOnboarding()
    today = today_for(member, now)
    monday = min(week_start(week or today), week_start(today))
    team = services.rhythm.team_of_member(member_id=member.id)
    days = [min(today, monday + dt.timedelta(days=6))]
    if team is not None:
        days.insert(0, monday + dt.timedelta(days=team.checkin_weekday))
    for day in dict.fromkeys(days):
        plan = services.plans.current_plan(owner_id=member.id, today=day)
        if plan is not None and plan.commitments:
            previous = services.plans.week_checkin(plan_id=plan.id, day=monday)
            return CheckinForm(
                plan=plan,
                monday=monday,
                previous=previous,
                weeks=_weeks(services, plan=plan, this_week=week_start(today)),
            )
    return NO_PLAN_TO_CHECK_IN


def _weeks(services: Services, *, plan: PlanView, this_week: dt.date) -> tuple[WeekChoice, ...]:
    """The weeks of the plan's quarter up to this one, latest first."""
    states = services.plans.week_states(plan_id=plan.id)

    def state(monday: dt.date) -> WeekState:
        if monday in states:
            return WeekState.SKIPPED if states[monday] else WeekState.CHECKED_IN
        return WeekState.THIS_WEEK if monday == this_week else WeekState.MISSED

    weeks = [monday for monday in plan.quarter.week_starts() if monday <= this_week]
    return tuple(WeekChoice(monday=monday, state=state(monday)) for monday in reversed(weeks))


@dataclass(frozen=True, kw_only=True)
class TeamThread:
    """The team whose weekly thread the check-in goes to, and that week's roster
    (the check-in included) for the parent's count."""

    team: TeamRow
    roster: list[RosterRow]


@dataclass(frozen=True, kw_only=True)
class CheckinSubmitted:
    plan: PlanView
    member_id: int
    member_name: str
    member_slack_user_id: str
    workspace_id: int
    monday: dt.date
    confidence: int
    win: str | None
    blocker: str | None
    values: dict[int, float]  # the week's value of each commitment
    one_on_one_happened: bool | None
    team_thread: TeamThread | None
    # A leader's: who the week's leaders' thread expects, for its parent's count.
    leader_seats: list[LeaderSeat] | None
    # The owner's direct manager today (from the database), who gets it all in a DM.
    manager_id: int | None
    manager_slack_user_id: str | None
    manager_locale: str | None = None  # how the manager's copy shows numbers

    @property
    def is_leader(self) -> bool:
        return self.leader_seats is not None

    @property
    def team_channel_id(self) -> str | None:
        """The channel of the owner's team: the one channel a team plan shows in."""
        return self.team_thread.team.channel_id if self.team_thread else None


@use_case
def submit_checkin(
    services: Services,
    *,
    actor: Actor,
    plan_id: int,
    day: dt.date,
    values: Mapping[int, str],
    confidence: int | None,
    win: str | None,
    blocker: str | None,
    one_on_one_happened: bool | None,
    now: dt.datetime,
) -> CheckinSubmitted:
    """Record the week's check-in (any week of the quarter so far, never one
    to come) and gather what its thread reply needs."""
    member = acting(services, actor)
    if week_start(day) > week_start(today_for(member, now)):  # the modal is forgeable
        raise ValidationError({fields.WEEK: "That week has not started yet: check in then."})
    plan = services.plans.record_checkin(
        actor_id=member.id,
        plan_id=plan_id,
        day=day,
        values=values,
        confidence=confidence,
        win=win,
        blocker=blocker,
        one_on_one_happened=one_on_one_happened,
        now=now,
    )
    monday = week_start(day)
    manager = services.members.get(plan.manager_id) if plan.manager_id else None
    return CheckinSubmitted(
        plan=plan,
        member_id=member.id,
        member_name=name_of(member),
        member_slack_user_id=member.slack_user_id,
        workspace_id=member.workspace_id,
        monday=monday,
        confidence=confidence or 0,
        win=win,
        blocker=blocker,
        values=_week_values(services, plan_id=plan.id, monday=monday),
        one_on_one_happened=one_on_one_happened,
        team_thread=_team_thread(services, member_id=member.id, monday=monday),
        leader_seats=(
            services.rhythm.leaders_roster(
                workspace_id=member.workspace_id,
                monday=monday,
                fiscal_start_month=plan.quarter.fiscal_start_month,
            )
            if services.rhythm.is_leader(member_id=member.id)
            else None
        ),
        manager_id=manager.id if manager else None,
        manager_slack_user_id=manager.slack_user_id if manager else None,
        manager_locale=manager.locale if manager else None,
    )


def _week_values(services: Services, *, plan_id: int, monday: dt.date) -> dict[int, float]:
    """The values just recorded for the week of ``monday`` (any week, not the latest)."""
    stored = services.plans.week_checkin(plan_id=plan_id, day=monday)
    return stored.values if stored else {}


def _team_thread(services: Services, *, member_id: int, monday: dt.date) -> TeamThread | None:
    """The member's team and its roster for the week of ``monday``, if they have a team."""
    team = services.rhythm.team_of_member(member_id=member_id)
    if team is None:
        return None
    roster = services.rhythm.roster(
        team_id=team.id,
        prompt_day=monday + dt.timedelta(days=team.checkin_weekday),
        fiscal_start_month=team.fiscal_start_month,
    )
    return TeamThread(team=team, roster=roster)


@dataclass(frozen=True, kw_only=True)
class Skipped:
    monday: dt.date
    reason: str
    member_name: str
    # The direct manager, who sees every check-in, skips included, in a DM.
    manager_slack_user_id: str | None


@use_case
def skip_week(services: Services, *, actor: Actor, reason: str, now: dt.datetime) -> Skipped:
    """Skip this week's check-in."""
    member = acting(services, actor)
    monday = services.rhythm.skip(actor_id=member.id, day=today_for(member, now), reason=reason)
    manager = services.members.get(member.manager_id) if member.manager_id else None
    return Skipped(
        monday=monday,
        reason=reason.strip(),
        member_name=name_of(member),
        manager_slack_user_id=manager.slack_user_id if manager else None,
    )


class Away(StrEnum):
    BACK = "back"
    AWAY = "away"
    IN_THE_PAST = "in_the_past"
    UNREADABLE = "unreadable"


@use_case
def set_away(
    services: Services, *, actor: Actor, typed: str | None, now: dt.datetime
) -> tuple[Away, dt.date | None]:
    """Away until the last day ``typed`` means ("Friday", "next week",
    "Dec 24", "2026-12-24"), read from the member's own today in their zone;
    back when None. Returns the answer and the day understood."""
    member = acting(services, actor)
    until = None
    if typed is not None:
        until = understand_date(typed, today=today_for(member, now))
        if until is None:
            return Away.UNREADABLE, None
        if until < today_for(member, now):
            return Away.IN_THE_PAST, until
    services.rhythm.set_away(actor_id=member.id, until=until)
    return (Away.BACK if until is None else Away.AWAY), until


@use_case
def set_reminders(services: Services, *, actor: Actor, on: bool) -> None:
    """The member's weekly check-in reminder DMs, on or off."""
    member = acting(services, actor)
    services.rhythm.set_reminders(actor_id=member.id, on=on)
