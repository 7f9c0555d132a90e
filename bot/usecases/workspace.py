"""Joining: onboarding; leaving and coming back: uninstalls and reinstalls.
(Settings: bot/usecases/settings.py.)"""

from __future__ import annotations

import datetime as dt

from bot.domain import fields
from bot.domain.errors import ValidationError
from bot.domain.permissions import ChannelMembership, refuse_team_channel
from bot.services import Services, use_case
from bot.usecases.common import Actor, Profile, acting, today_for
from bot.usecases.people import manager_from_slack
from bot.usecases.plans import OpenBuilder


@use_case
def complete_onboarding(
    services: Services,
    *,
    actor: Actor,
    profile: Profile | None,
    manager_slack_user_id: str | None,
    manager_profile: Profile | None,
    no_manager: bool,
    channel_id: str | None,
    channel_membership: ChannelMembership,
    now: dt.datetime,
) -> OpenBuilder:
    """Who your manager is (or that you have none in this workspace) and which
    channel your team checks in to; then the builder on this quarter's plan.
    What Slack says of the member and of their manager (``profile``,
    ``manager_profile``: users.info, read by the listener) is kept. The
    channel is joined only by someone Slack counts in it (``channel_membership``:
    conversations.members, read by the listener)."""
    if bool(manager_slack_user_id) == no_manager:
        raise ValidationError(
            {
                fields.MANAGER: "You chose a manager and ticked that you have none: choose one."
                if no_manager
                else "Choose your manager, or tick “I have no manager in this workspace”."
            }
        )
    if channel_id:
        refuse_team_channel(channel_membership, channel_id=channel_id, field=fields.TEAM_CHANNEL)
    member = acting(services, actor, profile=profile)
    manager_id = None
    if manager_slack_user_id:
        manager_id = manager_from_slack(
            services, actor=actor, slack_user_id=manager_slack_user_id, profile=manager_profile
        ).id
    services.members.set_manager(
        member_id=member.id,
        manager_id=manager_id,
        changed_by_id=member.id,
        now=now,
        no_manager=no_manager,
    )
    if channel_id:
        team_id = services.members.team_for_channel(
            workspace_id=member.workspace_id, channel_id=channel_id
        )
        if team_id is None:
            # A new team takes its creator's zone (from Slack), not UTC.
            team_id = services.members.configure_team(
                workspace_id=member.workspace_id, channel_id=channel_id, timezone=member.timezone
            )
        services.members.join_team(member_id=member.id, team_id=team_id)
    services.members.mark_onboarded(member_id=member.id, now=now)
    return OpenBuilder(
        plan=services.plans.start_plan(owner_id=member.id, today=today_for(member, now))
    )


@use_case
def uninstalled(services: Services, *, slack_team_id: str, now: dt.datetime) -> None:
    services.members.mark_uninstalled(slack_team_id=slack_team_id, now=now)


@use_case
def installed(services: Services, *, slack_team_id: str, name: str = "") -> bool:
    """The app is installed in the workspace: an OAuth install completed, or
    (one workspace) Slack accepted the bot token at start. A workspace marked
    uninstalled resumes: the clock serves it again from its next due time,
    by its usual rules (a prompt whose local day is over, a reminder whose
    day has passed, are stale and not sent). True when it was uninstalled."""
    return services.members.mark_installed(slack_team_id=slack_team_id, name=name)
