"""Joining: onboarding and settings; leaving: uninstalls."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain.errors import PermissionDenied
from bot.services import Services, use_case
from bot.services.members import TeamSettings, WorkspaceSettings
from bot.usecases.common import Actor, Profile, acting, today_for
from bot.usecases.plans import OpenBuilder

ADMINS_ONLY = "Only workspace admins can change myplan's settings."


@use_case
def complete_onboarding(
    services: Services,
    *,
    actor: Actor,
    profile: Profile | None,
    manager_slack_user_id: str | None,
    channel_id: str | None,
    now: dt.datetime,
) -> OpenBuilder:
    """Who your manager is and which channel your team checks in to; then the
    builder on this quarter's plan."""
    member = acting(services, actor, profile=profile)
    manager_id = None
    if manager_slack_user_id:
        manager_id = services.members.ensure_member(
            slack_team_id=actor.slack_team_id, slack_user_id=manager_slack_user_id
        ).id
    services.members.set_manager(
        member_id=member.id, manager_id=manager_id, changed_by_id=member.id, now=now
    )
    if channel_id:
        team_id = services.members.team_for_channel(
            workspace_id=member.workspace_id, channel_id=channel_id
        )
        if team_id is None:
            team_id = services.members.configure_team(
                workspace_id=member.workspace_id, channel_id=channel_id
            )
        services.members.join_team(member_id=member.id, team_id=team_id)
    services.members.mark_onboarded(member_id=member.id, now=now)
    return OpenBuilder(
        plan=services.plans.start_plan(owner_id=member.id, today=today_for(member, now))
    )


@dataclass(frozen=True, kw_only=True)
class SettingsForm:
    workspace: WorkspaceSettings
    team: TeamSettings | None


@use_case
def open_settings(services: Services, *, actor: Actor, profile: Profile | None) -> SettingsForm:
    """Settings, for admins. Admin rights are read from Slack (``profile``) now
    and kept; the payload's claims about the user are never consulted."""
    member = acting(services, actor, profile=profile)
    if not member.is_admin:
        raise PermissionDenied(ADMINS_ONLY)
    return SettingsForm(
        workspace=services.members.workspace_settings(member_id=member.id),
        team=services.members.team_of(member_id=member.id),
    )


@dataclass(frozen=True, kw_only=True)
class SettingsInput:
    fiscal_start_month: int
    leaders_channel_id: str | None
    default_stretch: float
    team_channel_id: str
    checkin_weekday: int
    checkin_time: dt.time
    timezone: str


@use_case
def save_settings(services: Services, *, actor: Actor, settings: SettingsInput) -> None:
    """The workspace's settings and the team's rhythm, in one transaction: a
    refused team setting leaves the workspace's unchanged too."""
    member = acting(services, actor)
    services.members.update_settings(
        actor_id=member.id,
        fiscal_start_month=settings.fiscal_start_month,
        leaders_channel_id=settings.leaders_channel_id,
        default_stretch=settings.default_stretch,
    )
    services.members.configure_team(
        workspace_id=member.workspace_id,
        channel_id=settings.team_channel_id,
        checkin_weekday=settings.checkin_weekday,
        checkin_time=settings.checkin_time,
        timezone=settings.timezone,
        stretch=settings.default_stretch,
    )


@use_case
def uninstalled(services: Services, *, slack_team_id: str, now: dt.datetime) -> None:
    services.members.mark_uninstalled(slack_team_id=slack_team_id, now=now)
