"""A plan's one post in the leaders channel: kept (recorded) only while the
plan is public, deleted and forgotten when it stops being so."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.outbox.store import OutboxStore

log = logging.getLogger(__name__)


def keep_or_delete(
    *, store: OutboxStore, client: WebClient, plan_id: int, channel_id: str, ts: str
) -> bool:
    """Record a post just made as the plan's post in the leaders channel; if
    the plan stopped being public meanwhile (or has a post already), delete
    it. True when it is kept."""
    if store.record_shared_post(plan_id=plan_id, channel_id=channel_id, ts=ts):
        return True
    delete_post(store=store, client=client, plan_id=plan_id, channel_id=channel_id, ts=ts)
    return False


def delete_post(
    *, store: OutboxStore, client: WebClient, plan_id: int, channel_id: str, ts: str
) -> bool:
    """Delete a plan's post in the leaders channel, then forget it. When Slack
    refuses, it is kept on record, so the next change of the plan tries again."""
    try:
        client.chat_delete(channel=channel_id, ts=ts)
    except SlackApiError as error:
        if error.response.get("error") != "message_not_found":
            log.exception("could not delete the post of plan %s in %s", plan_id, channel_id)
            return False
    store.forget_shared_post(plan_id=plan_id, ts=ts)
    return True
