"""The quarterly review: open it, complete it, start the next quarter's plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import review
from bot.blocks.review import review_modal
from bot.blocks.text import escape_mrkdwn
from bot.domain.commitments import Direction, format_number
from bot.domain.errors import DomainError
from bot.ids import Action, Callback
from bot.listeners.common import dm, owner_card
from bot.listeners.running import guarded
from bot.services import Services
from bot.services.members import MemberRef


def register(app: App) -> None:
    app.action(Action.REVIEW.value)(guarded(review_clicked))
    app.view(Callback.REVIEW.value)(guarded(review_submitted, acks_itself=True))
    app.action(Action.APPROVE_STANDARDS.value)(guarded(approve_standards))


def open_review(
    client: WebClient, services: Services, member: MemberRef, trigger: str, plan_id: int
) -> None:
    proposal = services.reviews.proposal(actor_id=member.id, plan_id=plan_id)
    # Only the owner closes the quarter; the manager sees the same numbers.
    client.views_open(
        trigger_id=trigger,
        view=review_modal(proposal, editable=proposal.plan.owner_id == member.id),
    )


def review_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, services: Services, member: MemberRef
) -> None:
    ack()
    value = str(body["actions"][0].get("value") or "")
    if not value.isdigit():
        dm(client, member.slack_user_id, "That button is out of date: use `/myplan review`.")
        return
    open_review(client, services, member, body["trigger_id"], int(value))


def review_submitted(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    member: MemberRef,
    now: dt.datetime,
) -> None:
    submission = review.read_submission(view)
    try:
        next_plan = services.reviews.complete(
            actor_id=member.id,
            plan_id=submission.plan_id,
            reflection=submission.reflection,
            chosen=submission.chosen,
            reason=submission.reason,
            now=now,
        )
    except DomainError as error:
        ack(response_action="errors", errors=review.errors_for(error, view=view))
        return
    ack()
    dm(
        client,
        member.slack_user_id,
        f"Quarter closed. Your {next_plan.quarter.label} plan is drafted on the new bars: "
        "edit it, then propose it.",
        owner_card(next_plan, services),
    )


def approve_standards(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    services: Services,
    member: MemberRef,
    now: dt.datetime,
) -> None:
    ack()
    value = str(body["actions"][0].get("value") or "")
    if not value.isdigit():
        dm(client, member.slack_user_id, "That button is out of date.")
        return
    approved = services.standards.approve(actor_id=member.id, team_id=int(value), now=now)
    bars = ", ".join(
        f"{standard.title} ≥ {format_number(standard.minimum)}"
        if standard.direction is Direction.UP
        else f"{standard.title} ≤ {format_number(standard.minimum)}"
        for standard in approved
        if standard.minimum is not None
    )
    dm(client, member.slack_user_id, f"Approved. The team's standards: {escape_mrkdwn(bars)}.")
