"""The weekly check-in: open it, submit it, skip a week, be away."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.quarters import week_start
from bot.services import Services, use_case
from bot.services.read_model import PlanView
from bot.services.rhythm import RosterRow, TeamRow
from bot.usecases.common import Actor, NeedsOnboarding, acting, name_of, today_for

NO_PLAN_TO_CHECK_IN = "Start your plan with `/myplan` first: check-ins measure its commitments."


@dataclass(frozen=True, kw_only=True)
class CheckinForm:
    plan: PlanView
    monday: dt.date
    previous: dict[int, float] | None  # this week's values, when editing a check-in


@use_case
def open_checkin(
    services: Services, *, actor: Actor, now: dt.datetime
) -> CheckinForm | NeedsOnboarding | str:
    """This week's check-in, onboarding for someone who has not onboarded, or
    what to tell the person instead."""
    member = acting(services, actor)
    if not member.onboarded:
        return NeedsOnboarding()
    today = today_for(member, now)
    plan = services.plans.current_plan(owner_id=member.id, today=today)
    if plan is None or not plan.commitments:
        return NO_PLAN_TO_CHECK_IN
    previous = {view.id: view.weekly_values[-1] for view in plan.commitments if view.weekly_values}
    already = services.plans.checked_in(plan_id=plan.id, day=today)
    return CheckinForm(plan=plan, monday=week_start(today), previous=previous if already else None)


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
    is_leader: bool
    # The owner's direct manager today (from the database), who gets it all in a DM.
    manager_id: int | None
    manager_slack_user_id: str | None

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
    """Record the week's check-in and gather what its thread reply needs."""
    member = acting(services, actor)
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
    team = services.rhythm.team_of_member(member_id=member.id)
    thread = None
    if team is not None:
        roster = services.rhythm.roster(
            team_id=team.id,
            prompt_day=monday + dt.timedelta(days=team.checkin_weekday),
            fiscal_start_month=team.fiscal_start_month,
        )
        thread = TeamThread(team=team, roster=roster)
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
        values={view.id: view.weekly_values[-1] for view in plan.commitments if view.weekly_values},
        one_on_one_happened=one_on_one_happened,
        team_thread=thread,
        is_leader=services.rhythm.is_leader(member_id=member.id),
        manager_id=manager.id if manager else None,
        manager_slack_user_id=manager.slack_user_id if manager else None,
    )


@use_case
def skip_week(services: Services, *, actor: Actor, reason: str, now: dt.datetime) -> dt.date:
    """Skip this week's check-in; returns the week's Monday."""
    member = acting(services, actor)
    return services.rhythm.skip(actor_id=member.id, day=today_for(member, now), reason=reason)


class Away(StrEnum):
    BACK = "back"
    AWAY = "away"
    IN_THE_PAST = "in_the_past"


@use_case
def set_away(services: Services, *, actor: Actor, until: dt.date | None, now: dt.datetime) -> Away:
    """Away until ``until`` (inclusive), or back when None."""
    member = acting(services, actor)
    if until is not None and until < today_for(member, now):
        return Away.IN_THE_PAST
    services.rhythm.set_away(actor_id=member.id, until=until)
    return Away.BACK if until is None else Away.AWAY
