"""Deleting what the bot posted about someone, where Slack lets a bot token:
its own messages (chat.delete), the recorded ones and those its DMs carry
the person's mark on (message metadata)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

# The mark a DM about a person carries, so it can be found and deleted when
# they are forgotten: {"event_type": ABOUT, "event_payload": {"member_id": 12}}
# (or {"user": "U123"}: their Slack user id, in the workspace of the DM).
ABOUT = "myplan_about"
HISTORY_PAGES = 50


def about_metadata(
    *, member_id: int | None = None, slack_user_id: str | None = None
) -> dict[str, Any]:
    payload: dict[str, Any] = {}
    if member_id is not None:
        payload["member_id"] = member_id
    if slack_user_id is not None:
        payload["user"] = slack_user_id
    return {"event_type": ABOUT, "event_payload": payload}


@dataclass(frozen=True, kw_only=True)
class Subject:
    """Whom a forget is about: a DM marked with either is about them."""

    member_id: int
    slack_user_id: str

    def marks(self, metadata: dict[str, Any]) -> bool:
        if metadata.get("event_type") != ABOUT:
            return False
        payload = metadata.get("event_payload") or {}
        return payload.get("member_id") == self.member_id or payload.get("user") == (
            self.slack_user_id
        )


@dataclass
class Deleted:
    deleted: int = 0
    kept: list[str] = field(default_factory=list)  # "channel ts: error", for the operator

    def add(self, other: Deleted) -> None:
        self.deleted += other.deleted
        self.kept += other.kept


def delete_posts(client: WebClient, posts: Iterable[tuple[str, str]]) -> Deleted:
    """Delete each (channel, ts); one already gone counts as deleted."""
    done = Deleted()
    for channel, ts in posts:
        try:
            client.chat_delete(channel=channel, ts=ts)
        except SlackApiError as error:
            code = str(error.response.get("error"))
            if code != "message_not_found":
                log.warning("could not delete %s %s: %s", channel, ts, code)
                done.kept.append(f"{channel} {ts}: {code}")
                continue
        done.deleted += 1
    return done


def sweep_dm(
    client: WebClient, *, user_id: str, bot_user_id: str, about: Subject | None
) -> Deleted:
    """Delete the bot's messages in its DM with ``user_id``: all of them
    (``about`` None: the DM of the person forgotten), or those marked as
    about them (the DMs of their managers, reports, and whose plans they
    commented on)."""
    try:
        channel = str(client.conversations_open(users=user_id)["channel"]["id"])
        found = _ours(client, channel=channel, bot_user_id=bot_user_id, about=about)
    except SlackApiError as error:
        code = str(error.response.get("error"))
        log.warning("could not read the DM with %s: %s", user_id, code)
        return Deleted(kept=[f"DM with {user_id}: {code}"])
    return delete_posts(client, ((channel, ts) for ts in found))


def find_marked(
    client: WebClient, *, user_id: str, bot_user_id: str, about: Subject, containing: str
) -> list[tuple[str, dict[str, Any]]]:
    """The bot's messages in its DM with ``user_id`` marked as about someone
    whose text or blocks hold ``containing``: (channel, message), newest first."""
    channel = str(client.conversations_open(users=user_id)["channel"]["id"])
    found = []
    cursor = None
    for _ in range(HISTORY_PAGES):
        page = client.conversations_history(
            channel=channel, include_all_metadata=True, limit=200, cursor=cursor
        )
        for message in page["messages"]:
            if (
                message.get("user") == bot_user_id
                and about.marks(message.get("metadata") or {})
                and any(containing in text for text in texts(message))
            ):
                found.append((channel, dict(message)))
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    return found


def texts(value: Any) -> list[str]:
    """Every string a message holds (its text, its blocks' texts)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts(item)]
    return []


def _ours(client: WebClient, *, channel: str, bot_user_id: str, about: Subject | None) -> list[str]:
    found: list[str] = []
    cursor = None
    for _ in range(HISTORY_PAGES):
        page = client.conversations_history(
            channel=channel, include_all_metadata=True, limit=200, cursor=cursor
        )
        for message in page["messages"]:
            if message.get("user") != bot_user_id:
                continue
            if about is None or about.marks(message.get("metadata") or {}):
                found.append(str(message["ts"]))
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            break
    return found
