"""Send a scheduled message exactly once, across retries, processes and crashes.

1. Claim the delivery's key in the database (unique: one claimer wins).
2. Post it with the key in the message's metadata.
3. Record it as sent.
A process killed between 2 and 3 leaves the claim pending; after
RECOVERY_AFTER, whoever takes it over (compare-and-swap) first looks in the
channel's history (for a thread reply, in its thread) for a message carrying
the key, and only sends if none.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.db.models import DeliveryState
from bot.outbox.pacing import Pacer
from bot.outbox.store import OutboxStore

log = logging.getLogger(__name__)
RECOVERY_AFTER = dt.timedelta(minutes=2)
EVENT_TYPE = "myplan_delivery"
RECOVERY_PAGES = 5


# Errors about our token, not about the channel: nothing in this workspace can
# be sent now, and nothing should be written off; a later tick (after a
# reinstall) sends it if it is still due.
WORKSPACE_ERRORS = frozenset({"token_revoked", "invalid_auth", "not_authed", "account_inactive"})


class WorkspaceUnavailable(Exception):
    """Slack refused our token for this workspace."""


class Outcome(StrEnum):
    SENT = "sent"
    ALREADY = "already"  # sent before, or being sent by another process right now
    RECOVERED = "recovered"  # a crashed send had reached Slack: recorded, not resent
    FAILED = "failed"


@dataclass(frozen=True)
class Delivered:
    outcome: Outcome
    channel: str | None = None
    ts: str | None = None
    error: str | None = None


def deliver(
    *,
    store: OutboxStore,
    client: WebClient,
    workspace_id: int,
    key: str,
    kind: str,
    channel: str,
    due_at: dt.datetime,
    now: dt.datetime,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    thread_ts: str | None = None,
    pacer: Pacer | None = None,
) -> Delivered:
    if store.settled(workspace_id=workspace_id, key=key):
        return Delivered(Outcome.ALREADY)
    claim = store.claim(
        workspace_id=workspace_id, key=key, kind=kind, due_at=due_at, now=now, channel_id=channel
    )
    if not claim.fresh:
        if claim.state is not DeliveryState.PENDING:
            store.remember_settled(workspace_id=workspace_id, key=key)
            return Delivered(Outcome.ALREADY, claim.channel_id, claim.ts)
        if now - claim.claimed_at < RECOVERY_AFTER:
            return Delivered(Outcome.ALREADY)
        if not store.take_over(delivery_id=claim.id, seen_claimed_at=claim.claimed_at, now=now):
            return Delivered(Outcome.ALREADY)
        found = _find_posted(client=client, channel=channel, key=key, thread_ts=thread_ts)
        if found is not None:
            store.mark_sent(delivery_id=claim.id, channel_id=found[0], ts=found[1], now=now)
            store.remember_settled(workspace_id=workspace_id, key=key)
            return Delivered(Outcome.RECOVERED, *found)
    if pacer is not None:
        pacer.wait(channel)
    try:
        response = client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            thread_ts=thread_ts,
            metadata={"event_type": EVENT_TYPE, "event_payload": {"key": key}},
        )
    except SlackApiError as error:
        code = str(error.response.get("error") or error.response.status_code)
        log.warning("delivery %s to %s failed: %s", key, channel, code)
        # To a person, account_inactive means that person left: theirs alone.
        person_gone = code == "account_inactive" and channel.startswith(("U", "W"))
        if code in WORKSPACE_ERRORS and not person_gone:
            store.release(delivery_id=claim.id)
            raise WorkspaceUnavailable(code) from error
        store.mark_failed(delivery_id=claim.id, error=code)
        store.remember_settled(workspace_id=workspace_id, key=key)
        return Delivered(Outcome.FAILED, channel, error=code)
    sent_channel, ts = str(response["channel"]), str(response["ts"])
    store.mark_sent(delivery_id=claim.id, channel_id=sent_channel, ts=ts, now=now)
    store.remember_settled(workspace_id=workspace_id, key=key)
    return Delivered(Outcome.SENT, sent_channel, ts)


def _find_posted(
    *, client: WebClient, channel: str, key: str, thread_ts: str | None = None
) -> tuple[str, str] | None:
    """A message of ours in ``channel`` carrying ``key`` in its metadata; a
    reply is looked for in its thread, since a channel's history lists
    top-level messages only."""
    try:
        if channel.startswith(("U", "W")):
            channel = str(client.conversations_open(users=channel)["channel"]["id"])
        cursor = None
        # Recovery runs within the day of the delivery, so the message, if it
        # was posted, is among the channel's latest; the cap bounds the cost.
        for _ in range(RECOVERY_PAGES):
            page = _page(client, channel=channel, thread_ts=thread_ts, cursor=cursor)
            for message in page["messages"]:
                metadata = message.get("metadata") or {}
                if (
                    metadata.get("event_type") == EVENT_TYPE
                    and metadata.get("event_payload", {}).get("key") == key
                ):
                    return channel, str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None
    except SlackApiError:
        log.exception("could not check %s for delivery %s", channel, key)
        return None


def _page(
    client: WebClient, *, channel: str, thread_ts: str | None, cursor: str | None
) -> SlackResponse:
    """One page of the channel's history, newest first, or of the thread, oldest first."""
    if thread_ts is None:
        return client.conversations_history(
            channel=channel, include_all_metadata=True, limit=200, cursor=cursor
        )
    return client.conversations_replies(
        channel=channel, ts=thread_ts, include_all_metadata=True, limit=200, cursor=cursor
    )
