"""Leaders share their plans: the plan is made public and posted to the leaders channel."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.plan_card import plan_blocks
from bot.listeners.common import display, name_of
from bot.services import Services
from bot.services.members import MemberRef

log = logging.getLogger(__name__)


def share_plan(client: WebClient, services: Services, member: MemberRef, plan_id: int) -> str:
    """Make the plan public and post (or update) it in the leaders channel.
    Returns what to tell the person."""
    plan = services.plans.share(actor_id=member.id, plan_id=plan_id)
    channel = services.members.workspace_settings(member_id=member.id).leaders_channel_id
    if channel is None:
        return (
            "Your plan is public now. No leaders channel is set yet: "
            "an admin can set one with `/myplan settings`."
        )
    if update_shared_post(client, services, plan_id):
        return "Your plan is public, and its post in the leaders channel is up to date."
    manager = services.members.get(plan.manager_id) if plan.manager_id else None
    blocks = plan_blocks(
        plan, owner_name=name_of(member), manager_name=name_of(manager) if manager else None
    )
    try:
        posted = client.chat_postMessage(
            channel=channel,
            text=f"{display(member)} shared their {plan.quarter.label} plan",
            blocks=blocks,
        )
    except SlackApiError as error:
        log.exception("could not post to the leaders channel")
        return (
            "Your plan is public, but I could not post it to the leaders channel "
            f"({error.response['error']}): invite me there with `/invite @myplan`."
        )
    services.plans.record_shared_post(
        plan_id=plan_id, channel_id=str(posted["channel"]), ts=str(posted["ts"])
    )
    return f"Your plan is public and posted in <#{posted['channel']}>."


def update_shared_post(client: WebClient, services: Services, plan_id: int) -> bool:
    """Bring a shared plan's post up to date after a change; False if never shared."""
    post = services.plans.shared_post(plan_id=plan_id)
    if post is None:
        return False
    channel, ts = post
    owner_id = services.plans.owner_of(plan_id=plan_id)
    plan = services.plans.get_plan(viewer_id=owner_id, plan_id=plan_id)
    owner = services.members.get(owner_id)
    manager = services.members.get(plan.manager_id) if plan.manager_id else None
    try:
        client.chat_update(
            channel=channel,
            ts=ts,
            text=f"{display(owner)}'s {plan.quarter.label} plan",
            blocks=plan_blocks(
                plan, owner_name=name_of(owner), manager_name=name_of(manager) if manager else None
            ),
        )
    except SlackApiError:
        log.exception("could not update the shared plan post")
    return True
