"""Messages listeners send about plans: to the manager, to the owner, to the leaders channel."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.plan_card import plan_blocks, proposal_blocks
from bot.blocks.text import escape_mrkdwn
from bot.listeners.replies import dm
from bot.outbox.store import OutboxStore
from bot.usecases.plans import ManagerRequest, SharedPost, ShareOutcome

log = logging.getLogger(__name__)


def ask_manager(client: WebClient, request: ManagerRequest | None) -> None:
    """The owner's manager is asked to read, and acknowledge, the plan."""
    if request is None:
        return
    dm(
        client,
        request.manager_slack_user_id,
        text=f"{escape_mrkdwn(request.owner_name)} asks you to review their "
        f"{request.plan.quarter.label} plan.",
        blocks=proposal_blocks(
            request.plan,
            owner_name=request.owner_name,
            manager_name=request.manager_name,
            changes=request.changes,
        ),
    )


def update_shared_post(client: WebClient, post: SharedPost | None) -> bool:
    """Bring a shared plan's post up to date after a change; False if never shared."""
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


def post_shared_plan(client: WebClient, outbox: OutboxStore, *, shared: ShareOutcome) -> str:
    """Post (or bring up to date) a plan just made public in the leaders
    channel; returns what to tell its owner."""
    if shared.plan is None or shared.card is None:
        return "Start your plan with `/myplan` first, then share it."
    if shared.leaders_channel_id is None:
        return (
            "Your plan is public now. No leaders channel is set yet: "
            "an admin can set one with `/myplan settings`."
        )
    if update_shared_post(client, shared.existing_post):
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
    outbox.record_shared_post(
        plan_id=card.plan.id, channel_id=str(posted["channel"]), ts=str(posted["ts"])
    )
    return f"Your plan is public and posted in <#{posted['channel']}>."
