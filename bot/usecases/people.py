"""People change: what Slack says of someone (user_change), and a member's
own changes of manager and team."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain.errors import ValidationError
from bot.domain.permissions import refuse_as_manager
from bot.services import Services, use_case
from bot.usecases.common import Actor, Profile, acting, name_of


@dataclass(frozen=True, kw_only=True)
class UserChanged:
    left: bool = False  # they were deactivated just now
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
    )
    if profile.deleted:
        return UserChanged(left=services.lifecycle.leave(member_id=member.id, now=now))
    return UserChanged(returned=services.lifecycle.come_back(member_id=member.id))


@dataclass(frozen=True, kw_only=True)
class ManagerChanged:
    owner_name: str
    manager_name: str | None  # None: the member has no manager now
    manager_slack_user_id: str | None
    unchanged: bool


@use_case
def change_manager(
    services: Services,
    *,
    actor: Actor,
    manager_slack_user_id: str | None,
    manager_profile: Profile | None,
    now: dt.datetime,
) -> ManagerChanged:
    """`/myplan manager @someone` (or `none`). Who the named person is comes
    from Slack (``manager_profile``, read by the listener) and the database:
    someone of another workspace, a bot or a leaver is refused, as are loops."""
    member = acting(services, actor)
    manager = None
    if manager_slack_user_id is not None:
        known = services.lifecycle.known(
            slack_team_id=actor.slack_team_id, slack_user_id=manager_slack_user_id
        )
        refuse_as_manager(
            found=manager_profile is not None,
            same_workspace=manager_profile is not None
            and manager_profile.slack_team_id in (None, actor.slack_team_id),
            active=not (manager_profile and manager_profile.deleted)
            and not (known and known.deactivated),
            is_bot=bool(manager_profile and manager_profile.is_bot),
        )
        assert manager_profile is not None
        manager = services.members.ensure_member(
            slack_team_id=actor.slack_team_id,
            slack_user_id=manager_slack_user_id,
            display_name=manager_profile.display_name or None,
            timezone=manager_profile.timezone,
            is_slack_admin=manager_profile.is_slack_admin,
        )
    unchanged = member.manager_id == (manager.id if manager else None)
    services.members.set_manager(
        member_id=member.id,
        manager_id=manager.id if manager else None,
        changed_by_id=member.id,
        now=now,
    )
    return ManagerChanged(
        owner_name=name_of(member),
        manager_name=name_of(manager) if manager else None,
        manager_slack_user_id=manager.slack_user_id if manager else None,
        unchanged=unchanged,
    )


@dataclass(frozen=True, kw_only=True)
class TeamChanged:
    channel_id: str
    checkin_weekday: int
    checkin_time: dt.time
    timezone: str


@use_case
def change_team(
    services: Services, *, actor: Actor, profile: Profile | None, channel_id: str
) -> TeamChanged:
    """`/myplan team #channel`: check in to that channel's team from now on; a
    channel no team uses makes a new team, in its creator's time zone."""
    member = acting(services, actor, profile=profile)
    settings = services.members.workspace_settings(member_id=member.id)
    if channel_id == settings.leaders_channel_id:
        raise ValidationError(
            {"team": "That is the leaders channel: choose your team's own channel."}
        )
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
