"""What Slack says of a person, read before a use case that keeps it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.domain.permissions import ChannelMembership
from bot.domain.text import NAME_MAX, keepable
from bot.usecases.common import Profile

log = logging.getLogger(__name__)
T = TypeVar("T")
# Reads from Slack that a modal's answer waits for (who someone is, whether they
# are in a channel) go out side by side: the ack then waits one round trip, not three.
_READS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="slack-read")


def reading(call: Callable[[], T]) -> Future[T]:
    """``call`` (a read from Slack) started now, alongside the others."""
    return _READS.submit(call)


def slack_profile(client: WebClient, slack_user_id: str) -> Profile | None:
    """Name, time zone, locale and admin flag from users.info; None when Slack says nothing."""
    try:
        user = client.users_info(user=slack_user_id, include_locale=True)["user"]
    except SlackApiError as error:  # a forged or gone id (user_not_found): one line
        log.warning("users.info refused %s: %s", slack_user_id, error.response.get("error"))
        return None
    return profile_of(user)


def channel_membership(
    client: WebClient, *, channel_id: str, slack_user_id: str
) -> ChannelMembership:
    """Whether Slack counts the person in the channel now (conversations.members,
    read page by page until they are found). A private channel myplan is not
    in, like a channel that does not exist, is one it cannot see."""
    try:
        for page in client.conversations_members(channel=channel_id, limit=1000):
            if slack_user_id in (page.get("members") or ()):
                return ChannelMembership.MEMBER
    except SlackApiError as error:  # channel_not_found, a forged id: one line
        log.warning("conversations.members refused %s: %s", channel_id, error.response.get("error"))
        return ChannelMembership.UNSEEN
    return ChannelMembership.OUTSIDE


def profile_of(user: Mapping[str, Any]) -> Profile:
    """A Slack user object (users.info's, or a user_change event's) as a profile."""
    profile = user.get("profile") or {}
    tz = user.get("tz")
    locale = user.get("locale")
    team = user.get("team_id") or profile.get("team")
    return Profile(
        display_name=keepable(
            str(user.get("real_name") or profile.get("real_name") or user.get("name") or ""),
            limit=NAME_MAX,
        ),
        timezone=tz if isinstance(tz, str) and tz else None,
        locale=locale if isinstance(locale, str) and 0 < len(locale) <= 16 else None,
        is_slack_admin=bool(user.get("is_admin") or user.get("is_owner")),
        deleted=bool(user.get("deleted")),
        is_bot=bool(user.get("is_bot")),
        slack_team_id=team if isinstance(team, str) else None,
    )
