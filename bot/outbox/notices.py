"""Telling a person in Slack that a scheduled post failed for a reason they
can fix, with the fix: once per channel, error and week, to each of them."""

from __future__ import annotations

# Slack's refusals a person can fix: invite the bot, or choose another channel.
FIXABLE = frozenset({"not_in_channel", "channel_not_found", "is_archived"})
# The leaders channel is a workspace setting: only admins can choose another.
LEADERS_KINDS = frozenset({"leaders-prompt", "leader-plan"})
WHAT = {
    "checkin-prompt": "this week's check-in thread",
    "leaders-prompt": "the leaders' weekly check-in thread",
    "leader-plan": "a leader's plan",
}
WHY = {
    "not_in_channel": "I'm not in that channel",
    "channel_not_found": "Slack can't find that channel (deleted, or private without me in it)",
    "is_archived": "that channel is archived",
}
FIX = {
    "not_in_channel": "type `/invite @myplan` in <#{channel}>",
    "channel_not_found": "if it is private, type `/invite @myplan` in it",
    "is_archived": "unarchive it",
}


def fixable(*, channel: str, error: str | None) -> bool:
    """A channel's refusal a person can fix (a DM's is the recipient's own)."""
    return error in FIXABLE and not channel.startswith(("U", "W", "D"))


def posting_failure_text(*, kind: str, channel: str, error: str) -> str:
    what = WHAT.get(kind, "a message")
    fix = FIX[error].format(channel=channel)
    return (
        f"I couldn't post {what} in <#{channel}>: {WHY[error]}. "
        f"To fix it, {fix}, or choose another channel in `/myplan settings`. "
        "This week's post will not be sent again; the next one will, once it is fixed."
    )
