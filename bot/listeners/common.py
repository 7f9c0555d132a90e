"""What every listener shares: who is acting, today in their time zone, names."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.plan_card import manager_buttons, owner_buttons, plan_blocks, proposal_blocks
from bot.blocks.text import escape_mrkdwn
from bot.domain.quarters import local_date, zone
from bot.services import Services
from bot.services.members import MemberRef
from bot.services.plans import PlanView

log = logging.getLogger(__name__)


def today_for(member: MemberRef, now: dt.datetime) -> dt.date:
    return local_date(now, zone(member.timezone))


def name_of(member: MemberRef | None) -> str:
    if member is None:
        return "your manager"
    return member.display_name or member.slack_user_id


def display(member: MemberRef | None) -> str:
    """A name for message text: escaped, so a name never pings anyone."""
    return escape_mrkdwn(name_of(member))


def refresh_profile(
    *, client: WebClient, services: Services, member: MemberRef, team_id: str
) -> MemberRef:
    """Names, time zone and admin flag come from Slack's users.info."""
    try:
        user = client.users_info(user=member.slack_user_id)["user"]
    except SlackApiError:
        log.exception("users.info failed for %s", member.slack_user_id)
        return member
    profile = user.get("profile", {})
    return services.members.ensure_member(
        slack_team_id=team_id,
        slack_user_id=member.slack_user_id,
        display_name=user.get("real_name") or profile.get("real_name") or user.get("name") or "",
        timezone=user.get("tz") or member.timezone,
        is_slack_admin=bool(user.get("is_admin") or user.get("is_owner")),
    )


def owner_card(plan: PlanView, services: Services) -> list[dict[str, Any]]:
    waiting_for = sorted(plan.acknowledgement.waiting_for)
    people = services.members.many(
        [plan.owner_id, *([plan.manager_id] if plan.manager_id else []), *waiting_for]
    )
    manager = people.get(plan.manager_id) if plan.manager_id else None
    waiting = [name_of(people[member_id]) for member_id in waiting_for if member_id in people]
    return plan_blocks(
        plan,
        owner_name=name_of(people.get(plan.owner_id)),
        manager_name=name_of(manager) if manager else None,
        waiting_names=waiting if plan.state.value == "proposed" else (),
        buttons=owner_buttons(plan)
        if plan.access.edit
        else manager_buttons(plan)
        if plan.access.comment
        else (),
    )


def tell(*, respond: Any, client: WebClient | None, slack_user_id: str | None, text: str) -> None:
    """Answer the person privately: where they acted if Slack gave us a
    response_url, else in the app's DM with them."""
    if respond is not None:
        try:
            respond(text=text, replace_original=False, response_type="ephemeral")
            return
        except Exception:  # no usable response_url (App Home buttons, modals)
            log.info("no response_url to answer on; sending a DM", exc_info=True)
    if client is not None and slack_user_id:
        dm(client, slack_user_id, text)


def dm(
    client: WebClient, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None
) -> str | None:
    """Post in the app's DM with a person; posting to a user id costs one call, not two."""
    try:
        response = client.chat_postMessage(channel=user_id, text=text, blocks=blocks)
    except SlackApiError:
        log.exception("could not DM %s", user_id)
        return None
    return str(response["ts"])


def ask_manager(client: WebClient, services: Services, plan: PlanView, changes: list[str]) -> None:
    if plan.manager_id is None:
        return
    manager = services.members.get(plan.manager_id)
    manager_view = services.plans.get_plan(viewer_id=manager.id, plan_id=plan.id)
    owner = services.members.get(plan.owner_id)
    dm(
        client,
        manager.slack_user_id,
        f"{display(owner)} asks you to review their {plan.quarter.label} plan.",
        proposal_blocks(
            manager_view, owner_name=name_of(owner), manager_name=name_of(manager), changes=changes
        ),
    )
