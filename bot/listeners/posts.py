"""Messages listeners send about plans: to the manager, to the owner, to the leaders channel."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.plan_card import plan_blocks
from bot.blocks.primitives import context
from bot.blocks.text import escape_mrkdwn
from bot.ids import Action
from bot.outbox.digest import send_digest
from bot.outbox.posts import delete_post, keep_or_delete
from bot.outbox.store import OutboxStore
from bot.usecases.digest import Digest
from bot.usecases.plans import ManagerRequest
from bot.usecases.sharing import SharedPost, ShareOutcome, Unshared, Withdrawn

log = logging.getLogger(__name__)


def ask_manager(
    client: WebClient, request: ManagerRequest | None, *, outbox: OutboxStore, now: dt.datetime
) -> None:
    """The owner's manager is asked to read, and acknowledge, the plan: in
    their digest of the day (posted with the first request, edited after)."""
    if request is not None and request.digest is not None:
        send_digest(store=outbox, client=client, digest=request.digest, now=now)


def refresh_digest(
    client: WebClient, digest: Digest | None, *, outbox: OutboxStore, now: dt.datetime
) -> None:
    """The actor acted on something their digest lists: today's, if any, says so."""
    if digest is not None:
        send_digest(store=outbox, client=client, digest=digest, now=now, post=False)


STALE_SCAN = 100  # the latest messages of a DM looked at for stale acknowledge buttons


def mark_stale_requests(
    client: WebClient, *, slack_user_ids: list[str], plan_id: int, revision: int
) -> None:
    """A new revision makes every older *Acknowledge revision N* button of the
    plan stale: in each person's DM with myplan, the bot's recent messages lose
    that button and say which revision to read instead."""
    for slack_user_id in dict.fromkeys(slack_user_ids):
        try:
            channel = str(client.conversations_open(users=slack_user_id)["channel"]["id"])
            history = client.conversations_history(channel=channel, limit=STALE_SCAN)
        except SlackApiError:
            log.exception("could not look for stale requests of plan %s", plan_id)
            continue
        for message in history.get("messages") or []:
            blocks = stale_blocks(message.get("blocks"), plan_id=plan_id, revision=revision)
            if blocks is None:
                continue
            try:
                client.chat_update(
                    channel=channel, ts=str(message["ts"]), text=message.get("text"), blocks=blocks
                )
            except SlackApiError:
                log.exception("could not mark a stale request of plan %s", plan_id)


def stale_blocks(blocks: object, *, plan_id: int, revision: int) -> list[dict[str, Any]] | None:
    """``blocks`` without their acknowledge buttons of ``plan_id`` for a revision
    before ``revision``, with a line saying so; None when there are none."""
    if not isinstance(blocks, list):
        return None
    kept: list[dict[str, Any]] = []
    older: set[int] = set()
    for block in blocks:
        if not isinstance(block, dict):
            return None
        if block.get("type") != "actions":
            kept.append(block)
            continue
        elements = []
        for element in block.get("elements") or []:
            stale = _stale_revision(element, plan_id=plan_id, revision=revision)
            if stale is None:
                elements.append(element)
            else:
                older.add(stale)
        if elements:
            kept.append({**block, "elements": elements})
    if not older:
        return None
    was = ", ".join(str(number) for number in sorted(older))
    kept.append(
        context(
            f":hourglass: Revision {was} of this plan was replaced by revision {revision}: "
            "read that one, then acknowledge it."
        )
    )
    return kept


def _stale_revision(element: object, *, plan_id: int, revision: int) -> int | None:
    """The revision an acknowledge button of ``plan_id`` names, if older than ``revision``."""
    if not isinstance(element, dict) or element.get("action_id") != Action.ACKNOWLEDGE.value:
        return None
    try:
        value = json.loads(str(element.get("value") or ""))
    except ValueError:
        return None
    if not isinstance(value, dict) or value.get("plan") != plan_id:
        return None
    named = value.get("revision")
    return named if isinstance(named, int) and named < revision else None


def refresh_leaders_post(
    client: WebClient, outbox: OutboxStore, *, post: SharedPost | Withdrawn | None
) -> bool:
    """Bring a plan's post in the leaders channel up to date after a change, or
    delete it when the plan is no longer public. False if it has none (or
    Slack refused to delete it: it stays on record, to delete next time)."""
    if isinstance(post, Withdrawn):
        return delete_post(
            store=outbox,
            client=client,
            plan_id=post.plan_id,
            channel_id=post.channel_id,
            ts=post.ts,
        )
    if post is None:
        return False
    card = post.card
    try:
        client.chat_update(
            channel=post.channel_id,
            ts=post.ts,
            text=f"{escape_mrkdwn(card.owner_name)}'s {card.plan.quarter.label} plan",
            blocks=plan_blocks(
                card.plan, owner_name=card.owner_name, manager_name=card.manager_name
            ),
        )
    except SlackApiError:
        log.exception("could not update the shared plan post")
    return True


NOT_A_LEADER = (
    "Your plan is public now: anyone in the workspace can see it, with `/myplan @you` "
    "and on their App Home. Only leaders (people who have reports in myplan) post their "
    "plans to the leaders channel, so it is not posted there. `/myplan unshare` makes it "
    "private again."
)


def post_shared_plan(client: WebClient, outbox: OutboxStore, *, shared: ShareOutcome) -> str:
    """Post (or bring up to date) a leader's plan just made public in the
    leaders channel; returns what to tell its owner."""
    if shared.plan is None or shared.card is None:
        return "Start your plan with `/myplan` first, then share it."
    if not shared.leads:
        refresh_leaders_post(
            client, outbox, post=shared.existing_post
        )  # a former leader's: deleted
        return NOT_A_LEADER
    if shared.leaders_channel_id is None:
        return (
            "Your plan is public now. No leaders channel is set yet: "
            "an admin can set one with `/myplan settings`."
        )
    if refresh_leaders_post(client, outbox, post=shared.existing_post):
        return "Your plan is public, and its post in the leaders channel is up to date."
    card = shared.card
    try:
        posted = client.chat_postMessage(
            channel=shared.leaders_channel_id,
            text=f"{escape_mrkdwn(card.owner_name)} shared their {card.plan.quarter.label} plan",
            blocks=plan_blocks(
                card.plan, owner_name=card.owner_name, manager_name=card.manager_name
            ),
        )
    except SlackApiError as error:
        log.exception("could not post to the leaders channel")
        return (
            "Your plan is public, but I could not post it to the leaders channel "
            f"({error.response['error']}): invite me there with `/invite @myplan`."
        )
    channel = str(posted["channel"])
    if not keep_or_delete(
        store=outbox, client=client, plan_id=card.plan.id, channel_id=channel, ts=str(posted["ts"])
    ):
        return "Your plan changed while I posted it, so it is not in the leaders channel."
    return f"Your plan is public and posted in <#{channel}>."


def tell_unshared(client: WebClient, outbox: OutboxStore, *, unshared: Unshared) -> str:
    """Delete the unshared plan's post in the leaders channel; returns what to
    tell its owner."""
    if unshared.plan is None:
        return "You have no plan this quarter to unshare."
    text = (
        "Your plan is private now: only you and your manager chain can see it. "
        "Choose *Team* under *Who can see it* in `/myplan edit` to show it to your team."
    )
    if unshared.withdrawn is None:
        return text
    if refresh_leaders_post(client, outbox, post=unshared.withdrawn):
        return text + " Its post in the leaders channel is deleted."
    return text + (
        " Slack would not delete its post in the leaders channel just now: "
        "I will try again when your plan next changes."
    )
