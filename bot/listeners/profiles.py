"""What Slack says of a person, read before a use case that keeps it."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.text import NAME_MAX, keepable
from bot.usecases.common import Profile

log = logging.getLogger(__name__)


def slack_profile(client: WebClient, slack_user_id: str) -> Profile | None:
    """Name, time zone and admin flag from users.info; None when Slack says nothing."""
    try:
        user = client.users_info(user=slack_user_id)["user"]
    except SlackApiError:
        log.exception("users.info failed for %s", slack_user_id)
        return None
    profile = user.get("profile", {})
    name = user.get("real_name") or profile.get("real_name") or user.get("name") or ""
    return Profile(
        display_name=keepable(str(name), limit=NAME_MAX),
        timezone=user.get("tz"),
        is_slack_admin=bool(user.get("is_admin") or user.get("is_owner")),
    )
