"""Buttons: edit, propose, acknowledge, comment, suggest, share, start."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.blocks import builder
from bot.blocks.builder import plan_builder_modal
from bot.blocks.conversation import comment_modal
from bot.domain.content import MAX_COMMITMENTS
from bot.domain.errors import PermissionDenied
from bot.domain.plans import PlanState
from bot.ids import Action
from bot.listeners.commands import builder_view, open_builder
from bot.listeners.common import ask_manager, display, dm, name_of, owner_card, tell, today_for
from bot.listeners.running import guarded
from bot.listeners.sharing import share_plan
from bot.services import Services
from bot.services.members import MemberRef


def register(app: App) -> None:
    app.action(Action.EDIT.value)(guarded(edit))
    app.action(Action.PROPOSE.value)(guarded(propose))
    app.action(Action.ACKNOWLEDGE.value)(guarded(acknowledge))
    app.action(Action.COMMENT.value)(guarded(comment))
    app.action(Action.SUGGEST.value)(guarded(comment))
    app.action(Action.SHARE.value)(guarded(share))
    app.action(Action.START.value)(guarded(start))
    app.action(Action.ADD_COMMITMENT.value)(guarded(add_commitment))


def _plan_id(body: dict[str, Any]) -> int:
    """The plan a button names. Only a hint: every use is checked against the
    database for what the clicking member may do."""
    value = body["actions"][0].get("value") or "0"
    try:
        return int(json.loads(value)["plan"]) if value.startswith("{") else int(value)
    except (ValueError, KeyError, TypeError):
        return 0


def _tell(respond: Respond, client: WebClient, member: MemberRef, text: str) -> None:
    tell(respond=respond, client=client, slack_user_id=member.slack_user_id, text=text)


def edit(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    member: MemberRef,
) -> None:
    ack()
    # A domain error here (a plan this member may not see or edit) is told to
    # them by guarded(); see listeners/common.py.
    plan = services.plans.get_plan(viewer_id=member.id, plan_id=_plan_id(body))
    if not plan.access.edit:
        raise PermissionDenied(
            "Only the plan's owner can change it; you can comment or suggest an edit."
        )
    client.views_open(
        trigger_id=body["trigger_id"],
        view=builder_view(plan.id, plan.quarter.label, plan.content, len(plan.commitments)),
    )


def add_commitment(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Re-render the builder with one more commitment slot, from what was typed
    so far: nothing is lost, and nothing is saved until the person submits."""
    ack()
    view = body["view"]
    typed = builder.read_submission(view)
    slots = min(MAX_COMMITMENTS, max(len(typed.plan.commitments), typed.slots) + 1)
    client.views_update(
        view_id=view["id"],
        hash=view["hash"],
        view=plan_builder_modal(
            plan_id=typed.plan_id,
            quarter_label=typed.quarter_label,
            plan=typed.plan,
            slots=slots,
        ),
    )


def start(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    services: Services,
    member: MemberRef,
    now: dt.datetime,
) -> None:
    ack()
    open_builder(client, services, member, body["trigger_id"], today_for(member, now))


def propose(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    member: MemberRef,
    now: dt.datetime,
) -> None:
    ack()
    plan = services.plans.propose(actor_id=member.id, plan_id=_plan_id(body), now=now)
    if plan.state is PlanState.ACTIVE:
        _tell(
            respond,
            client,
            member,
            "Your plan is active: with no manager set, your acknowledgement is enough.",
        )
        return
    ask_manager(client, services, plan, [])
    manager = services.members.get(plan.manager_id) if plan.manager_id else None
    _tell(respond, client, member, f"Sent to {display(manager)} to acknowledge.")


def acknowledge(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    member: MemberRef,
    now: dt.datetime,
) -> None:
    ack()
    try:
        value = json.loads(body["actions"][0].get("value") or "{}")
        plan_id, revision = int(value["plan"]), int(value["revision"])
    except (ValueError, KeyError, TypeError):
        _tell(
            respond,
            client,
            member,
            "That button is out of date: open the plan again with `/myplan`.",
        )
        return
    plan = services.plans.acknowledge(
        actor_id=member.id, plan_id=plan_id, revision=revision, now=now
    )
    if plan.state is PlanState.ACTIVE:
        owner = services.members.get(plan.owner_id)
        text = (
            f":white_check_mark: {display(owner)}'s {plan.quarter.label} plan is active: "
            f"both of you acknowledged revision {plan.revision}."
        )
        owner_view = services.plans.get_plan(viewer_id=owner.id, plan_id=plan.id)
        dm(client, owner.slack_user_id, text, owner_card(owner_view, services))
        if plan.manager_id:
            dm(client, services.members.get(plan.manager_id).slack_user_id, text)
    else:
        waiting = ", ".join(
            name_of(services.members.get(m)) for m in sorted(plan.acknowledgement.waiting_for)
        )
        _tell(
            respond,
            client,
            member,
            f"Acknowledged revision {plan.revision}. Waiting for {waiting}.",
        )


def _open_comment(
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    member: MemberRef,
    suggestion: bool,
) -> None:
    plan = services.plans.get_plan(viewer_id=member.id, plan_id=_plan_id(body))
    if not plan.access.comment:
        raise PermissionDenied("Only the owner and their managers can comment on this plan.")
    owner = services.members.get(plan.owner_id)
    client.views_open(
        trigger_id=body["trigger_id"],
        view=comment_modal(plan_id=plan.id, suggestion=suggestion, owner_name=name_of(owner)),
    )


def comment(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    member: MemberRef,
) -> None:
    """Comment, or suggest an edit: the same modal, worded by the button clicked."""
    ack()
    suggestion = body["actions"][0].get("action_id") == Action.SUGGEST.value
    _open_comment(body, client, respond, services, member, suggestion=suggestion)


def share(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    services: Services,
    member: MemberRef,
) -> None:
    ack()
    _tell(respond, client, member, share_plan(client, services, member, _plan_id(body)))
