"""People change: what Slack says of someone (user_change), and a member's
own changes of manager and team."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain import fields
from bot.domain.errors import ValidationError
from bot.domain.permissions import ChannelMembership, refuse_as_manager, refuse_team_channel
from bot.domain.plans import PlanState
from bot.domain.quarters import local_date, week_start, zone
from bot.services import Services, use_case
from bot.services.people import MemberRef
from bot.services.rhythm import RosterRow, TeamRow
from bot.usecases.common import Actor, Profile, acting, name_of, today_for
from bot.usecases.plans import ManagerRequest, manager_request


@dataclass(frozen=True, kw_only=True)
class Orphan:
    """Someone whose manager left: told once, and asked to name a new one."""

    member_id: int
    slack_user_id: str
    waiting_quarter: str | None  # their plan waits for an acknowledgement: its quarter


@dataclass(frozen=True, kw_only=True)
class Recount:
    """The leaver's team's week, counted again without them."""

    team: TeamRow
    monday: dt.date
    roster: list[RosterRow]


@dataclass(frozen=True, kw_only=True)
class Left:
    workspace_id: int
    member_id: int
    name: str
    reports: tuple[Orphan, ...]
    recount: Recount | None


@dataclass(frozen=True, kw_only=True)
class UserChanged:
    left: Left | None = None  # they were deactivated just now
    returned: bool = False  # they were reactivated just now


@use_case
def user_changed(
    services: Services,
    *,
    slack_team_id: str,
    slack_user_id: str,
    profile: Profile,
    now: dt.datetime,
) -> UserChanged:
    """Slack's user_change: a new name, zone or admin flag is kept; a
    deactivated user is a leaver, a reactivated one counts again. Someone
    myplan never saw stays unknown."""
    member = services.lifecycle.known(slack_team_id=slack_team_id, slack_user_id=slack_user_id)
    if member is None:
        return UserChanged()
    services.lifecycle.refresh(
        member_id=member.id,
        display_name=profile.display_name,
        timezone=profile.timezone,
        is_slack_admin=profile.is_slack_admin,
        locale=profile.locale,
    )
    if not profile.deleted:
        return UserChanged(
            returned=services.lifecycle.come_back(member_id=member.id, today=today_for(member, now))
        )
    departure = services.lifecycle.leave(member_id=member.id, now=now)
    if departure is None:
        return UserChanged()
    return UserChanged(
        left=Left(
            workspace_id=member.workspace_id,
            member_id=member.id,
            name=name_of(departure.member),
            reports=tuple(_orphan(services, report, now=now) for report in departure.reports),
            recount=_recount(services, member_id=member.id, now=now),
        )
    )


def _orphan(services: Services, report: MemberRef, *, now: dt.datetime) -> Orphan:
    plan = services.plans.current_plan(owner_id=report.id, today=today_for(report, now))
    waiting = plan is not None and plan.state is PlanState.PROPOSED
    return Orphan(
        member_id=report.id,
        slack_user_id=report.slack_user_id,
        waiting_quarter=plan.quarter.label if plan is not None and waiting else None,
    )


def _recount(services: Services, *, member_id: int, now: dt.datetime) -> Recount | None:
    team = services.rhythm.team_of_member(member_id=member_id)
    return None if team is None else _team_recount(services, team=team, now=now)


def _team_recount(services: Services, *, team: TeamRow, now: dt.datetime) -> Recount:
    monday = week_start(local_date(now, zone(team.timezone)))
    roster = services.rhythm.roster(
        team_id=team.id,
        prompt_day=monday + dt.timedelta(days=team.checkin_weekday),
        fiscal_start_month=team.fiscal_start_month,
    )
    return Recount(team=team, monday=monday, roster=roster)


@dataclass(frozen=True, kw_only=True)
class ManagerChanged:
    owner_name: str
    manager_name: str | None  # None: the member has no manager now
    manager_slack_user_id: str | None
    unchanged: bool
    # The member's plan waits for this manager's acknowledgement: the request to send.
    request: ManagerRequest | None = None
    activated: bool = False  # their plan became active (they have no manager)
    # Their plan was active: it stays so on its revision, which ``request`` asks
    # the new manager to acknowledge.
    stays_active: bool = False


@use_case
def change_manager(
    services: Services,
    *,
    actor: Actor,
    profile: Profile | None,
    manager_slack_user_id: str | None,
    manager_profile: Profile | None,
    now: dt.datetime,
) -> ManagerChanged:
    """`/myplan manager @someone` (or `none`). Who the member and the named
    person are comes from Slack (``profile``, ``manager_profile``: users.info,
    read by the listener) and the database: someone of another workspace, a
    bot or a leaver is refused, as are loops."""
    member = acting(services, actor, profile=profile)
    manager = (
        manager_from_slack(
            services, actor=actor, slack_user_id=manager_slack_user_id, profile=manager_profile
        )
        if manager_slack_user_id is not None
        else None
    )
    unchanged = member.manager_id == (manager.id if manager else None)
    services.members.set_manager(
        member_id=member.id,
        manager_id=manager.id if manager else None,
        changed_by_id=member.id,
        now=now,
        no_manager=manager is None,
    )
    request, activated, stays_active = None, False, False
    plan = services.plans.current_plan(owner_id=member.id, today=today_for(member, now))
    if plan is not None and plan.state is PlanState.PROPOSED:
        # What waited for the former manager (or for one) waits for this one.
        plan = services.plans.reconsider(plan_id=plan.id)
        activated = plan.state is PlanState.ACTIVE
        if manager is not None and manager.id in plan.acknowledgement.waiting_for:
            request = manager_request(services, plan, changes=(), now=now)
    elif (
        plan is not None
        and plan.state is PlanState.ACTIVE
        and manager is not None
        and manager.id in plan.acknowledgement.waiting_for
    ):
        # Mid-quarter: the plan keeps its revision and stays active (check-ins
        # go on); the new manager is asked to acknowledge the plan as it is.
        request, stays_active = manager_request(services, plan, changes=(), now=now), True
    return ManagerChanged(
        owner_name=name_of(member),
        manager_name=name_of(manager) if manager else None,
        manager_slack_user_id=manager.slack_user_id if manager else None,
        unchanged=unchanged,
        request=request,
        activated=activated,
        stays_active=stays_active,
    )


def manager_from_slack(
    services: Services, *, actor: Actor, slack_user_id: str, profile: Profile | None
) -> MemberRef:
    """The member someone names as their manager, kept with what Slack says of
    them (``profile``, from users.info): their name and zone, so no raw id is
    ever shown. Someone Slack does not know, of another workspace, a bot or a
    leaver is refused on the manager's field."""
    known = services.lifecycle.known(slack_team_id=actor.slack_team_id, slack_user_id=slack_user_id)
    refuse_as_manager(
        found=profile is not None,
        same_workspace=profile is not None and profile.slack_team_id in (None, actor.slack_team_id),
        active=not (profile and profile.deleted) and not (known and known.deactivated),
        is_bot=bool(profile and profile.is_bot),
    )
    assert profile is not None
    return services.members.ensure_member(
        slack_team_id=actor.slack_team_id,
        slack_user_id=slack_user_id,
        display_name=profile.display_name or None,
        timezone=profile.timezone,
        is_slack_admin=profile.is_slack_admin,
        locale=profile.locale,
    )


@dataclass(frozen=True, kw_only=True)
class TeamChanged:
    channel_id: str
    checkin_weekday: int
    checkin_time: dt.time
    timezone: str


@use_case
def change_team(
    services: Services,
    *,
    actor: Actor,
    profile: Profile | None,
    channel_id: str,
    channel_membership: ChannelMembership,
) -> TeamChanged:
    """`/myplan team #channel`: check in to that channel's team from now on; a
    channel no team uses makes a new team, in its creator's time zone. Only
    someone Slack counts in the channel (``channel_membership``) may."""
    member = acting(services, actor, profile=profile)
    settings = services.members.workspace_settings(member_id=member.id)
    if channel_id == settings.leaders_channel_id:
        raise ValidationError(
            {fields.TEAM: "That is the leaders channel: choose your team's own channel."}
        )
    refuse_team_channel(channel_membership, channel_id=channel_id, field=fields.TEAM)
    team_id = services.members.team_for_channel(
        workspace_id=member.workspace_id, channel_id=channel_id
    )
    if team_id is None:
        team_id = services.members.configure_team(
            workspace_id=member.workspace_id, channel_id=channel_id, timezone=member.timezone
        )
    services.members.join_team(member_id=member.id, team_id=team_id)
    team = services.rhythm.team_of_member(member_id=member.id)
    assert team is not None
    return TeamChanged(
        channel_id=team.channel_id,
        checkin_weekday=team.checkin_weekday,
        checkin_time=team.checkin_time,
        timezone=team.timezone,
    )


@dataclass(frozen=True, kw_only=True)
class LeftTeamChannel:
    workspace_id: int
    member_id: int
    slack_user_id: str
    channel_id: str
    recount: Recount


@use_case
def left_channel(
    services: Services, *, slack_team_id: str, slack_user_id: str, channel_id: str, now: dt.datetime
) -> LeftTeamChannel | None:
    """Slack's member_left_channel: a team is its channel's members, so whoever
    leaves their team's channel leaves the team (its count, its reminders and
    its team-visible plans) at once. Their own plan stays theirs. Any other
    channel, or someone myplan never saw, changes nothing."""
    member = services.lifecycle.known(slack_team_id=slack_team_id, slack_user_id=slack_user_id)
    if member is None:
        return None
    team = services.rhythm.team_of_member(member_id=member.id)
    if team is None or team.channel_id != channel_id:
        return None
    services.members.join_team(member_id=member.id, team_id=None)
    return LeftTeamChannel(
        workspace_id=member.workspace_id,
        member_id=member.id,
        slack_user_id=slack_user_id,
        channel_id=channel_id,
        recount=_team_recount(services, team=team, now=now),
    )
