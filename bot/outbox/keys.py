"""Every delivery's key: unique per workspace, so each message is sent once."""

from __future__ import annotations

import datetime as dt


def prompt_key(team_id: int, monday: dt.date) -> str:
    """A team's weekly check-in thread."""
    return f"checkin-prompt:team={team_id}:week={monday.isoformat()}"


def leaders_prompt_key(workspace_id: int, monday: dt.date) -> str:
    """The leaders' weekly check-in thread of a workspace."""
    return f"leaders-prompt:workspace={workspace_id}:week={monday.isoformat()}"


def leaders_reply_key(member_id: int, monday: dt.date) -> str:
    """A leader's check-in in the leaders' thread."""
    return f"leaders-reply:member={member_id}:week={monday.isoformat()}"


def manager_copy_key(plan_id: int, monday: dt.date, *, manager_id: int) -> str:
    """A check-in of the week of ``monday``, whole, in its owner's manager's DM."""
    return f"checkin-copy:plan={plan_id}:week={monday.isoformat()}:to={manager_id}"


def leader_plan_key(plan_id: int) -> str:
    """A leader's public plan, posted to the leaders' channel once a quarter."""
    return f"leader-plan:plan={plan_id}"


def reminder_key(member_id: int, monday: dt.date) -> str:
    """A member's check-in reminder for the week of ``monday``."""
    return f"checkin-reminder:member={member_id}:week={monday.isoformat()}"


def review_request_key(plan_id: int, recipient: str) -> str:
    """The request to review a plan, to its owner or their manager (a Slack user id)."""
    return f"review-request:plan={plan_id}:to={recipient}"


def review_reminder_key(plan_id: int, recipient: str) -> str:
    """The one reminder to review a plan, on the review window's last working day."""
    return f"review-reminder:plan={plan_id}:to={recipient}"


def standards_key(team_id: int, quarter_label: str) -> str:
    """A team's proposed standards, to its leader after the quarter."""
    return f"standards:team={team_id}:quarter={quarter_label}"


def posting_failure_key(channel_id: str, error: str, *, monday: dt.date, recipient: str) -> str:
    """The notice that posting to a channel failed for a reason a person can
    fix, to one of those who can (a Slack user id): once per channel, error and week."""
    return (
        f"posting-failure:channel={channel_id}:error={error}"
        f":week={monday.isoformat()}:to={recipient}"
    )


def manager_left_key(member_id: int, *, manager_id: int) -> str:
    """The one notice to a member that their manager left the workspace."""
    return f"manager-left:member={member_id}:manager={manager_id}"


def left_channel_key(member_id: int, *, channel_id: str, at: dt.datetime) -> str:
    """The one notice to a member that leaving their team's channel left the team."""
    return f"left-channel:member={member_id}:channel={channel_id}:at={at:%Y%m%dT%H%M%S}"


def named_in(key: str) -> dict[str, str]:
    """What a key names, ``{"plan": "12", "week": "2026-12-07", "to": "U7"}``:
    every ``name=value`` part of the keys above, for finding the deliveries
    about someone (bot/services/erasure.py)."""
    parts = (part.partition("=") for part in key.split(":")[1:])
    return {name: value for name, sep, value in parts if sep}


def proposal_nudge_key(plan_id: int, number: int) -> str:
    """The ``number``-th weekly ask to propose a draft plan (1: the quarter's first week)."""
    return f"proposal-nudge:plan={plan_id}:n={number}"


def grace_close_key(plan_id: int) -> str:
    """The one notice that a plan nobody reviewed closed by itself after the grace period."""
    return f"grace-close:plan={plan_id}"


def digest_key(manager_id: int, day: dt.date) -> str:
    """A manager's digest of the day (their local date): posted once, then edited."""
    return f"manager-digest:member={manager_id}:day={day.isoformat()}"
