"""Messages listeners send about plans: to the manager, to the owner, to the leaders channel."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.plan_card import plan_blocks, proposal_blocks
from bot.blocks.text import escape_mrkdwn
from bot.listeners.replies import dm
from bot.outbox.erasure import about_metadata
from bot.outbox.posts import delete_post, keep_or_delete
from bot.outbox.store import OutboxStore
from bot.usecases.plans import ManagerRequest
from bot.usecases.sharing import SharedPost, ShareOutcome, Unshared, Withdrawn

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
        # Found and deleted by this mark when the owner is forgotten.
        metadata=about_metadata(member_id=request.plan.owner_id),
    )


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
