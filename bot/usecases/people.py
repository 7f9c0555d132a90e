"""People change: what Slack says of someone (user_change), and a member's
own changes of manager and team."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.services import Services, use_case
from bot.usecases.common import Profile


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
